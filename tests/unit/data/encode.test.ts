/**
 * The encodings of examples: index sequences (length longest, a percentile or fixed; the side that
 * is cut), one-hot, bag of tokens (counts or presence), <bos>/<eos>, several text columns joined
 * with <sep>; and prediction encoding a new text exactly as training did.
 */
import { describe, expect, it } from 'vitest';
import { prepareFromText } from '../../../engine/data/dataset';
import { encodeTexts, fillInputs } from '../../../engine/data/encode';
import { percentile } from '../../../engine/data/lengths';
import { preprocessingOf, TextPreprocessingSchema } from '../../../engine/data/preprocessing';
import { DataSchema, type DataSpec } from '../../../engine/graph/document';

const spec = (over: Record<string, unknown> = {}): DataSpec => DataSchema.parse({ text: 'text', label: 'label', split: { ratios: [1, 0, 0] }, ...over });
const csv = (rows: [string, string][]) => ['text,label', ...rows.map(([t, l]) => `${t},${l}`)].join('\n') + '\n';
const tokensOf = (d: ReturnType<typeof prepareFromText>, row: number) =>
  Array.from(d.train.ids.subarray(row * d.summary.maxLength, (row + 1) * d.summary.maxLength), (id) => d.vocab.tokens[id]);
/** Row `i` of the train split as the file's row `fileRow`. */
const trainRow = (d: ReturnType<typeof prepareFromText>, fileRow: number) => d.train.rows.indexOf(fileRow);

const FILE = csv([
  ['abc', 'x'],
  ['abcdefgh', 'y'],
  ['ab', 'x'],
  ['abcd', 'y'],
]);

describe('lengths', () => {
  it('takes the longest, a percentile, or a fixed number', () => {
    expect(prepareFromText(FILE, 'f.csv', spec()).summary.maxLength).toBe(8);
    expect(prepareFromText(FILE, 'f.csv', spec({ maxLength: { percentile: 75 } })).summary.maxLength).toBe(4);
    expect(prepareFromText(FILE, 'f.csv', spec({ maxLength: 3 })).summary.maxLength).toBe(3);
    expect(percentile(Int32Array.from([1, 2, 3, 4]), 50)).toBe(2);
    expect(percentile(Int32Array.from([1, 2, 3, 4]), 100)).toBe(4);
  });

  it('cuts the end, or the start, of a longer text', () => {
    const end = prepareFromText(FILE, 'f.csv', spec({ maxLength: 3, lowercase: false }));
    expect(tokensOf(end, trainRow(end, 1))).toEqual(['a', 'b', 'c']);
    const start = prepareFromText(FILE, 'f.csv', spec({ maxLength: 3, truncate: 'start' }));
    expect(tokensOf(start, trainRow(start, 1))).toEqual(['f', 'g', 'h']);
    expect(tokensOf(start, trainRow(start, 2))).toEqual(['a', 'b', '<pad>']);
  });

  it('frames each text with <bos> and <eos>, which are kept when it is cut', () => {
    const d = prepareFromText(FILE, 'f.csv', spec({ bos: true, eos: true, maxLength: 5 }));
    expect(d.vocab.tokens.slice(0, 4)).toEqual(['<pad>', '<unk>', '<bos>', '<eos>']);
    expect(tokensOf(d, trainRow(d, 0))).toEqual(['<bos>', 'a', 'b', 'c', '<eos>']);
    expect(tokensOf(d, trainRow(d, 1))).toEqual(['<bos>', 'a', 'b', 'c', '<eos>']);
    expect(tokensOf(d, trainRow(d, 2))).toEqual(['<bos>', 'a', 'b', '<eos>', '<pad>']);
    // "auto" counts them: the longest is 8 + 2.
    expect(prepareFromText(FILE, 'f.csv', spec({ bos: true, eos: true })).summary.maxLength).toBe(10);
    expect(() => prepareFromText(FILE, 'f.csv', spec({ bos: true, eos: true, maxLength: 2 }))).toThrow(
      /maxLength is 2, which leaves no room for a token besides <bos> and <eos>; make it at least 3/,
    );
  });
});

describe('encodings', () => {
  it('one-hot: float32 [length, vocabulary], padding all zeros', () => {
    const d = prepareFromText(FILE, 'f.csv', spec({ encoding: 'onehot' }));
    const [L, V] = d.summary.inputShape as [number, number];
    expect(d.summary.inputDtype).toBe('float32');
    const x = fillInputs(d.train, [trainRow(d, 2)], 'onehot') as Float32Array;
    expect(x.length).toBe(L * V);
    expect(x.reduce((a, b) => a + b, 0)).toBe(2);
    expect(x[0 * V + d.vocab.ids.get('a')!]).toBe(1);
  });

  it('bag of tokens: float32 [vocabulary], counts or presence, for an MLP', () => {
    const text = csv([
      ['banana', 'x'],
      ['nab', 'y'],
    ]);
    const counts = prepareFromText(text, 'f.csv', spec({ encoding: 'bag' }));
    expect(counts.summary.inputShape).toEqual([counts.vocab.size]);
    expect(counts.facts).toMatchObject({ inputShape: [counts.vocab.size], inputDtype: 'float32' });
    const x = fillInputs(counts.train, [trainRow(counts, 0)], 'bag') as Float32Array;
    expect([x[counts.vocab.ids.get('a')!], x[counts.vocab.ids.get('n')!], x[counts.vocab.ids.get('b')!]]).toEqual([3, 2, 1]);
    const presence = prepareFromText(text, 'f.csv', spec({ encoding: 'bag', bagValue: 'presence' }));
    const p = fillInputs(presence.train, [trainRow(presence, 0)], 'bag') as Float32Array;
    expect([p[presence.vocab.ids.get('a')!], p[presence.vocab.ids.get('n')!]]).toEqual([1, 1]);
    expect(p.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('joins several text columns with a <sep> token, in the order named', () => {
    const text = 'subject,body,label\nhi,there,x\nbuy,now,y\n';
    const d = prepareFromText(text, 'f.csv', spec({ text: ['subject', 'body'], tokenizer: 'word' }));
    expect(d.vocab.tokens).toContain('<sep>');
    expect(tokensOf(d, trainRow(d, 0))).toEqual(['hi', '<sep>', 'there']);
    expect(d.summary.columns).toMatchObject({ text: ['subject', 'body'], label: 'label' });
    // Prediction: the columns of a text are its tab-separated parts.
    const again = encodeTexts(['hi\tthere'], d.vocab, d.encodeSpec);
    expect(Array.from(again.ids)).toEqual(Array.from(d.train.ids.subarray(trainRow(d, 0) * d.summary.maxLength, (trainRow(d, 0) + 1) * d.summary.maxLength)));
  });

  it('saves every option with the run, so prediction encodes exactly as training did', () => {
    const d = prepareFromText(
      FILE,
      'f.csv',
      spec({ encoding: 'bag', bagValue: 'presence', bos: true, truncate: 'start', maxLength: 4, tokenizer: 'word', punctuation: true }),
    );
    const saved = TextPreprocessingSchema.parse(JSON.parse(JSON.stringify(preprocessingOf(d))));
    expect(saved.encodeSpec).toMatchObject({
      tokenizer: 'word',
      punctuation: true,
      bos: true,
      eos: false,
      truncate: 'start',
      maxLength: 4,
      textColumns: 1,
      bagValue: 'presence',
    });
    expect(saved.encoding).toBe('bag');
    const fresh = encodeTexts(['abcdefgh'], d.vocab, saved.encodeSpec);
    const x = fillInputs(fresh, [0], saved.encoding);
    expect(Array.from(x)).toEqual(Array.from(fillInputs(d.train, [trainRow(d, 1)], 'bag')));
  });
});
