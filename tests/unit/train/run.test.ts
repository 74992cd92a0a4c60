/** runDocument in-process, with an in-memory run store and the real data pipeline. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo, TrainEvent } from '../../../engine/api';
import type { FilePort } from '../../../engine/ports';
import { prepareTrainData } from '../../../engine/train/data';
import { parseDocument } from '../../../engine/graph/load';
import { runDocument } from '../../../engine/train/run';
import type { RunInfo, RunStore, SavedWeights } from '../../../engine/train/runStore';
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

async function run(documentText: string, epochs?: number) {
  const store = new MemoryStore();
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
    expect(store.weights.has('checkpoint') && store.weights.has('optimizer')).toBe(true);
    expect(store.infos.at(-1)?.lastEpoch).toBe(3);
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
});
