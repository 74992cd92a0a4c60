/** runDocument in-process, with an in-memory run store and the real data pipeline. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo, TrainEvent } from '../../../engine/api';
import type { FilePort } from '../../../engine/ports';
import { prepareTrainData } from '../../../engine/train/data';
import { parseDocument } from '../../../engine/graph/load';
import { runDocument } from '../../../engine/train/run';
import type { Checkpoint, RunInfo, RunStore, SavedWeights } from '../../../engine/train/runStore';
import { tinyCsv, tinyDocument } from '../host/fixtures';
import { useCpu } from './synthetic';

beforeAll(useCpu);

const backend: BackendInfo = { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', reason: 'test', customKernels: [] };

class MemoryStore implements RunStore {
  readonly runDir = '/memory/run';
  infos: RunInfo[] = [];
  events: TrainEvent[] = [];
  weights = new Map<string, SavedWeights>();
  async writeRunInfo(info: RunInfo) {
    this.infos.push(info);
  }
  async appendEvent(event: TrainEvent) {
    this.events.push(event);
  }
  json = new Map<string, unknown>();
  async saveJson(name: string, value: unknown) {
    this.json.set(name, value);
  }
  async saveWeights(name: string, w: SavedWeights) {
    this.weights.set(name, w);
  }
  checkpoints: Checkpoint[] = [];
  async saveCheckpoint(cp: Checkpoint) {
    this.checkpoints.push(cp);
  }
  async loadCheckpoint() {
    return this.checkpoints.at(-1) ?? null;
  }
}

const files: FilePort = {
  async readFile(path) {
    if (path === 'tiny.csv') return new TextEncoder().encode(tinyCsv());
    throw new Error(`Cannot read ${path}: no such file`);
  },
  async readAsset() {
    throw new Error('no assets in this test');
  },
};

async function run(documentText: string, epochs?: number, store = new MemoryStore()) {
  const emitted: TrainEvent[] = [];
  const parsed = parseDocument(documentText);
  if (!parsed.ok) throw new Error(parsed.error);
  const last = await runDocument({
    runId: 'run-1',
    doc: parsed.doc,
    ...(epochs ? { epochs } : {}),
    backend,
    files,
    store,
    prepare: prepareTrainData,
    batchEventIntervalMs: 0,
    emit: (e) => emitted.push(e),
  });
  return { last, store, emitted };
}

describe('runDocument', () => {
  it('trains a document: status, start, batches, epochs, done; run.json, events and weights stored', async () => {
    const { last, store, emitted } = await run(tinyDocument({ dataPath: 'tiny.csv' }), 3);
    expect(last).toMatchObject({ type: 'done', reason: 'completed', epochs: 3, runDir: '/memory/run' });
    const types = emitted.map((e) => e.type);
    expect(types[0]).toBe('status');
    expect(types.indexOf('start')).toBeLessThan(types.indexOf('batch'));
    expect(types.filter((t) => t === 'epoch')).toHaveLength(3);
    expect(types.at(-1)).toBe('done');
    expect(store.events).toEqual(emitted);
    expect(store.infos.at(-1)?.outcome?.reason).toBe('completed');
    expect(store.infos[0]).toMatchObject({ format: 'modelwright-run', seed: 5, epochs: 3, backend });
    const start = emitted.find((e) => e.type === 'start')!;
    expect(start).toMatchObject({ batchSize: 16, epochs: 3 });
    const w = store.weights.get('final')!;
    // One checkpoint set an epoch: the model, the optimizer state and that epoch's own metrics.
    expect(store.checkpoints.map((c) => c.epoch)).toEqual([1, 2, 3]);
    const epochEvents = emitted.filter((e) => e.type === 'epoch');
    expect(store.checkpoints.map((c) => c.metrics)).toEqual(epochEvents);
    expect(store.checkpoints[2]!.weights.weightSpecs).toEqual(w.weightSpecs);
    expect(store.checkpoints[2]!.optimizer.weightSpecs.length).toBeGreaterThan(0);
    expect(store.weights.has('checkpoint') || store.weights.has('optimizer')).toBe(false);
    expect(store.infos).toHaveLength(2);
    expect(store.infos.at(-1)?.endedAt).toMatch(/^\d{4}-/);
    expect(store.json.get('preprocessing')).toMatchObject({ classes: ['East', 'West'], encoding: 'onehot' });
    expect(w.weightSpecs.map((s) => s.shape)).toEqual([expect.any(Array), [2]]);
    expect(w.weightData.byteLength).toBe(w.weightSpecs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0));
    const epochs = emitted.filter((e) => e.type === 'epoch');
    expect(epochs.at(-1)!.trainLoss).toBeLessThan(epochs[0]!.trainLoss);
  });

  it('ends with an error event, not a throw, for missing data or an invalid graph', async () => {
    expect((await run(tinyDocument({ dataPath: 'missing.csv' }))).last).toMatchObject({
      type: 'error',
      message: expect.stringMatching(/missing\.csv/),
    });
    const bad = JSON.parse(tinyDocument({ dataPath: 'tiny.csv' })) as { graph: { edges: unknown[] } };
    bad.graph.edges = [];
    const invalid = await run(JSON.stringify(bad));
    expect(invalid.last.type).toBe('error');
    expect((invalid.last as { issues?: { code: string }[] }).issues?.map((i) => i.code)).toContain('missing-input');
    expect(invalid.store.weights.size).toBe(0);
  });

  it('a run that fails before it starts writes no run.json: it leaves no folder', async () => {
    const missing = await run(tinyDocument({ dataPath: 'missing.csv' }));
    expect(missing.last.type).toBe('error');
    expect(missing.store.infos).toEqual([]);
    const bad = JSON.parse(tinyDocument({ dataPath: 'tiny.csv' })) as { graph: { edges: unknown[] } };
    bad.graph.edges = [];
    expect((await run(JSON.stringify(bad))).store.infos).toEqual([]);
  });

  it('an event the store cannot write stops the run with a message, and run.json says error', async () => {
    class FullStore extends MemoryStore {
      override async appendEvent(event: TrainEvent) {
        if (event.type === 'batch' && event.step >= 4) throw new Error('Cannot write /memory/run/events.jsonl: the disk is full (ENOSPC)');
        await super.appendEvent(event);
      }
    }
    const { last, store, emitted } = await run(tinyDocument({ dataPath: 'tiny.csv' }), 200, new FullStore());
    expect(last).toMatchObject({
      type: 'error',
      message: "Training stopped: the run's record could not be written. Cannot write /memory/run/events.jsonl: the disk is full (ENOSPC).",
    });
    // At the next batch, not 200 epochs later.
    expect(emitted.filter((e) => e.type === 'batch').length).toBeLessThanOrEqual(5);
    expect(emitted.some((e) => e.type === 'done')).toBe(false);
    expect(store.infos.at(-1)?.outcome).toEqual({ reason: 'error', message: (last as { message: string }).message });
  });

  it('a failure after the start is the outcome in run.json', async () => {
    class BrokenCheckpoints extends MemoryStore {
      override async saveCheckpoint(cp: Checkpoint) {
        if (cp.epoch === 2) throw new Error('EIO: the disk went away');
        await super.saveCheckpoint(cp);
      }
    }
    const { last, store } = await run(tinyDocument({ dataPath: 'tiny.csv' }), 5, new BrokenCheckpoints());
    expect(last).toMatchObject({ type: 'error', message: 'Training failed: EIO: the disk went away' });
    expect(store.infos.at(-1)?.outcome).toEqual({ reason: 'error', message: 'Training failed: EIO: the disk went away' });
    expect(store.checkpoints.map((c) => c.epoch)).toEqual([1]);
  });
});
