/**
 * Pretrained GloVe vectors in a real (in-process) run: they land in the Embedding, stay put
 * when it is frozen, and a file the host did not grant is refused by the file port, naming the node.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo, TrainEvent } from '../../../engine/api';
import type { FilePort } from '../../../engine/ports';
import { prepareTrainData } from '../../../engine/train/data';
import { parseDocument } from '../../../engine/graph/load';
import { grantedFilePort } from '../../../engine/host/consent';
import { runDocument } from '../../../engine/train/run';
import type { RunInfo, RunStore, SavedWeights } from '../../../engine/train/runStore';
import { mulberry32 } from '../../../engine/data/prng';
import { useCpu } from './synthetic';

beforeAll(useCpu);

const backend: BackendInfo = { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', reason: 'test', customKernels: [] };

class MemoryStore implements RunStore {
  readonly runDir = '/memory/run';
  events: TrainEvent[] = [];
  weights = new Map<string, SavedWeights>();
  json = new Map<string, unknown>();
  async writeRunInfo(_info: RunInfo) {}
  async appendEvent(event: TrainEvent) {
    this.events.push(event);
  }
  async saveJson(name: string, value: unknown) {
    this.json.set(name, value);
  }
  async saveWeights(name: string, w: SavedWeights) {
    this.weights.set(name, w);
  }
}

const POSITIVE = ['good', 'great', 'fine', 'nice'];
const NEGATIVE = ['bad', 'awful', 'poor', 'sad'];

function reviewsCsv(): string {
  const rand = mulberry32(3);
  const lines = ['text,label'];
  for (let i = 0; i < 160; i++) {
    const pos = i % 2 === 0;
    const pool = pos ? POSITIVE : NEGATIVE;
    const words = Array.from({ length: 3 + Math.floor(rand() * 3) }, () => pool[Math.floor(rand() * pool.length)]!);
    lines.push(`${words.join(' ')} film,${pos ? 'pos' : 'neg'}`);
  }
  return lines.join('\n') + '\n';
}

/** 4-dimensional vectors for some of the words (not "sad", "film"), and one the data lacks. */
const VECTORS: Record<string, number[]> = {
  good: [0.5, 0.25, -0.125, 1],
  great: [0.75, 0.5, 0, 0.25],
  fine: [0.125, 0.5, 0.25, -0.5],
  nice: [1, -1, 0.5, 0.5],
  bad: [-0.5, -0.25, 0.125, -1],
  awful: [-0.75, 0, 0.5, -0.25],
  poor: [-1, 0.5, -0.5, 0],
  unused: [9, 9, 9, 9],
};
const glove = Object.entries(VECTORS)
  .map(([w, v]) => `${w} ${v.join(' ')}`)
  .join('\n');

function reviewDocument(opts: { trainable: boolean; outputDim?: number; pretrained?: string; lr?: number }): string {
  return JSON.stringify({
    format: 'modelwright',
    schemaVersion: 1,
    name: 'Reviews',
    graph: {
      nodes: [
        { id: 'words', type: 'Input', params: { shape: 'auto', dtype: 'int32' } },
        {
          id: 'glove',
          type: 'Embedding',
          params: { inputDim: 'auto', outputDim: opts.outputDim ?? 4, trainable: opts.trainable, pretrained: opts.pretrained ?? 'vec.txt' },
        },
        { id: 'pool', type: 'GlobalAvgPool1D', params: {} },
        { id: 'out', type: 'Output', params: { units: 'auto', activation: 'softmax' } },
      ],
      edges: [
        { id: 'e1', source: 'words', sourcePort: 'out', target: 'glove', targetPort: 'in' },
        { id: 'e2', source: 'glove', sourcePort: 'out', target: 'pool', targetPort: 'in' },
        { id: 'e3', source: 'pool', sourcePort: 'out', target: 'out', targetPort: 'in' },
      ],
    },
    data: {
      source: { path: 'reviews.csv' },
      text: 'text',
      label: 'label',
      tokenizer: 'word',
      encoding: 'index',
      maxLength: 6,
      split: { ratios: [0.6, 0.2, 0.2], seed: 1 },
    },
    training: { optimizer: { type: 'adam', lr: opts.lr ?? 0.1 }, batchSize: 16, epochs: 3, seed: 5 },
  });
}

function filesPort(read: string[]): FilePort {
  return {
    async readFile(path) {
      read.push(path);
      const name = path.split('/').pop();
      if (name === 'reviews.csv') return new TextEncoder().encode(reviewsCsv());
      if (name === 'vec.txt') return new TextEncoder().encode(glove);
      throw new Error(`Cannot read ${path}: no such file`);
    },
    async readAsset() {
      throw new Error('no assets in this test');
    },
  };
}

async function run(documentText: string, grantedOnly?: string[]) {
  const store = new MemoryStore();
  const read: string[] = [];
  const emitted: TrainEvent[] = [];
  const parsed = parseDocument(documentText);
  if (!parsed.ok) throw new Error(parsed.error);
  const files = grantedOnly ? grantedFilePort(filesPort(read), '/docs', grantedOnly) : filesPort(read);
  const last = await runDocument({
    runId: 'run-1',
    doc: parsed.doc,
    backend,
    files,
    store,
    prepare: prepareTrainData,
    emit: (e) => emitted.push(e),
  });
  return { last, store, read, emitted };
}

/** The Embedding's matrix from saved weights, as rows by token. */
function embeddingRows(store: MemoryStore, name: string): Map<string, number[]> {
  const saved = store.weights.get(name)!;
  const tokens = (store.json.get('preprocessing') as { vocabulary: string[] }).vocabulary;
  let offset = 0;
  for (const spec of saved.weightSpecs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.name.startsWith('glove')) {
      const all = new Float32Array(saved.weightData, offset, n);
      const dim = spec.shape[1]!;
      expect(spec.shape[0]).toBe(tokens.length);
      return new Map(tokens.map((t, i) => [t, Array.from(all.subarray(i * dim, (i + 1) * dim))]));
    }
    offset += n * 4;
  }
  throw new Error(`no embedding weights in ${saved.weightSpecs.map((s) => s.name).join(', ')}`);
}

describe('pretrained embeddings in training', () => {
  it('a frozen Embedding starts from the GloVe vectors and keeps them through training', async () => {
    const { last, store, emitted } = await run(reviewDocument({ trainable: false }));
    expect(last).toMatchObject({ type: 'done', reason: 'completed', epochs: 3 });
    const rows = embeddingRows(store, 'final');
    for (const word of [...POSITIVE, ...NEGATIVE]) {
      if (!VECTORS[word]) continue;
      const row = rows.get(word)!;
      for (let k = 0; k < 4; k++) expect(row[k]).toBeCloseTo(VECTORS[word]![k]!, 6);
    }
    expect(rows.get('<pad>')).toEqual([0, 0, 0, 0]);
    // A word the file lacks got a small random row, not zeros.
    expect(rows.get('sad')!.some((v) => v !== 0 && Math.abs(v) <= 0.05)).toBe(true);
    expect(emitted.some((e) => e.type === 'status' && /7 of 9 vocabulary words have pretrained vectors \(kept frozen\)/.test(e.message))).toBe(true);
    // The classifier on top still learned.
    const epochs = emitted.filter((e) => e.type === 'epoch');
    expect(epochs.at(-1)!.trainLoss).toBeLessThan(epochs[0]!.trainLoss);
  });

  it('a trainable Embedding starts from them and moves', async () => {
    // Adam moves each value by about lr a step: 18 steps of 0.005 stay within 0.1 of the start.
    const { last, store } = await run(reviewDocument({ trainable: true, lr: 0.005 }));
    expect(last).toMatchObject({ type: 'done' });
    const good = embeddingRows(store, 'final').get('good')!;
    expect(good.some((v, k) => Math.abs(v - VECTORS.good![k]!) > 1e-3)).toBe(true);
    expect(good.every((v, k) => Math.abs(v - VECTORS.good![k]!) < 0.1)).toBe(true);
  });

  it('a file whose vectors do not match outputDim ends the run with an error naming node and file', async () => {
    const { last, store } = await run(reviewDocument({ trainable: false, outputDim: 5 }));
    expect(last.type).toBe('error');
    const message = (last as { message: string }).message;
    expect(message).toMatch(/Embedding "glove"/);
    expect(message).toMatch(/vec\.txt/);
    expect(message).toMatch(/outputDim is 5/);
    expect(store.weights.size).toBe(0);
    const missing = await run(reviewDocument({ trainable: false, pretrained: 'nowhere.txt' }));
    expect((missing.last as { message: string }).message).toMatch(/Embedding "glove".*nowhere\.txt/s);
  });

  it('reads no file the host did not grant: the port refuses it and the run names the node', async () => {
    const { last, read, emitted } = await run(reviewDocument({ trainable: false }), ['/docs/reviews.csv']);
    expect(last.type).toBe('error');
    const message = (last as { message: string }).message;
    expect(message).toMatch(/^Embedding "glove": its pretrained vectors could not be read: Refused to read \/docs\/vec\.txt: it was not granted/);
    expect(read).toEqual(['/docs/reviews.csv']);
    expect(emitted.filter((e) => e.type === 'start')).toEqual([]);

    const refuseAll = await run(reviewDocument({ trainable: false }), []);
    expect((refuseAll.last as { message: string }).message).toMatch(/The data could not be loaded: Refused to read \/docs\/reviews\.csv/);
    expect(refuseAll.read).toEqual([]);

    const allowed = await run(reviewDocument({ trainable: false }), ['/docs/reviews.csv', '/docs/vec.txt']);
    expect(allowed.last.type).toBe('done');
    expect(allowed.read).toEqual(['/docs/reviews.csv', '/docs/vec.txt']);
  });
});
