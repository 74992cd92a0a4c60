import { describe, expect, it } from 'vitest';
import { DataError } from '../../../engine/data/dataError';
import { prepareFromText } from '../../../engine/data/dataset';
import { loadGlove, loadGloveChunks } from '../../../engine/data/glove';
import { buildVocabulary } from '../../../engine/data/vocabulary';
import { DataSchema } from '../../../engine/graph/document';

const bytes = (text: string) => new TextEncoder().encode(text);
// ids: <pad> 0, <unk> 1, the 2, cat 3, zürich 4, absent 5
const vocab = buildVocabulary([['the', 'the', 'the', 'the', 'cat', 'cat', 'cat', 'zürich', 'zürich', 'absent']]);
const GLOVE = 'the 0.1 0.2 0.3\ncat -1 2.5e-1 3\nZürich 7 8 9\nzürich 4 5 6\ndog 1 1 1\n';

describe('loadGlove', () => {
  it('fills the rows of the words it has, zeros for padding, small seeded random for the rest', () => {
    const g = loadGlove(bytes(GLOVE), vocab);
    expect(g.dims).toEqual([6, 3]);
    expect(g.found).toBe(3);
    const row = (id: number) => Array.from(g.weights.subarray(id * 3, id * 3 + 3));
    expect(row(0)).toEqual([0, 0, 0]);
    expect(row(2)).toEqual([0.1, 0.2, 0.3].map(Math.fround));
    expect(row(3)).toEqual([-1, 0.25, 3]);
    expect(row(4)).toEqual([4, 5, 6]); // the exact word wins over a cased one
    for (const id of [1, 5]) {
      expect(row(id).every((v) => v !== 0 && Math.abs(v) <= 0.05)).toBe(true);
    }
    expect(loadGlove(bytes(GLOVE), vocab).weights).toEqual(g.weights);
    expect(loadGlove(bytes(GLOVE), vocab, 3, { seed: 2 }).weights.subarray(15)).not.toEqual(g.weights.subarray(15));
  });

  it('streamed in chunks of any size (lines, a BOM and UTF-8 characters cut across them) gives the same weights as whole', async () => {
    const text = '\ufeff3 3\r\n' + GLOVE.replace(/\n/g, '\r\n');
    const whole = loadGlove(bytes(text), vocab);
    for (const size of [1, 2, 5, 7, 64, 10_000]) {
      const all = bytes(text);
      async function* chunks() {
        for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
      }
      const streamed = await loadGloveChunks(chunks(), vocab);
      expect(streamed.weights, `chunks of ${size}`).toEqual(whole.weights);
      expect(streamed.found).toBe(whole.found);
    }
    // Errors name the same line as the whole-file parse does.
    async function* broken() {
      yield bytes('the 1 2 3\ncat 1 2');
      yield bytes('\n');
    }
    await expect(loadGloveChunks(broken(), vocab)).rejects.toThrow(/line 2.*"cat" has 2 numbers/);
  });

  it('matches a cased word when the lowercase one is missing, and reads CRLF, a BOM and a word2vec header', () => {
    const text = '\ufeff2 3\r\nThe 1 2 3\r\nCAT 4 5 6\r\n';
    const g = loadGlove(bytes(text), vocab);
    expect(g.found).toBe(2);
    expect(Array.from(g.weights.subarray(6, 12))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('names the line of a row with the wrong number of floats', () => {
    const bad = 'the 0.1 0.2 0.3\ncat 1 2\n';
    let err: unknown;
    try {
      loadGlove(bytes(bad), vocab, undefined, { file: 'glove.txt' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toBe(
      'glove.txt, line 2: the word "cat" has 2 numbers after it, but the file\'s rows have 3; the file may be cut off or damaged.',
    );
    expect((err as DataError).line).toBe(2);
  });

  it('says when the file does not match the asked dimension, or a value is not a number', () => {
    expect(() => loadGlove(bytes(GLOVE), vocab, 50, { file: 'g.txt' })).toThrow(
      /^g\.txt, line 1: the file's vectors have 3 numbers, but the Embedding's outputDim is 50/,
    );
    expect(() => loadGlove(bytes('the 1 x 3\n'), vocab, 3, { file: 'g.txt' })).toThrow(/^g\.txt, line 1: "x" after the word "the" is not a number/);
    expect(() => loadGlove(bytes('\n\n'), vocab)).toThrow(/holds no vectors/);
  });
});

describe('the news-glove-cnn data path', () => {
  it('prepares an AG-News-format CSV and builds Embedding weights for its vocabulary', () => {
    const titles = ['Stocks fall on oil', 'Team wins the cup', 'New chip is fast', 'Talks end in peace'];
    const csv = Array.from({ length: 40 }, (_, i) => `"${(i % 4) + 1}","${titles[i % 4]} ${i}","desc"`).join('\n');
    const spec = DataSchema.parse({ source: { path: 'news.csv' }, text: 'column 2', label: 'column 1', tokenizer: 'word', encoding: 'index' });
    const data = prepareFromText(csv, 'news.csv', spec);
    const glove = 'stocks 1 0\noil 0 1\nteam 1 1\nunrelated 5 5\n';
    const g = loadGlove(bytes(glove), data.vocab, 2, { file: 'glove.txt' });
    expect(g.dims).toEqual([data.vocab.size, 2]);
    expect(g.found).toBe(3);
    const oil = data.vocab.ids.get('oil')!;
    expect(Array.from(g.weights.subarray(oil * 2, oil * 2 + 2))).toEqual([0, 1]);
    expect(data.facts).toMatchObject({ inputShape: [data.summary.maxLength], inputDtype: 'int32', vocabSize: data.vocab.size, numClasses: 4 });
  });
});
