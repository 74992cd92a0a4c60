/**
 * What the Data tab and `modelwright data` show: classes per split, the length histogram with
 * the share cut, <unk> on dev, the token preview (text → tokens → ids → tensor), GloVe coverage;
 * and a large file streamed through the port in chunks, with progress, giving what it gives whole.
 */
import { describe, expect, it } from 'vitest';
import { prepareData, prepareFromText, type DataProgress } from '../../../engine/data/dataset';
import { gloveCoverage } from '../../../engine/data/glove';
import { DataSchema, type DataSpec } from '../../../engine/graph/document';
import type { FilePort } from '../../../engine/ports';
import { memoryFiles } from './filePort';

const spec = (over: Record<string, unknown> = {}): DataSpec =>
  DataSchema.parse({ source: { path: 'news.csv' }, text: 'text', label: 'label', tokenizer: 'word', ...over });

/** A small news-like file: 4 classes, words repeating, some rare. */
function news(n: number): string {
  const topics = [
    ['world', 'leaders', 'meet', 'in', 'geneva'],
    ['sports', 'team', 'wins', 'the', 'cup'],
    ['business', 'stocks', 'fall', 'on', 'news'],
    ['science', 'probe', 'reaches', 'mars', 'orbit'],
  ];
  const lines = ['text,label'];
  for (let i = 0; i < n; i++) {
    const t = topics[i % 4]!;
    const words = t.slice(0, 2 + (i % 4)).concat(`rare${i}`);
    lines.push(`"${words.join(' ')}, ok.",${i % 4}`);
  }
  return lines.join('\n') + '\n';
}

describe('statistics', () => {
  const d = prepareFromText(news(200), 'news.csv', spec({ encoding: 'index', maxLength: { percentile: 50 } }));
  const s = d.summary;

  it('counts each class in each split', () => {
    expect(s.splitClassCounts!.train.reduce((a, b) => a + b, 0)).toBe(s.split.train);
    expect(s.splitClassCounts!.dev.reduce((a, b) => a + b, 0)).toBe(s.split.dev);
    expect(s.splitClassCounts!.test).toHaveLength(4);
    s.classes.forEach((_, c) => expect(s.splitClassCounts!.train[c]! + s.splitClassCounts!.dev[c]! + s.splitClassCounts!.test[c]!).toBe(s.classCounts[c]));
  });

  it('draws the lengths as a histogram with maxLength and the share it cuts', () => {
    const l = s.lengths!;
    expect(l.bins.reduce((a, b) => a + b.count, 0)).toBe(s.split.train);
    expect(l.bins[0]!.from).toBeGreaterThan(0);
    expect(l.maxLength).toBe(s.maxLength);
    expect(l.truncatedShare).toBeGreaterThan(0.2);
    expect(l.truncatedShare).toBeLessThan(0.6);
    expect(l.longest).toBeGreaterThan(l.maxLength);
  });

  it('counts the dev tokens that are <unk>: every rareN word is one', () => {
    // One unknown word of 4–7 tokens (words, ",", "ok", ".") per dev row.
    expect(s.devUnkShare!).toBeGreaterThan(1 / 9);
    expect(s.devUnkShare!).toBeLessThan(1 / 4);
  });

  it('previews a few rows as text → tokens → ids → tensor, unknowns marked by id 1', () => {
    const p = s.preview!;
    expect(p.length).toBeGreaterThanOrEqual(3);
    for (const row of p) {
      expect(row.ids).toEqual(row.tokens.map((t) => d.vocab.ids.get(t) ?? 1));
      expect(row.shape).toEqual([s.maxLength]);
      expect(row.nonZero).toBe(Math.min(row.tokens.length, s.maxLength));
      expect(row.cells[0]!.at).toEqual([0]);
    }
    // Each text's rareN word is in the vocabulary only when the row is in train.
    for (const row of p) {
      const rare = row.ids[row.tokens.findIndex((t) => t.startsWith('rare'))];
      expect(rare === 1, `${row.texts[0]} in ${row.split}`).toBe(row.split !== 'train');
    }
    const onehot = prepareFromText(news(40), 'news.csv', spec({ encoding: 'onehot' })).summary.preview![0]!;
    expect(onehot.shape).toHaveLength(2);
    expect(onehot.cells.every((c) => c.at.length === 2 && c.value === 1)).toBe(true);
  });

  it('measures GloVe coverage of the vocabulary and of the train tokens', () => {
    const glove = new TextEncoder().encode(['world 0.1 0.2', 'sports 0.1 0.2', 'the 0.3 0.1', ', 0 0', '. 0 0', 'ok 1 1', 'zebra 1 1'].join('\n'));
    const c = gloveCoverage(glove, d.vocab, d.vocabCounts, { file: 'tiny.txt' });
    expect(c.dim).toBe(2);
    // world, sports, ",", ".", ok ("the" is never in a text: a sports text has 2–3 words here).
    expect(c.wordsFound).toBe(5);
    expect(c.words).toBe(d.vocab.size - 2);
    expect(c.vocabularyShare).toBeCloseTo(5 / (d.vocab.size - 2), 6);
    // Frequent words are found, rare ones (once each) are not: more of the tokens than of the vocabulary.
    expect(c.tokenShare).toBeGreaterThan(c.vocabularyShare);
  });
});

describe('a large file, streamed', () => {
  /** A port that hands the file over in small chunks, as the host's does in 1 MB ones. */
  function chunked(text: string, size: number): { port: FilePort; opened: () => number } {
    const bytes = new TextEncoder().encode(text);
    let opened = 0;
    const port: FilePort = {
      ...memoryFiles(),
      readFile: async () => {
        throw new Error('the streamed read must not read the file whole');
      },
      async openFile() {
        opened++;
        async function* chunks() {
          for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
        }
        return { size: bytes.length, chunks: chunks() };
      },
    };
    return { port, opened: () => opened };
  }

  it('gives what the whole text gives, chunks cut anywhere, and reports progress', async () => {
    const text = news(12_000);
    const whole = prepareFromText(text, 'news.csv', spec());
    const { port } = chunked(text, 997);
    const seen: DataProgress[] = [];
    const streamed = await prepareData(spec(), port, { onProgress: (p) => seen.push(p), progressMs: 0 });
    expect(streamed.vocab.tokens).toEqual(whole.vocab.tokens);
    expect(streamed.train.ids).toEqual(whole.train.ids);
    expect(streamed.summary.rows).toBe(12_000);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.at(-1)).toMatchObject({ phase: 'encoding', rows: 12_000, bytes: text.length, totalBytes: text.length });
    const reading = seen.filter((p) => p.phase === 'reading');
    expect(reading.every((p, i) => i === 0 || p.bytes >= reading[i - 1]!.bytes)).toBe(true);
  });

  it('keeps no text but the first rows: memory follows the encoded data', async () => {
    const { port } = chunked(news(2000), 64 * 1024);
    const d = await prepareData(spec(), port);
    expect(d.train.texts).toBeUndefined();
    expect(d.train.rows.length).toBe(d.train.n);
  });
});
