/**
 * The news-glove-cnn template end to end, as issue 3 asks: a small AG-News-format CSV and a
 * GloVe file written here, the data layer's vocabulary and GloVe loader, the pretrained
 * vectors in the compiled Embedding, and a few training steps that lower the loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { initBackend } from '../../../engine/backend';
import { compileChecked } from './compileChecked';
import { loadGlove, prepareFromText } from '../../../engine/data';
import { parseDocument } from '../../../engine/graph/load';
import { pretrainedRequests } from '../../../engine/graph/files';
import { validateDocument } from '../../../engine/graph/validate';

const TOPICS: Record<string, string[]> = {
  '1': ['election', 'minister', 'parliament', 'treaty', 'embassy', 'summit'],
  '2': ['goal', 'striker', 'league', 'coach', 'season', 'stadium'],
  '3': ['shares', 'profit', 'market', 'investors', 'bank', 'earnings'],
  '4': ['software', 'chip', 'internet', 'phone', 'browser', 'robot'],
};
const FILLER = ['the', 'a', 'of', 'in', 'on', 'reports', 'says', 'new', 'after', 'week'];

function agNews(rows: number): string {
  let seed = 5;
  const pick = <T>(xs: T[]) => xs[(seed = (seed * 1103515245 + 12345) & 0x7fffffff) % xs.length]!;
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const label = String((i % 4) + 1);
    const words = Array.from({ length: 12 }, (_, j) => (j % 3 === 0 ? pick(TOPICS[label]!) : pick(FILLER)));
    lines.push(`"${label}","${pick(TOPICS[label]!)} ${pick(FILLER)}","${words.join(' ')}"`);
  }
  return `${lines.join('\n')}\n`;
}

/** 100-d vectors: topic words point along their class's axis, so GloVe carries the signal. */
function glove(): string {
  const lines: string[] = [];
  const vec = (axis: number) => Array.from({ length: 100 }, (_, i) => (i === axis ? '1.0' : (((i * 7 + axis) % 11) / 100).toFixed(3))).join(' ');
  for (const [label, words] of Object.entries(TOPICS)) for (const w of words) lines.push(`${w} ${vec(Number(label))}`);
  FILLER.forEach((w, i) => lines.push(`${w} ${vec(50 + i)}`));
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  await initBackend();
});

it('news-glove-cnn trains on a small AG News CSV with GloVe vectors', async () => {
  const parsed = parseDocument(readFileSync(join(__dirname, '../../../assets/examples/news-glove-cnn.json'), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  const doc = parsed.doc;
  const data = prepareFromText(agNews(160), 'ag_news_train.csv', doc.data);
  expect(data.classes).toEqual(['1', '2', '3', '4']);
  expect(validateDocument(doc, data.facts).errors).toEqual([]);

  const [request] = pretrainedRequests(doc.graph);
  expect(request).toMatchObject({ nodeId: 'glove', dim: 100 });
  const vectors = loadGlove(new TextEncoder().encode(glove()), data.vocab, request!.dim);
  expect(vectors.found).toBeGreaterThan(15);
  const model = compileChecked(doc, data.facts, { seed: doc.training.seed, pretrained: { [request!.nodeId]: vectors } }).model;
  expect(Array.from(model.getLayer('glove').getWeights()[0]!.dataSync().slice(0, 300))).toEqual(Array.from(vectors.weights.slice(0, 300)));

  const train = data.train;
  const x = tf.tensor2d(train.ids, [train.n, train.maxLength], 'int32');
  const y = tf.oneHot(tf.tensor1d(train.labels, 'int32'), 4);
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const first = (await model.trainOnBatch(x, y)) as number;
  let last = first;
  for (let step = 0; step < 15; step++) last = (await model.trainOnBatch(x, y)) as number;
  console.log(`news-glove-cnn on ${tf.getBackend()}: loss ${first.toFixed(3)} → ${last.toFixed(3)}`);
  expect(last).toBeLessThan(first * 0.7);
  // Frozen GloVe rows stay put while the convolutions learn.
  expect(Array.from(model.getLayer('glove').getWeights()[0]!.dataSync().slice(0, 300))).toEqual(Array.from(vectors.weights.slice(0, 300)));
  tf.dispose([x, y]);
  model.dispose();
});
