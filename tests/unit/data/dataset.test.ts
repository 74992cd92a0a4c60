import { describe, expect, it } from 'vitest';
import { DataError } from '../../../engine/data/dataError';
import { prepareData, prepareFromText } from '../../../engine/data/dataset';
import { encodeTexts, fillBatch } from '../../../engine/data/encode';
import { DataSchema, type DataSpec } from '../../../engine/graph/document';
import { memoryFiles } from './filePort';

const spec = (over: Record<string, unknown> = {}): DataSpec => DataSchema.parse(over);

describe('prepareData on the built-in surnames', async () => {
  const data = await prepareData(spec(), memoryFiles(), { keepTexts: true });

  it('summarises the data and gives the blocks their facts', () => {
    const s = data.summary;
    expect(s.source).toBe('built-in: surnames');
    expect(s.classes.length).toBeGreaterThanOrEqual(10);
    expect(s.classCounts.reduce((a, b) => a + b, 0)).toBe(s.rows);
    expect(s.split.train + s.split.dev + s.split.test).toBe(s.rows);
    expect(s.trainClassCounts!.reduce((a, b) => a + b, 0)).toBe(s.split.train);
    expect(s.inputShape).toEqual([s.maxLength, s.vocabSize]);
    expect(s.inputDtype).toBe('float32');
    expect(data.facts).toEqual({ inputShape: s.inputShape, inputDtype: 'float32', vocabSize: s.vocabSize, numClasses: s.classes.length });
    expect(s.sample).toHaveLength(8);
    expect(s.preview!.length).toBeGreaterThan(0);
    expect(s.fileEncoding).toMatchObject({ name: 'utf-8', certainty: 'certain' });
    expect(s.license).toMatchObject({ dataset: 'surnames', file: 'assets/datasets/SURNAMES-LICENSE.md' });
    expect(s.maxLength).toBeGreaterThan(5);
    expect(s.maxLength).toBeLessThanOrEqual(512);
  });

  it('splits each class 70/15/15', () => {
    for (let c = 0; c < data.classes.length; c++) {
      const n = data.summary.classCounts[c]!;
      const inTrain = data.train.labels.filter((l) => l === c).length;
      const inDev = data.dev.labels.filter((l) => l === c).length;
      expect(Math.abs(inTrain - 0.7 * n)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(inDev - 0.15 * n)).toBeLessThanOrEqual(1.5);
    }
  });

  it('keeps no name in two splits', () => {
    const train = new Set(data.train.texts!);
    expect(data.dev.texts!.some((t) => train.has(t))).toBe(false);
    expect(data.test.texts!.some((t) => train.has(t))).toBe(false);
  });

  it('is the same for the same seed, and different for another', async () => {
    const again = await prepareData(spec(), memoryFiles(), { keepTexts: true });
    expect(again.train.ids).toEqual(data.train.ids);
    expect(again.test.texts).toEqual(data.test.texts!);
    const other = await prepareData(spec({ split: { ratios: [0.7, 0.15, 0.15], seed: 7, stratify: true } }), memoryFiles(), { keepTexts: true });
    expect(other.test.texts).not.toEqual(data.test.texts!);
  });

  it('encodes index ids and expands one-hot per batch', () => {
    const rows = [0, 3, 5];
    const { x: xs, y } = fillBatch(data.train, rows, 'onehot');
    const x = xs as Float32Array;
    const [L, V] = data.summary.inputShape as [number, number];
    const K = data.classes.length;
    expect(x).toBeInstanceOf(Float32Array);
    expect(x.length).toBe(3 * L * V);
    expect(y.length).toBe(3 * K);
    rows.forEach((row, b) => {
      const text = data.train.texts![row]!.toLowerCase();
      const chars = Array.from(text);
      for (let t = 0; t < L; t++) {
        const slice = x.subarray(b * L * V + t * V, b * L * V + (t + 1) * V);
        const ones = slice.reduce((a, v) => a + v, 0);
        expect(ones).toBe(t < chars.length ? 1 : 0);
        if (t < chars.length) expect(data.vocab.tokens[slice.indexOf(1)]).toBe(chars[t]);
      }
      const label = y.subarray(b * K, (b + 1) * K);
      expect(label.indexOf(1)).toBe(data.train.labels[row]);
      expect(label.reduce((a, v) => a + v, 0)).toBe(1);
    });
    const idx = fillBatch(data.train, rows, 'index');
    expect(idx.x).toBeInstanceOf(Int32Array);
    expect(Array.from(idx.x.subarray(L, 2 * L))).toEqual(Array.from(data.train.ids.subarray(3 * L, 4 * L)));
  });

  it('reuses the buffers it is handed back, also after a smaller batch', () => {
    const first = fillBatch(data.train, [0, 1, 2, 3], 'onehot');
    const small = fillBatch(data.train, [4], 'onehot', first);
    expect(small.x.buffer).toBe(first.x.buffer);
    const full = fillBatch(data.train, [5, 6, 7, 8], 'onehot', small);
    expect(full.x.buffer).toBe(first.x.buffer);
    expect(full.x).toEqual(fillBatch(data.train, [5, 6, 7, 8], 'onehot').x);
    expect(full.y).toEqual(fillBatch(data.train, [5, 6, 7, 8], 'onehot').y);
  });

  it('encodes new texts for prediction like training did', () => {
    const texts = data.train.texts!.slice(0, 2);
    const enc = encodeTexts([...texts, 'Zzzz\u{1F600}'], data.vocab, data.encodeSpec);
    const L = data.encodeSpec.maxLength;
    expect(enc.ids.subarray(0, 2 * L)).toEqual(data.train.ids.subarray(0, 2 * L));
    expect(enc.ids[2 * L + 4]).toBe(1); // the emoji is <unk>
  });

  it('samples maxRows rows, still stratified', async () => {
    const small = await prepareData(spec(), memoryFiles(), { maxRows: 2000 });
    expect(small.summary.rows).toBe(2000);
    expect(small.classes).toEqual(data.classes);
  });

  it('gives index encoding int32 [maxLength]', async () => {
    const idx = await prepareData(spec({ encoding: 'index' }), memoryFiles());
    expect(idx.summary.inputShape).toEqual([idx.summary.maxLength]);
    expect(idx.facts.inputDtype).toBe('int32');
  });
});

describe('vocabulary and lengths', () => {
  const csv = ['text,label', ...Array.from({ length: 40 }, (_, i) => `${i % 2 ? 'ab' : 'abcabc'}${i === 3 ? 'z' : ''},${i % 2 ? 'odd' : 'even'}`)].join('\n');

  it('builds the vocabulary on train only, with <pad> 0 and <unk> 1, and minCount', () => {
    const d = prepareFromText(csv, 'v.csv', spec({ text: 'text', label: 'label', minCount: 2 }));
    expect(d.vocab.tokens.slice(0, 2)).toEqual(['<pad>', '<unk>']);
    expect(d.vocab.tokens).not.toContain('z'); // seen once at most
    expect([...d.vocab.tokens].sort()).toEqual(['<pad>', '<unk>', 'a', 'b', 'c'].sort());
  });

  it('uses a fixed maxLength, cutting longer texts', () => {
    const d = prepareFromText(csv, 'v.csv', spec({ text: 'text', label: 'label', maxLength: 3 }));
    expect(d.summary.maxLength).toBe(3);
    expect(d.train.ids.length).toBe(d.train.n * 3);
  });

  it('caps auto maxLength at 512', () => {
    const long = ['t,l', ...Array.from({ length: 20 }, (_, i) => `${'x'.repeat(600)},${i % 2}`)].join('\n');
    expect(prepareFromText(long, 'long.csv', spec({ text: 't', label: 'l' })).summary.maxLength).toBe(512);
  });
});

describe('bad input', () => {
  const file =
    (text: string, over: Record<string, unknown> = {}) =>
    () =>
      prepareFromText(text, 'bad.csv', spec({ text: 'name', label: 'kind', ...over }));

  it('names the columns a file has when the named one is missing', () => {
    expect(file('name,type\nab,x\ncd,y\n')).toThrow(/bad\.csv: there is no column named "kind"; the file's columns are: "name", "type"/);
  });

  it('refuses an empty file', () => {
    expect(file('')).toThrow(/bad\.csv: the file is empty/);
    expect(file('\n\n')).toThrow(DataError);
  });

  it('names the line of a ragged row', () => {
    const err = (() => {
      try {
        file('name,kind\nab,x\n\n"c\nd",y\nef,x,extra\n')();
      } catch (e) {
        return e as DataError;
      }
    })();
    expect(err).toBeInstanceOf(DataError);
    expect(err!.message).toMatch(/^bad\.csv, line 6: this row has 3 fields but the header has 2/);
    expect(err!.line).toBe(6);
  });

  it('says which class is too small for the split', () => {
    const rows = ['name,kind', ...Array.from({ length: 20 }, (_, i) => `n${i},big`), 'x,small', 'y,small'];
    expect(file(rows.join('\n'))).toThrow(/bad\.csv: class "small" has 2 rows, too few for a 70\/15\/15 split: it needs at least 3/);
  });

  it('refuses ratios that do not add up to 1', () => {
    expect(file('name,kind\na,x\nb,y\n', { split: { ratios: [0.5, 0.2, 0.2], seed: 1, stratify: true } })).toThrow(/add up to 0\.9, not 1/);
  });

  it('names the line of an empty label', () => {
    expect(file('name,kind\na,x\nb,\n')).toThrow(/^bad\.csv, line 3, column "kind": the label is empty/);
  });

  it('refuses a label column with a single value', () => {
    expect(file('name,kind\na,x\nb,x\n')).toThrow(/has only one value/);
  });

  it('reports a file the port cannot read', async () => {
    await expect(prepareData(spec({ source: { path: '/nope.csv' } }), memoryFiles())).rejects.toThrow(/\/nope\.csv/);
  });
});
