/**
 * Resume: a run stopped after an epoch goes on from its last checkpoint (weights, optimizer
 * state, schedule position, early stopping's bookkeeping) and, seeded, ends with the same weights
 * as the same run that never stopped; its curves continue in the same folder.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo, TrainEvent } from '../../../engine/api';
import type { Document } from '../../../engine/graph/document';
import { parseDocument } from '../../../engine/graph/load';
import { FsRunStore } from '../../../engine/host/fsRunStore';
import type { FilePort } from '../../../engine/ports';
import { prepareTrainData } from '../../../engine/train/data';
import { runDocument } from '../../../engine/train/run';
import { restoreRunInfo } from '../../../engine/train/runStore';
import { decodeSaved } from '../../../engine/train/weights';
import { tinyCsv, tinyDocument } from '../host/fixtures';
import { useCpu } from './synthetic';

const backend: BackendInfo = { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', reason: 'test', customKernels: [] };
const files: FilePort = {
  readFile: async () => new TextEncoder().encode(tinyCsv()),
  readAsset: async () => {
    throw new Error('no assets here');
  },
};

/** The tiny document with a Dense + Dropout layer, a decaying schedule and early stopping that restores the best epoch. */
function document(): Document {
  const raw = JSON.parse(tinyDocument({ dataPath: 'tiny.csv', epochs: 5 })) as Record<string, unknown> & { graph: { nodes: unknown[]; edges: unknown[] } };
  raw.graph = {
    nodes: [
      { id: 'chars', type: 'Input', params: { shape: 'auto', dtype: 'float32' } },
      { id: 'flat', type: 'Flatten', params: {} },
      { id: 'hidden', type: 'Dense', params: { units: 8, activation: 'relu' } },
      { id: 'drop', type: 'Dropout', params: { rate: 0.3 } },
      { id: 'out', type: 'Output', params: { units: 'auto', activation: 'softmax' } },
    ],
    edges: [
      { id: 'e1', source: 'chars', target: 'flat' },
      { id: 'e2', source: 'flat', target: 'hidden' },
      { id: 'e3', source: 'hidden', target: 'drop' },
      { id: 'e4', source: 'drop', target: 'out' },
    ],
  };
  (raw.training as Record<string, unknown>).schedule = { type: 'exponential', gamma: 0.7 };
  (raw.training as Record<string, unknown>).earlyStopping = { patience: 10, restoreBest: true };
  const parsed = parseDocument(JSON.stringify(raw));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.doc;
}

function finalWeights(runDir: string): Map<string, Float32Array> {
  const store = readFileSync(join(runDir, 'final.json'), 'utf8');
  const model = JSON.parse(store) as { weightsManifest: { weights: { name: string; shape: number[]; dtype: string }[] }[] };
  const bin = readFileSync(join(runDir, 'final.weights.bin'));
  const named = decodeSaved({
    modelTopology: null,
    weightSpecs: model.weightsManifest[0]!.weights,
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer,
  });
  const out = new Map(named.map((n) => [n.name, n.tensor.dataSync() as Float32Array]));
  tf.dispose(named.map((n) => n.tensor));
  return out;
}

async function train(runDir: string, opts: { stopAfterEpoch?: number; resume?: boolean } = {}): Promise<TrainEvent[]> {
  const store = new FsRunStore(runDir);
  const events: TrainEvent[] = [];
  const stop = new AbortController();
  const resume = opts.resume
    ? { previous: restoreRunInfo(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')))!, checkpoint: (await store.loadCheckpoint())! }
    : undefined;
  await runDocument({
    runId: 'r',
    doc: document(),
    backend,
    files,
    store,
    prepare: prepareTrainData,
    signal: stop.signal,
    emit: (e) => {
      events.push(e);
      if (e.type === 'epoch' && e.epoch === opts.stopAfterEpoch) stop.abort();
    },
    ...(resume ? { resume } : {}),
  });
  return events;
}

beforeAll(useCpu);

describe('resume', () => {
  it('a run stopped after epoch 2 and resumed ends with the weights of one that never stopped', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mw-resume-'));
    const whole = join(root, 'whole');
    const split = join(root, 'split');
    const wholeEvents = await train(whole);
    expect(wholeEvents.at(-1)).toMatchObject({ type: 'done', reason: 'completed', epochs: 5 });

    const first = await train(split, { stopAfterEpoch: 2 });
    expect(first.at(-1)).toMatchObject({ type: 'done', reason: 'stopped', epochs: 2 });
    const second = await train(split, { resume: true });
    expect(second.find((e) => e.type === 'start')).toMatchObject({ resumedFrom: 2 });
    const epochs = second.filter((e) => e.type === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([3, 4, 5]);
    // The schedule goes on where it was: epoch 3's rate is lr0 · 0.7².
    expect(epochs[0]!.lr).toBeCloseTo(0.05 * 0.7 ** 2, 8);
    expect(second.at(-1)).toMatchObject({ type: 'done', reason: 'completed', epochs: 5 });
    // The same curve as the run that never stopped, epoch by epoch.
    const wholeEpochs = wholeEvents.filter((e) => e.type === 'epoch');
    for (const e of epochs) expect(e.trainLoss).toBeCloseTo(wholeEpochs[e.epoch - 1]!.trainLoss, 5);

    const a = finalWeights(whole);
    const b = finalWeights(split);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [name, values] of a) {
      const other = b.get(name)!;
      let diff = 0;
      for (let i = 0; i < values.length; i++) diff = Math.max(diff, Math.abs(values[i]! - other[i]!));
      expect(diff, name).toBeLessThan(1e-5);
    }

    // One folder: run.json says it was resumed and ended; the curves go on in the same logs.
    const info = JSON.parse(readFileSync(join(split, 'run.json'), 'utf8')) as { resumed: { fromEpoch: number }[]; outcome: { reason: string } };
    expect(info.resumed).toEqual([{ at: expect.any(String), fromEpoch: 2 }]);
    expect(info.outcome.reason).toBe('completed');
    const logged = readFileSync(join(split, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TrainEvent)
      .filter((e) => e.type === 'epoch')
      .map((e) => (e as { epoch: number }).epoch);
    expect(logged).toEqual([1, 2, 3, 4, 5]);
  });
});
