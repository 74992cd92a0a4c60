/**
 * `modelwright data` as a real subprocess of the CLI bundle: a CSV alone (columns named or
 * guessed) or a Document, --tokenizer, --encoding, --glove, the summary for people and as JSON,
 * and bad data exiting 1 with the file, line and column.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundles } from './buildBundles';
import { tinyDocument } from './fixtures';

let cli = '';
beforeAll(async () => {
  cli = join(await buildBundles('cli-data'), 'cli.cjs');
});

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'data', ...args], { encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'mw-cli-data-'));
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const NAMES = ['김민준', '이서연', '박도윤', '최하은', '정시우', '강지유', '조건우', '윤채원'];
const korean = () => ['이름,성별', ...Array.from({ length: 80 }, (_, i) => `${NAMES[i % 8]}${i},${i % 2 ? '여' : '남'}`)].join('\r\n') + '\r\n';

describe('modelwright data', () => {
  it('summarises a CSV alone: encoding detected, columns guessed, classes per split, lengths, the preview', () => {
    const csv = file('names.csv', iconv.encode(korean(), 'cp949'));
    const r = run([csv]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Columns guessed from the header: text "이름", label "성별"/);
    expect(r.stdout).toMatch(/encoding\s+CP949 \/ EUC-KR \(Korean\) \(detected, (likely|guess)/);
    expect(r.stdout).toMatch(/rows\s+80 \(train 56, dev 12, test 12\)/);
    expect(r.stdout).toMatch(/남\s+40\s+28\s+6\s+6/);
    expect(r.stdout).toMatch(/length of train examples/);
    expect(r.stdout).toMatch(/tokens 김 민 준 0/);
  });

  it('takes the columns, the tokenizer and the encoding from the command line, and answers JSON', () => {
    const csv = file(
      'news.csv',
      'title,body,topic\n' + Array.from({ length: 40 }, (_, i) => `"Stocks rise ${i}","Markets, up!",${i % 2 ? 'biz' : 'fin'}`).join('\n') + '\n',
    );
    const r = run([csv, '--text', 'title', '--text', 'body', '--label', 'topic', '--tokenizer', 'word', '--encoding', 'latin1', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      summary: { columns: { text: string[] }; fileEncoding: { name: string; how: string }; preview: { tokens: string[] }[] };
    };
    expect(out.ok).toBe(true);
    expect(out.summary.columns.text).toEqual(['title', 'body']);
    expect(out.summary.fileEncoding).toMatchObject({ name: 'windows-1252', how: 'chosen' });
    // The preview starts with each class's first row: biz (row 1) before fin.
    expect(out.summary.preview[0]!.tokens).toEqual(['stocks', 'rise', '1', '<sep>', 'markets', ',', 'up', '!']);
  });

  it('reports GloVe coverage of the vocabulary and of the tokens', () => {
    const csv = file('g.csv', 'text,label\n' + Array.from({ length: 40 }, (_, i) => `the cat sat w${i},${i % 2}`).join('\n') + '\n');
    const glove = file('glove.txt', ['the 0.1 0.2', 'cat 0.3 0.4', 'sat 0.5 0.6'].join('\n') + '\n');
    const r = run([csv, '--tokenizer', 'word', '--glove', glove]);
    expect(r.code).toBe(0);
    // 3 of the vocabulary's 31 words; 84 of the 112 train tokens.
    expect(r.stdout).toMatch(/GloVe\s+9.7% of the vocabulary, 75% of tokens found \(3 of 31 words, 2 dims/);
    const json = JSON.parse(run([csv, '--tokenizer', 'word', '--glove', glove, '--json']).stdout) as { glove: { wordsFound: number; dim: number } };
    expect(json.glove).toMatchObject({ wordsFound: 3, dim: 2 });
  });

  it('reads a Document, with its own data or --data, and a Document without data says so', () => {
    const csv = file(
      'tiny.csv',
      'surname,country\n' + Array.from({ length: 40 }, (_, i) => `${i % 2 ? 'zork' : 'abel'}${i},${i % 2 ? 'West' : 'East'}`).join('\n') + '\n',
    );
    const doc = file('tiny.json', tinyDocument({ dataPath: 'tiny.csv' }));
    expect(run([doc]).code).toBe(1);
    expect(run([doc, '--allow-files']).stdout).toMatch(/rows\s+40/);
    expect(run([doc, '--data', csv, '--json']).code).toBe(0);
    const bare = JSON.parse(tinyDocument()) as Record<string, unknown>;
    delete bare.data;
    const noData = file('bare.json', JSON.stringify(bare));
    const r = run([noData, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: expect.stringMatching(/no data section; name a CSV with --data CSV/) });
    expect(run([noData, '--data', csv]).code).toBe(0);
  });

  it('bad data exits 1 naming the file, line and column', () => {
    const csv = file('bad.csv', 'name,kind\nab,x\n  ,y\ncd,x\n');
    const r = run([csv, '--text', 'name', '--label', 'kind']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${csv}, line 3, column "name": the text is empty`);
    const json = JSON.parse(run([csv, '--text', 'name', '--label', 'kind', '--json']).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ ok: false, file: csv, line: 3, field: 'name' });
    const bytes = file('bytes.csv', new Uint8Array([...new TextEncoder().encode('name,kind\nab,x\n'), 0xff, 0x2c, 0x79, 0x0a]));
    expect(run([bytes, '--text', 'name', '--label', 'kind', '--encoding', 'utf-8', '--json']).stdout).toMatch(/"line":3,"column":1/);
  });

  it('refuses bad usage with exit 2', () => {
    expect(run([]).code).toBe(2);
    expect(run([join(dir, 'x.csv'), '--tokenizer', 'bpe']).stderr).toMatch(/--tokenizer is char or word/);
    expect(run([join(dir, 'x.csv'), '--encoding', 'ebcdic']).code).toBe(2);
  });
});

describe('modelwright validate, a document without data', () => {
  it('checks the graph on its own: an explicit [28, 28, 1] Input is valid, an "auto" one needs data', () => {
    const graph = (shape: unknown) => ({
      nodes: [
        { id: 'img', type: 'Input', params: { shape } },
        { id: 'flat', type: 'Flatten', params: {} },
        { id: 'out', type: 'Output', params: { units: 10 } },
      ],
      edges: [
        { id: 'e1', source: 'img', target: 'flat' },
        { id: 'e2', source: 'flat', target: 'out' },
      ],
    });
    const explicit = file('mnist.json', JSON.stringify({ format: 'modelwright', schemaVersion: 2, graph: graph([28, 28, 1]) }));
    const r = spawnSync(process.execPath, [cli, 'validate', explicit, '--json'], { encoding: 'utf8', timeout: 90_000 });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      nodes: [{ id: 'img', outputShape: [null, 28, 28, 1] }, { outputShape: [null, 784] }, { outputShape: [null, 10] }],
    });
    const auto = file('auto.json', JSON.stringify({ format: 'modelwright', schemaVersion: 2, graph: graph('auto') }));
    const a = spawnSync(process.execPath, [cli, 'validate', auto, '--json'], { encoding: 'utf8', timeout: 90_000 });
    expect(a.status).toBe(1);
    expect(JSON.parse(a.stdout)).toMatchObject({
      ok: false,
      errors: [{ code: 'data-mismatch', nodeId: 'img', message: expect.stringMatching(/no data is bound yet/) }],
    });
  });
});
