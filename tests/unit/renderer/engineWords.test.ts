/**
 * The engine's errors said in the user's language: real DataErrors from real reads carry words
 * whose English is the engine's message to the letter, and whose Korean leaves no English
 * sentence behind (only the file names and values the engine names).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/backend';
import { AutosaveStore } from '../../../engine/host/autosave';
import { crashWords } from '../../../engine/host/runManager';
import type { FilePort } from '../../../engine/ports';
import { prepareTrainData } from '../../../engine/train/data';
import { findLearningRateForDocument } from '../../../engine/train/lrFinder';
import { tinyDocument } from '../host/fixtures';
import { DataError } from '../../../engine/data/dataError';
import { prepareFromBytes, prepareFromText } from '../../../engine/data/dataset';
import { decodeImage } from '../../../engine/data/imageDecode';
import { DataSchema, type DataSpec } from '../../../engine/graph/document';
import { parseDocument } from '../../../engine/graph/load';
import { validateSweep } from '../../../engine/graph/sweep';
import { ENGINE_SENTENCES, english, errorSaying, type Words } from '../../../engine/words';
import { createI18n } from '../../../renderer/i18n';
import { engineErrorText, sayWords } from '../../../renderer/i18n/engineErrors';

const spec = (over: Record<string, unknown> = {}): DataSpec => DataSchema.parse({ text: 'name', label: 'class', ...over });

function caught(f: () => unknown): DataError {
  try {
    f();
  } catch (err) {
    if (err instanceof DataError) return err;
    throw err;
  }
  throw new Error('no DataError was thrown');
}

const en = createI18n('en').t;
/** The English (the engine's) and the Korean of words, after checking the English is the message. */
function both(words: Words, message?: string): { english: string; korean: string } {
  const said = sayWords(en, words);
  if (message !== undefined) expect(said).toBe(message);
  expect(said).toBe(english(words));
  return { english: said, korean: sayWords(ko, words) };
}
const ko = createI18n('ko').t;

/** The Latin words left in a Korean sentence once the values it names are taken out. */
function englishLeft(said: string, values: string[]): string[] {
  let rest = said;
  for (const v of values.sort((a, b) => b.length - a.length)) rest = rest.split(v).join(' ');
  // Codes and names the engine does not translate: file names, settings, formats, split names.
  const kept =
    /^(CSV|TSV|CLI|PNG|JPEG|GIF|PDF|ELF|NUL|ASCII|GloVe|Modelwright|maxLength|outputDim|pretrained|train|dev|val|valid|validation|test|data|csv|column|zip|gzip|bzip2|xz|Excel|xlsx|xls|Word|OpenDocument|SQLite|Zip|RAR|Parquet|NaN|prepareImages|engine|imageDataset|ts|image|pathColumn|encoding|format|modelwright|schemaVersion|graph|nodes|min|max|log|oneMinusLog|int|intLog|MB|GB|JSON|run|json|bzip|glove|txt|CUDA|CPU|SIMD|WebAssembly|JavaScript|libtensorflow|tfjs|node|gpu|backend|wasm|cpu|relaxed)$/;
  return [...rest.matchAll(/[A-Za-z]{2,}/g)].map((m) => m[0]).filter((w) => !kept.test(w));
}

function values(words: Words): string[] {
  const out: string[] = [];
  if (words.at) out.push(words.at.file, ...(words.at.field ? [words.at.field] : []));
  for (const v of Object.values(words.params ?? {})) {
    if (typeof v === 'object') out.push(...values(v));
    else out.push(String(v));
  }
  return out;
}

const cases: [string, () => unknown][] = [
  ['an empty label', () => prepareFromText('name,class\nKim,Korean\nAbe,\n', 'names.csv', spec())],
  ['a ragged row', () => prepareFromText('name,class\nKim,Korean,extra\n', 'names.csv', spec())],
  ['an unknown column, near another', () => prepareFromText('name,klass\nKim,Korean\n', 'names.csv', spec())],
  ['an unclosed quote', () => prepareFromText('name,class\n"Kim,Korean\nAbe,Japanese\n', 'names.csv', spec())],
  ['one class', () => prepareFromText('name,class\nKim,Korean\nLee,Korean\n', 'names.csv', spec())],
  ['a PNG named .csv', () => prepareFromBytes(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'photo.csv', spec())],
  [
    'bytes that are not UTF-8',
    () =>
      prepareFromBytes(
        new Uint8Array([0x6e, 0x2c, 0x63, 0x0a, 0x61, 0xff, 0xfe, 0x2c, 0x62, 0x0a]),
        'bad.csv',
        spec({ fileEncoding: 'utf-8', text: 'n', label: 'c' }),
      ),
  ],
  ['too few rows for the split', () => prepareFromText('name,class\nKim,Korean\nAbe,Japanese\n', 'names.csv', spec())],
  ['a file that is not an image', () => decodeImage(new TextEncoder().encode('hello'), 'cat/1.png')],
];

describe('engine errors in every language', () => {
  it.each(cases)('%s: English is the message, Korean says it all in Korean', (_, f) => {
    const err = caught(f);
    expect(err.words.key in ENGINE_SENTENCES || `${err.words.key}_other` in ENGINE_SENTENCES).toBe(true);
    expect(english(err.words)).toBe(err.message);
    expect(sayWords(en, err.words)).toBe(err.message);
    const korean = sayWords(ko, err.words);
    expect(korean).not.toBe(err.message);
    expect(korean).toMatch(/[가-힣]/);
    expect(englishLeft(korean, values(err.words)), korean).toEqual([]);
    // The place comes first in both.
    expect(korean.startsWith(err.words.at!.file)).toBe(true);
  });

  it('say an engine error by its words, and without words its kind in Korean before the English detail', () => {
    const error = errorSaying('no-such-run', { key: 'run.noSuchRun', params: { runId: 'r9' } });
    expect(engineErrorText(en, 'en', error)).toBe('There is no run "r9" in the runs folder.');
    expect(engineErrorText(ko, 'ko', error)).toBe('실행 폴더에 "r9" 실행이 없습니다.');
    expect(engineErrorText(ko, 'ko', { code: 'no-such-run', message: 'No run "r9".' })).toBe('그런 실행이 없습니다: No run "r9".');
  });

  it('say a cause inside a sentence in the same language', () => {
    const err = caught(() => prepareFromText('name,class\nKim,Korean\nAbe,\n', 'names.csv', spec()));
    const words: Words = { key: 'run.dataNotLoaded', params: { cause: err.words } };
    expect(sayWords(en, words)).toBe(`The data could not be loaded: ${err.message}`);
    expect(sayWords(ko, words)).toBe(`데이터를 불러오지 못했습니다. ${sayWords(ko, err.words)}`);
  });

  it.each([
    ['not ours', '{"format": "keras"}'],
    ['newer', '{"format": "modelwright", "schemaVersion": 99}'],
    ['cut short', '{"format": "modelwright", "schemaVersion": 3, "graph": {'],
  ])('say why a document does not open (%s) in Korean', (_, text) => {
    const parsed = parseDocument(text);
    if (parsed.ok) throw new Error('it opened');
    expect(sayWords(en, parsed.words)).toBe(parsed.error);
    const korean = sayWords(ko, parsed.words);
    expect(korean).toMatch(/[가-힣]/);
    expect(englishLeft(korean, values(parsed.words))).toEqual([]);
  });

  it("say a sweep's problems in Korean", () => {
    const doc = { graph: { nodes: [{ id: 'drop', type: 'Dropout', params: { rate: 0.1 } }], edges: [] } } as unknown as Parameters<typeof validateSweep>[0];
    const issues = validateSweep(doc, {
      trials: 4,
      params: [
        { target: { training: 'optimizer.lr' }, scale: 'log', min: 0, max: 0.1 },
        { target: { node: 'gone', param: 'rate' }, scale: 'linear', min: 0, max: 0.5 },
        { target: { node: 'drop', param: 'units' }, scale: 'linear', min: 0, max: 0.5 },
        { target: { node: 'drop', param: 'rate' }, scale: 'linear', min: 0, max: 2 },
      ],
    } as unknown as Parameters<typeof validateSweep>[1]);
    expect(issues.length).toBeGreaterThanOrEqual(4);
    // A bound the param does not take says why in words too, not in zod's English.
    const bound = issues.find((issue) => issue.words.key === 'sweep.badBound');
    expect(bound && sayWords(ko, bound.words)).toContain('(0.95 이하여야 합니다)');
    for (const issue of issues) {
      expect(sayWords(en, issue.words)).toBe(issue.message);
      const korean = sayWords(ko, issue.words);
      expect(korean).toMatch(/[가-힣]/);
      expect(englishLeft(korean, values(issue.words)), korean).toEqual([]);
    }
  });

  it('say every Korean engine sentence in Korean: only values, codes and names are left in Latin letters', () => {
    const catalog = createI18n('ko').getResourceBundle('ko', 'translation') as { engine: Record<string, unknown> };
    const flat = (node: unknown, path: string): [string, string][] =>
      typeof node === 'string' ? [[path, node]] : Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => flat(v, `${path}.${k}`));
    const left = flat(catalog.engine, 'engine').flatMap(([key, text]) => {
      const words = englishLeft(text.replace(/\{\{\s*\w+\s*\}\}/g, ' '), []);
      return words.length > 0 ? [`${key}: ${words.join(' ')}`] : [];
    });
    expect(left).toEqual([]);
  });

  describe('the learning-rate finder', () => {
    const files = (csv: string): FilePort => ({
      async readFile(path) {
        if (path === 'names.csv') return new TextEncoder().encode(csv);
        throw new Error(`Cannot read ${path}: no such file`);
      },
      async readAsset() {
        throw new Error('no assets in this test');
      },
    });
    const docOf = (text: string) => {
      const parsed = parseDocument(text);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.doc;
    };

    it('says why it cannot start, and where it is, in Korean', async () => {
      const steps: Words[] = [];
      const noData = { ...docOf(tinyDocument({ dataPath: 'names.csv' })), data: undefined };
      const refused = await findLearningRateForDocument({ doc: noData, files: files(''), prepare: prepareTrainData });
      if (refused.ok || !refused.words) throw new Error('expected a refusal with words');
      expect(both(refused.words, refused.message).korean).toContain('학습률을 찾으세요');

      const badData = await findLearningRateForDocument({
        doc: docOf(tinyDocument({ dataPath: 'names.csv' })),
        files: files('surname,country\nKim,Korean\nAbe,\n'),
        prepare: prepareTrainData,
        status: (words) => steps.push(words),
      });
      if (badData.ok || !badData.words) throw new Error('expected a refusal with words');
      const { korean } = both(badData.words, badData.message);
      expect(korean).toMatch(/^데이터를 불러오지 못했습니다\. names\.csv, 3행, "country" 열: 레이블이 비어 있습니다/);
      expect(englishLeft(korean, values(badData.words)), korean).toEqual([]);
      // Its progress so far: loading the data.
      expect(steps.map((w) => w.key)).toEqual(['progress.loadingData']);
      expect(sayWords(ko, steps[0]!)).toBe('데이터를 불러오는 중…');
    });
  });

  it('say a crashed process in Korean, its own output kept as it came', () => {
    const crash = { outOfMemory: true, lastBatch: { epoch: 2, batch: 7 }, stepsPerEpoch: 40, checkpointEpoch: 1 } as Parameters<typeof crashWords>[3];
    const words = crashWords(null, 'SIGKILL', 'FATAL ERROR: Reached heap limit', crash, 'training');
    const { english: said, korean } = both(words);
    expect(said).toBe(
      'The training process ended unexpectedly at epoch 2, batch 7 of 40: it was killed (SIGKILL). It may have run out of memory: try a smaller batch size or a smaller model. The last complete checkpoint is of epoch 1.\nLast output of the process:\nFATAL ERROR: Reached heap limit',
    );
    expect(korean).toBe(
      '학습 프로세스이(가) 에포크 2, 배치 7/40에서 예기치 않게 끝났습니다(강제 종료됨, SIGKILL). 메모리가 부족했을 수 있습니다. 배치 크기를 줄이거나 더 작은 모델을 쓰세요. 마지막으로 온전히 저장된 체크포인트는 에포크 1의 것입니다.\n프로세스의 마지막 출력:\nFATAL ERROR: Reached heap limit',
    );
    const finder = both(crashWords(3, null, '', undefined, 'lrFinder'));
    expect(finder.english).toBe('The learning-rate finder ended unexpectedly: it exited with code 3.');
    expect(finder.korean).toBe('학습률 탐색기이(가) 예기치 않게 끝났습니다(종료 코드 3).');
  });

  it('say why an autosave failed in Korean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-words-autosave-'));
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file where the autosave folder should be');
    const text = tinyDocument();
    const failed = await new AutosaveStore({ dir: join(blocker, 'autosave') }).save({}, { slot: 'slot-0001', name: 'Tiny', text });
    if (failed.ok || !failed.error.words) throw new Error('expected a failed autosave with words');
    expect(failed.error.code).toBe('autosave-error');
    const said = both(failed.error.words, failed.error.message);
    expect(said.english).toBe(`Could not autosave to ${join(blocker, 'autosave')}: a part of the path is a file, not a folder.`);
    expect(said.korean).toBe(`${join(blocker, 'autosave')}에 자동 저장하지 못했습니다. 경로의 일부가 폴더가 아니라 파일입니다.`);

    const store = new AutosaveStore({ dir });
    expect((await store.save({}, { slot: 'slot-0002', name: 'Tiny', text })).ok).toBe(true);
    const taken = await store.save({}, { slot: 'slot-0002', name: 'Tiny', text });
    if (taken.ok || !taken.error.words) throw new Error('expected a refusal with words');
    expect(both(taken.error.words, taken.error.message).korean).toBe('자동 저장 슬롯 slot-0002은(는) 다른 창이 쓰고 있습니다.');
  });

  it("say which backend trains and why in Korean (the status bar, a run's first words)", async () => {
    const info = await initBackend();
    if (!info.reasonWords) throw new Error('the backend has no words');
    const { korean } = both(info.reasonWords, info.reason);
    expect(korean).toContain('WebAssembly');
    expect(korean).toMatch(/에서 학습합니다/);
    // The packages it could not use are named, with why, in Korean.
    expect(korean).toMatch(/@tensorflow\/tfjs-node: (설치되지 않음|불러오지 못함)/);
    expect(englishLeft(korean, values(info.reasonWords)), korean).toEqual([]);
  });
});
