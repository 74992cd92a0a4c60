/** The CLI end to end, as a real subprocess of its bundle (which forks the real worker bundle). */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundles } from './buildBundles';
import { tinyDocument, tinyProject } from './fixtures';

let cli = '';
beforeAll(async () => {
  cli = join(await buildBundles('cli'), 'cli.cjs');
});

function run(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd, timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const NEWS_EXAMPLE = join(__dirname, '..', '..', '..', 'assets', 'examples', 'news-glove-cnn.json');
const NEWS_WORDS = [
  ['stocks', 'market'],
  ['game', 'team'],
  ['election', 'vote'],
  ['chip', 'software'],
];

/** An AG News-shaped CSV (class, title, description; no header) and a 100-d GloVe file for its words. */
function newsFiles(dir: string): { csv: string; glove: string } {
  const rows: string[] = [];
  for (let i = 0; i < 200; i++) {
    const [a, b] = NEWS_WORDS[i % 4]!;
    rows.push(`${(i % 4) + 1},"Title ${i}","${Array.from({ length: 8 }, (_, j) => (j % 2 ? a : b)).join(' ')} news"`);
  }
  const csv = join(dir, 'news.csv');
  writeFileSync(csv, rows.join('\n') + '\n');
  const glove = join(dir, 'vectors.txt');
  const words = [...NEWS_WORDS.flat(), 'news'];
  writeFileSync(glove, words.map((w, i) => `${w} ${Array.from({ length: 100 }, (_, k) => (((i + 1) * (k + 3)) % 13) / 13 - 0.5).join(' ')}`).join('\n') + '\n');
  return { csv, glove };
}

function lastEvent(stdout: string): { type: string; message: string; [k: string]: unknown } {
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { type: string; message: string };
}

describe('modelwright CLI', () => {
  it('prints help', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/modelwright validate FILE/);
    expect(r.stdout).toMatch(/modelwright train FILE/);
    expect(run(['frobnicate']).code).toBe(2);
  });

  it('validate: exit 0 with each node and its output shape, and the same as JSON', () => {
    const p = tinyProject();
    const human = run(['validate', p.doc, '--allow-files']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/chars\s+Input\s+\[null, \d+, \d+\]/);
    expect(human.stdout).toMatch(/parameters/);
    const json = run(['validate', p.doc, '--json', '--allow-files']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { ok: boolean; nodes: { id: string; type: string; outputShape: unknown[]; params: object }[]; errors: unknown[] };
    expect(report.ok).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.nodes.map((n) => n.id)).toEqual(['chars', 'flat', 'out']);
    expect(report.nodes[2]!.outputShape).toEqual([null, 2]);
    expect(report.nodes[0]!.params).toMatchObject({ shape: 'auto' });
  });

  it('validate: exit 1 and every error with its node id', () => {
    const p = tinyProject();
    const bad = JSON.parse(tinyDocument({ dataPath: p.csv })) as { graph: { nodes: { id: string; type: string; params: object }[]; edges: unknown[] } };
    bad.graph.nodes.push({ id: 'mystery', type: 'NoSuchBlock', params: {} });
    bad.graph.edges = bad.graph.edges.slice(1); // "flat" loses its input
    const file = join(p.dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const json = run(['validate', file, '--json', '--allow-files']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      errors: { code: string; nodeId: string | null; message: string; hint: string | null; port: string | null }[];
    };
    expect(report.ok).toBe(false);
    const byNode = new Map(report.errors.map((e) => [e.nodeId, e.code]));
    expect(byNode.get('mystery')).toBe('unknown-type');
    expect(byNode.get('flat')).toBe('missing-input');
    for (const e of report.errors) expect(Object.keys(e).sort()).toEqual(['code', 'hint', 'message', 'nodeId', 'port']);
    const human = run(['validate', file, '--allow-files']);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/mystery/);
    expect(human.stderr).toMatch(/flat/);

    writeFileSync(join(p.dir, 'noise.json'), 'not json at all');
    const noise = run(['validate', join(p.dir, 'noise.json'), '--json']);
    expect(noise.code).toBe(1);
    expect(JSON.parse(noise.stdout)).toMatchObject({ ok: false });
    expect(run(['validate', join(p.dir, 'missing.json')]).stderr).toMatch(/no such file/);
  });

  it('train --json --data: one event a line, ending in done with a finite loss and the run folder', () => {
    const p = tinyProject();
    // The document points at the built-in data; --data overrides it with the tiny CSV.
    const doc = join(p.dir, 'builtin.json');
    writeFileSync(doc, tinyDocument());
    const r = run(['train', doc, '--epochs', '1', '--data', p.csv, '--runs-dir', p.runsDir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
    for (const e of events) expect(typeof e.type).toBe('string');
    expect(events.some((e) => e.type === 'start')).toBe(true);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(1);
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    expect(done.reason).toBe('completed');
    expect(Number.isFinite(done.finalLoss)).toBe(true);
    const runDir = done.runDir as string;
    expect(runDir.startsWith(p.runsDir)).toBe(true);
    expect(readdirSync(runDir).sort()).toEqual([
      'batches.jsonl',
      'checkpoint.json',
      'checkpoints',
      'events.jsonl',
      'final.json',
      'final.weights.bin',
      'preprocessing.json',
      'run.json',
    ]);
    expect(readdirSync(join(runDir, 'checkpoints'))).toEqual(['epoch-0001']);
    const info = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { outcome: { reason: string }; data: { source: string } };
    expect(info.outcome.reason).toBe('completed');
    expect(info.data.source).toMatch(/tiny\.csv/);
  });

  it('data: summarises the bound data; --data, --text and --label override the document', () => {
    const p = tinyProject();
    const renamed = join(p.dir, 'renamed.csv');
    writeFileSync(renamed, readFileSync(p.csv, 'utf8').replace('surname,country', 'name,origin'));
    const human = run(['data', p.doc, '--allow-files']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/rows\s+240 \(train 144, dev 48, test 48\)/);
    expect(human.stdout).toMatch(/East\s+120/);
    const json = run(['data', p.doc, '--data', renamed, '--text', 'name', '--label', 'origin', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, summary: { rows: 240, classes: ['East', 'West'] } });
    const wrong = run(['data', p.doc, '--data', renamed, '--json']);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false });
  });

  it('train for people: a per-epoch table on stdout, no progress bar when not a terminal', () => {
    const p = tinyProject();
    const r = run(['train', p.doc, '--epochs', '2', '--runs-dir', p.runsDir, '--allow-files']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/epoch\s+train loss\s+train acc\s+dev loss\s+dev acc/);
    expect(r.stdout).toMatch(/\n\s*2\/2\s+\d\.\d{4}/);
    expect(r.stdout).toMatch(/Run saved in /);
    expect(r.stderr).not.toMatch(/█/);
  });

  it('train: exit non-zero with a clear message for missing data and for an invalid graph', () => {
    const p = tinyProject();
    const r = run(['train', p.doc, '--data', join(p.dir, 'nope.csv'), '--runs-dir', p.runsDir, '--json']);
    expect(r.code).toBe(1);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { type: string; message: string };
    expect(last.type).toBe('error');
    expect(last.message).toMatch(/nope\.csv/);
    expect(existsSync(p.runsDir) ? readdirSync(p.runsDir).length : 0).toBeLessThanOrEqual(1);
    const bad = JSON.parse(tinyDocument({ dataPath: p.csv })) as { graph: { edges: unknown[] } };
    bad.graph.edges = bad.graph.edges.slice(1);
    writeFileSync(join(p.dir, 'bad.json'), JSON.stringify(bad));
    const invalid = run(['train', join(p.dir, 'bad.json'), '--runs-dir', p.runsDir, '--json', '--allow-files']);
    expect(invalid.code).toBe(1);
    const error = JSON.parse(invalid.stdout.trim().split('\n').at(-1)!) as { type: string; issues: { nodeId: string; code: string }[] };
    expect(error.type).toBe('error');
    expect(error.issues).toContainEqual(expect.objectContaining({ nodeId: 'flat', code: 'missing-input' }));
    const usage = run(['train', p.doc, '--epochs', 'zero']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--epochs/);
  });

  it('reads a file the document names only with --allow-files, and says so', () => {
    const p = tinyProject();
    const data = run(['data', p.doc]);
    expect(data.code).toBe(1);
    expect(data.stderr).toMatch(/This document reads:\n {2}the data file .*tiny\.csv\n/);
    expect(data.stderr).toContain(`This document reads files you have not allowed yet (1):\n  - the data file ${p.csv}\n`);
    expect(data.stderr).toMatch(/Run again with --allow-files/);
    expect(data.stdout).toBe('');
    expect(JSON.parse(run(['data', p.doc, '--json']).stdout)).toMatchObject({ ok: false, error: expect.stringMatching(/--allow-files/) });
    const validate = JSON.parse(run(['validate', p.doc, '--json']).stdout) as { ok: boolean; errors: { code: string; message: string }[] };
    expect(validate).toMatchObject({ ok: false, errors: [{ code: 'files-not-allowed', message: expect.stringContaining(p.csv) }] });
    const train = run(['train', p.doc, '--runs-dir', p.runsDir, '--json']);
    expect(train.code).toBe(1);
    expect(lastEvent(train.stdout)).toMatchObject({ type: 'error', message: expect.stringMatching(/not allowed yet[^]*tiny\.csv[^]*--allow-files/) });
    expect(existsSync(p.runsDir)).toBe(false);
    // The same file named on the command line is the user's own choice.
    expect(run(['data', p.doc, '--data', p.csv]).code).toBe(0);
    expect(run(['data', p.doc, '--allow-files']).code).toBe(0);
  });

  it('the GloVe example: what to pass is in each error, and with it the run trains', () => {
    const p = tinyProject();
    const { csv, glove } = newsFiles(p.dir);
    const base = ['train', NEWS_EXAMPLE, '--data', csv, '--epochs', '1', '--runs-dir', p.runsDir, '--json'];
    const refused = lastEvent(run(base).stdout);
    expect(refused.type).toBe('error');
    expect(refused.message).toMatch(/not allowed yet \(1\):\n {2}- the pretrained vectors of node "glove", .*glove\.6B\.100d\.txt\n/);
    expect(refused.message).toMatch(/--allow-files/);
    expect(refused.message).toMatch(/--pretrained NODE=FILE/);
    const missing = lastEvent(run([...base, '--allow-files']).stdout);
    expect(missing.message).toMatch(/glove\.6B\.100d\.txt: no such file\. Pass the file with --pretrained glove=FILE/);
    const small = join(p.dir, 'small.txt');
    writeFileSync(small, readFileSync(glove, 'utf8').replace(/^(\S+(?: \S+){50}).*$/gm, '$1'));
    const wrongDim = lastEvent(run([...base, '--pretrained', `glove=${small}`]).stdout);
    expect(wrongDim.message).toMatch(/Embedding "glove": .*small\.txt, line 1: the file's vectors have 50 numbers, but the Embedding's outputDim is 100/);

    const r = run([...base, '--pretrained', `glove=${glove}`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; message?: string });
    expect(events.some((e) => e.type === 'status' && /"glove": 9 of \d+ vocabulary words have pretrained vectors \(kept frozen\)/.test(e.message ?? ''))).toBe(
      true,
    );
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'completed' });
  });

  it.skipIf(!existsSync('/usr/bin/script'))('in a terminal, asks before reading the files and reads them on "y"', () => {
    const p = tinyProject();
    const { csv, glove } = newsFiles(p.dir);
    copyFileSync(NEWS_EXAMPLE, join(p.dir, 'news.json'));
    copyFileSync(csv, join(p.dir, 'ag_news_train.csv'));
    copyFileSync(glove, join(p.dir, 'glove.6B.100d.txt'));
    const inTerminal = (answer: string) =>
      spawnSync('/usr/bin/script', ['-qec', `${process.execPath} ${cli} train news.json --epochs 1 --runs-dir ${p.runsDir}`, '/dev/null'], {
        cwd: p.dir,
        input: answer,
        encoding: 'utf8',
        timeout: 90_000,
      }).stdout;
    const no = inTerminal('n\n');
    expect(no).toMatch(/Read these 2 files\? \[y\/N\]/);
    expect(no).toMatch(/not allowed yet \(2\)/);
    expect(existsSync(p.runsDir)).toBe(false);
    const yes = inTerminal('y\n');
    expect(yes).toMatch(/Run saved in /);
  });

  it('predict: the top classes of each text from a run folder, as a table or one JSON object a text', () => {
    const p = tinyProject();
    const trained = run(['train', p.doc, '--epochs', '3', '--allow-files', '--runs-dir', p.runsDir, '--json']);
    expect(trained.code).toBe(0);
    const runDir = (lastEvent(trained.stdout) as unknown as { runDir: string }).runDir;
    const json = run(['predict', runDir, 'zorbak', 'Ωß-é', '--json', '--top', '1']);
    expect(json.code).toBe(0);
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; top: { label: string; p: number }[]; probs: Record<string, number> });
    expect(lines.map((l) => l.text)).toEqual(['zorbak', 'Ωß-é']);
    expect(lines[0]!.top).toEqual([{ label: 'West', p: expect.any(Number) }]);
    expect(Object.keys(lines[1]!.probs).sort()).toEqual(['East', 'West']);
    const human = run(['predict', runDir, 'zorbak']);
    expect(human.stdout).toMatch(/^zorbak\n {2}West +\d+\.\d%/);
    const notRun = run(['predict', p.dir, 'x']);
    expect(notRun.code).toBe(1);
    expect(notRun.stderr).toMatch(/not a Modelwright run folder/);
    expect(run(['predict', runDir]).code).toBe(2);
  });
});
