/**
 * The engine's errors said in the user's language: real DataErrors from real reads carry words
 * whose English is the engine's message to the letter, and whose Korean leaves no English
 * sentence behind (only the file names and values the engine names).
 */
import { describe, expect, it } from 'vitest';
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
const ko = createI18n('ko').t;

/** The Latin words left in a Korean sentence once the values it names are taken out. */
function englishLeft(said: string, values: string[]): string[] {
  let rest = said;
  for (const v of values.sort((a, b) => b.length - a.length)) rest = rest.split(v).join(' ');
  // Codes and names the engine does not translate: file names, settings, formats, split names.
  const kept =
    /^(CSV|TSV|CLI|PNG|JPEG|GIF|PDF|ELF|NUL|ASCII|GloVe|Modelwright|maxLength|outputDim|pretrained|train|dev|val|valid|validation|test|data|csv|column|zip|gzip|bzip2|xz|Excel|xlsx|xls|Word|OpenDocument|SQLite|Zip|RAR|Parquet|NaN|prepareImages|engine|imageDataset|ts|image|pathColumn|encoding|format|modelwright|schemaVersion|graph|nodes|min|max|log|oneMinusLog|int|intLog)$/;
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
      ],
    } as unknown as Parameters<typeof validateSweep>[1]);
    expect(issues.length).toBeGreaterThanOrEqual(3);
    for (const issue of issues) {
      expect(sayWords(en, issue.words)).toBe(issue.message);
      const korean = sayWords(ko, issue.words);
      expect(korean).toMatch(/[가-힣]/);
      expect(englishLeft(korean, values(issue.words)), korean).toEqual([]);
    }
  });
});
