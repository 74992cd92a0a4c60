/**
 * The run folder on disk: made at the run's start, events flushed per epoch and their write
 * errors reported, checkpoints as one set that a failure or a SIGKILL between its files never
 * mixes, and the host's last word (settleRunFolder) on a run whose process died.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo, TrainEvent } from '../../../engine/api';
import { FsRunStore, readCheckpointManifest, settleRunFolder, type RunStoreFs } from '../../../engine/host/fsRunStore';
import { parseDocument } from '../../../engine/graph/load';
import { prepareTrainData } from '../../../engine/train/data';
import { runDocument } from '../../../engine/train/run';
import { restoreRunInfo, type Checkpoint, type RunInfo, type SavedWeights } from '../../../engine/train/runStore';
import { useCpu } from '../train/synthetic';
import { tinyCsv, tinyDocument } from './fixtures';

const ROOT = join(__dirname, '..', '..', '..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
beforeAll(useCpu);

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mw-runstore-'));
  dirs.push(dir);
  return dir;
}

const backend: BackendInfo = { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', reason: 'test', customKernels: [] };

const INFO: RunInfo = {
  format: 'modelwright-run',
  version: 1,
  runId: 'r1',
  createdAt: '2024-01-01T00:00:00.000Z',
  documentText: '{}',
  epochs: 3,
  seed: 1,
  backend,
  data: {
    source: 's',
    rows: 1,
    classes: ['a'],
    classCounts: [1],
    vocabSize: 1,
    maxLength: 1,
    inputShape: [1],
    inputDtype: 'float32',
    split: { train: 1, dev: 0, test: 0 },
    sample: [],
  },
  params: 2,
};

/** Weights whose every byte is `fill`, so a mixed set shows at once. */
function weightsOf(fill: number, bytes = 64): SavedWeights {
  return { modelTopology: null, weightSpecs: [{ name: 'w', shape: [bytes / 4], dtype: 'float32' }], weightData: new Uint8Array(bytes).fill(fill).buffer };
}

function epochEvent(epoch: number): Extract<TrainEvent, { type: 'epoch' }> {
  return {
    type: 'epoch',
    runId: 'r1',
    epoch,
    trainLoss: 1 / epoch,
    trainAcc: 0.5,
    devLoss: 1,
    devAcc: 0.5,
    seconds: 1,
    lr: 0.1,
    gradNorm: 1,
    examplesPerSec: 10,
    elapsedSeconds: epoch,
    etaSeconds: 0,
  };
}

function checkpointOf(epoch: number, bytes = 64): Checkpoint {
  return { epoch, weights: weightsOf(epoch, bytes), optimizer: weightsOf(100 + epoch, bytes), metrics: epochEvent(epoch) };
}

/** Every part of a loaded set is of one epoch: the weights, the optimizer state, the metrics. */
function expectOneEpoch(cp: Checkpoint | null, epoch: number): void {
  expect(cp).not.toBeNull();
  expect(cp!.epoch).toBe(epoch);
  expect(new Set(new Uint8Array(cp!.weights.weightData))).toEqual(new Set([epoch]));
  expect(new Set(new Uint8Array(cp!.optimizer.weightData))).toEqual(new Set([100 + epoch]));
  expect(cp!.metrics.epoch).toBe(epoch);
}

function fsError(code: string): Error {
  return Object.assign(new Error(`${code}: injected`), { code });
}

describe('FsRunStore: the folder and its logs', () => {
  it('makes no folder until run.json is written; events from before are written with it', async () => {
    const runDir = join(tempDir(), 'run');
    const store = new FsRunStore(runDir);
    await store.appendEvent({ type: 'status', runId: 'r1', message: 'Loading…' });
    expect(existsSync(runDir)).toBe(false);
    await store.writeRunInfo(INFO);
    await store.appendEvent({ type: 'status', runId: 'r1', message: 'Compiling…' });
    expect(readdirSync(runDir).sort()).toEqual(['events.jsonl', 'run.json']);
    const lines = readFileSync(join(runDir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { message: string });
    expect(lines.map((l) => l.message)).toEqual(['Loading…', 'Compiling…']);
  });

  it('appends one JSON line an epoch to batches.jsonl, every loss kept exactly', async () => {
    const store = new FsRunStore(join(tempDir(), 'run'));
    await store.writeRunInfo(INFO);
    const first = [2.8903520107269287, 2.5, Math.fround(0.1)];
    await store.appendBatchLosses({ epoch: 1, firstStep: 1, losses: first });
    await store.appendBatchLosses({ epoch: 2, firstStep: 4, losses: [1.25] });
    const lines = readFileSync(join(store.runDir, 'batches.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { epoch: 1, firstStep: 1, losses: first },
      { epoch: 2, firstStep: 4, losses: [1.25] },
    ]);
  });

  it('fsyncs events.jsonl at each epoch and at the end, not at every batch', async () => {
    const synced: number[] = [];
    let written = 0;
    const store = new FsRunStore(join(tempDir(), 'run'), {
      fs: {
        writeSync: ((...args: Parameters<typeof fs.writeSync>) => {
          written++;
          return fs.writeSync(...args);
        }) as typeof fs.writeSync,
        fsyncSync: (fd) => {
          synced.push(written);
          fs.fsyncSync(fd);
        },
      },
    });
    await store.writeRunInfo(INFO);
    synced.length = 0;
    const batch = (step: number): TrainEvent => ({ type: 'batch', runId: 'r1', epoch: 1, batch: step, step, loss: 1, acc: 0, msPerStep: 1 });
    for (let s = 1; s <= 5; s++) await store.appendEvent(batch(s));
    expect(synced).toEqual([]);
    await store.appendEvent(epochEvent(1));
    expect(synced).toEqual([6]);
    await store.appendEvent({
      type: 'done',
      runId: 'r1',
      runDir: store.runDir,
      reason: 'completed',
      epochs: 1,
      finalLoss: 1,
      bestDevLoss: null,
      testLoss: null,
      testAcc: null,
      seconds: 1,
    });
    expect(synced).toEqual([6, 7]);
  });

  it('a write error on events.jsonl rejects with a message naming the file and why (a full disk, for real)', async () => {
    const runDir = join(tempDir(), 'run');
    mkdirSync(runDir);
    // Root cannot write past a full device either: /dev/full answers every write with ENOSPC.
    symlinkSync('/dev/full', join(runDir, 'events.jsonl'));
    const store = new FsRunStore(runDir);
    await store.writeRunInfo(INFO);
    await expect(store.appendEvent({ type: 'status', runId: 'r1', message: 'x' })).rejects.toThrow(
      `Cannot write ${join(runDir, 'events.jsonl')}: the disk is full (ENOSPC)`,
    );
    const broken = new FsRunStore(join(tempDir(), 'run2'), {
      fs: {
        writeSync: () => {
          throw fsError('EIO');
        },
      },
    });
    await broken.writeRunInfo(INFO); // nothing held yet: run.json is written, the log not touched
    await expect(broken.appendEvent({ type: 'status', runId: 'r1', message: 'x' })).rejects.toThrow(/Cannot write .*events\.jsonl: EIO: injected/);
  });

  it('a run that trains into a folder whose events cannot be written stops with that message, and run.json says error', async () => {
    const runDir = join(tempDir(), 'run');
    let fail = false;
    const store = new FsRunStore(runDir, {
      fs: {
        writeSync: ((...args: Parameters<typeof fs.writeSync>) => {
          if (fail) throw fsError('ENOSPC');
          return fs.writeSync(...args);
        }) as typeof fs.writeSync,
      },
    });
    const parsed = parseDocument(tinyDocument({ dataPath: 'tiny.csv', epochs: 50 }));
    if (!parsed.ok) throw new Error(parsed.error);
    const emitted: TrainEvent[] = [];
    const last = await runDocument({
      runId: 'r1',
      doc: parsed.doc,
      backend,
      files: { readFile: async () => new TextEncoder().encode(tinyCsv()), readAsset: async () => new Uint8Array() },
      store,
      prepare: prepareTrainData,
      batchEventIntervalMs: 0,
      emit: (e) => {
        emitted.push(e);
        if (e.type === 'batch' && e.step === 12) fail = true;
      },
    });
    expect(last).toMatchObject({
      type: 'error',
      message: expect.stringContaining(`the run's record could not be written. Cannot write ${join(runDir, 'events.jsonl')}: the disk is full (ENOSPC)`),
    });
    // It stopped at once: the next batch, not 50 epochs later.
    expect(emitted.filter((e) => e.type === 'batch').length).toBeLessThan(20);
    const info = restoreRunInfo(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')));
    expect(info?.outcome).toMatchObject({ reason: 'error', message: (last as { message: string }).message });
  });
});

describe('FsRunStore: checkpoints as one set', () => {
  it('saves each epoch as a folder named by its manifest, removes the older ones, and loads the last', async () => {
    const store = new FsRunStore(join(tempDir(), 'run'));
    await store.writeRunInfo(INFO);
    expect(await store.loadCheckpoint()).toBeNull();
    await store.saveCheckpoint(checkpointOf(1));
    await store.saveCheckpoint(checkpointOf(2));
    expectOneEpoch(await store.loadCheckpoint(), 2);
    expect(readdirSync(join(store.runDir, 'checkpoints'))).toEqual(['epoch-0002']);
    expect(readdirSync(join(store.runDir, 'checkpoints', 'epoch-0002')).sort()).toEqual([
      'metrics.json',
      'model.json',
      'model.weights.bin',
      'optimizer.json',
      'optimizer.weights.bin',
    ]);
    const manifest = await readCheckpointManifest(store.runDir);
    expect(manifest).toMatchObject({ format: 'modelwright-checkpoint', version: 1, epoch: 2, folder: 'checkpoints/epoch-0002' });
    // The weights are a tfjs artifact: model.json names its weights file.
    const modelJson = JSON.parse(readFileSync(join(store.runDir, 'checkpoints', 'epoch-0002', 'model.json'), 'utf8')) as {
      weightsManifest: { paths: string[] }[];
    };
    expect(modelJson.weightsManifest[0]!.paths).toEqual(['model.weights.bin']);
    // Saving the same epoch again (a resumed run) never writes into the folder the manifest names.
    await store.saveCheckpoint({ ...checkpointOf(2), weights: weightsOf(2) });
    expect(readdirSync(join(store.runDir, 'checkpoints'))).toEqual(['epoch-0002-2']);
    expectOneEpoch(await store.loadCheckpoint(), 2);
  });

  it('a failure at any point of a checkpoint write leaves the previous set whole, and the next write recovers', async () => {
    // Each atomic write opens a temp file (and then its folder to flush it): fail the n-th open
    // of a temp file, then the n-th rename, so every gap between the set's files and the manifest is hit.
    const kinds = ['open', 'rename'] as const;
    for (const kind of kinds) {
      for (let n = 1; n <= 6; n++) {
        let armed = false;
        let count = 0;
        const hit = (path: string): boolean => armed && path.endsWith('.tmp') && ++count === n;
        const store = new FsRunStore(join(tempDir(), 'run'), {
          fs: {
            open: (async (...args: Parameters<typeof fsp.open>) => {
              if (kind === 'open' && hit(String(args[0]))) throw fsError('ENOSPC');
              return fsp.open(...args);
            }) as RunStoreFs['open'],
            rename: (async (from: fs.PathLike, to: fs.PathLike) => {
              if (kind === 'rename' && hit(String(from))) throw fsError('EIO');
              return fsp.rename(from, to);
            }) as RunStoreFs['rename'],
          },
        });
        await store.writeRunInfo(INFO);
        await store.saveCheckpoint(checkpointOf(1));
        await store.saveCheckpoint(checkpointOf(2));
        armed = true;
        await expect(store.saveCheckpoint(checkpointOf(3)), `${kind} #${n}`).rejects.toThrow(/injected/);
        armed = false;
        expectOneEpoch(await store.loadCheckpoint(), 2);
        await store.saveCheckpoint(checkpointOf(3));
        expectOneEpoch(await store.loadCheckpoint(), 3);
        expect(readdirSync(join(store.runDir, 'checkpoints'))).toEqual(['epoch-0003']);
      }
    }
  });

  it('a process SIGKILLed while it writes checkpoints in a loop leaves one complete epoch to load', async () => {
    const dir = tempDir();
    const script = join(dir, 'checkpoint-loop.cjs');
    await build({
      stdin: {
        contents: `
          import { FsRunStore } from './engine/host/fsRunStore';
          const [runDir, bytes] = [process.argv[2], Number(process.argv[3])];
          const info = JSON.parse(process.argv[4]);
          const weights = (fill) => ({ modelTopology: null, weightSpecs: [{ name: 'w', shape: [bytes / 4], dtype: 'float32' }], weightData: new Uint8Array(bytes).fill(fill).buffer });
          (async () => {
            const store = new FsRunStore(runDir);
            await store.writeRunInfo(info);
            for (let epoch = 1; ; epoch++) {
              const e = epoch % 100;
              await store.saveCheckpoint({ epoch: e, weights: weights(e), optimizer: weights(100 + e), metrics: { type: 'epoch', runId: 'r1', epoch: e } });
              process.stdout.write('saved ' + e + '\\n');
            }
          })();`,
        resolveDir: ROOT,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: script,
      logLevel: 'error',
    });
    // Kills land at different points of the write: after a few saves, and a little later each time.
    let interrupted = 0;
    for (let round = 0; round < 6; round++) {
      const runDir = join(dir, `run-${round}`);
      const child = spawn(process.execPath, [script, runDir, String(1 << 20), JSON.stringify(INFO)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((done) => child.on('exit', done));
      let saved = 0;
      await new Promise<void>((done, fail) => {
        child.stdout.on('data', (chunk: Buffer) => {
          saved += (chunk.toString().match(/saved/g) ?? []).length;
          if (saved >= 2) setTimeout(done, round * 15);
        });
        child.on('exit', (code) => fail(new Error(`the checkpointing process ended (${code}) before it was killed`)));
      });
      child.kill('SIGKILL');
      await exited;
      const cp = await new FsRunStore(runDir).loadCheckpoint();
      expect(cp, `round ${round}`).not.toBeNull();
      expectOneEpoch(cp, cp!.epoch);
      expect(cp!.epoch).toBeGreaterThanOrEqual(2);
      // A folder the manifest does not name: the kill came while the next set was being written.
      if (readdirSync(join(runDir, 'checkpoints')).length > 1) interrupted++;
    }
    expect(interrupted).toBeGreaterThan(0);
  });
});

describe('run.json: outcomes', () => {
  it('reads old run.json files: a done event as outcome, no outcome as unknown, an unknown outcome dropped', () => {
    const done = {
      type: 'done',
      runId: 'r1',
      runDir: '/r',
      reason: 'completed',
      epochs: 3,
      finalLoss: 0.5,
      bestDevLoss: 0.6,
      testLoss: 0.7,
      testAcc: 0.8,
      seconds: 2,
    };
    expect(restoreRunInfo({ ...INFO, lastEpoch: 3, outcome: done })?.outcome).toEqual(done);
    expect(restoreRunInfo({ ...INFO, lastEpoch: 2 })).toMatchObject({ lastEpoch: 2 });
    expect(restoreRunInfo({ ...INFO, lastEpoch: 2 })?.outcome).toBeUndefined();
    const future = restoreRunInfo({ ...INFO, outcome: { reason: 'teleported' }, extra: 1 });
    expect(future?.outcome).toBeUndefined();
    expect(future).toMatchObject({ extra: 1 });
    expect(restoreRunInfo({ format: 'something-else' })).toBeNull();
    expect(restoreRunInfo(null)).toBeNull();
  });

  it("the host's last word: writes the outcome a run did not, keeps one it did, removes a folder without run.json", async () => {
    const crashed = {
      reason: 'crashed' as const,
      message: 'killed',
      crash: {
        exitCode: null,
        signal: 'SIGKILL',
        lastEpoch: 2,
        lastBatch: { epoch: 3, batch: 7, step: 25 },
        stepsPerEpoch: 9,
        checkpointEpoch: 2,
        outOfMemory: true,
        outputTail: '',
      },
    };
    const event: TrainEvent = { type: 'error', runId: 'r1', message: 'killed', crash: crashed.crash };
    const store = new FsRunStore(join(tempDir(), 'run'));
    await store.writeRunInfo(INFO);
    expect(await settleRunFolder(store.runDir, crashed, event)).toBe('written');
    const info = restoreRunInfo(JSON.parse(readFileSync(join(store.runDir, 'run.json'), 'utf8')));
    expect(info?.outcome).toEqual(crashed);
    expect(info?.endedAt).toMatch(/^\d{4}-/);
    const lines = readFileSync(join(store.runDir, 'events.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toEqual(event);
    // A second word does not overwrite the first.
    expect(await settleRunFolder(store.runDir, { reason: 'error', message: 'later' })).toBe('kept');
    expect(restoreRunInfo(JSON.parse(readFileSync(join(store.runDir, 'run.json'), 'utf8')))?.outcome).toEqual(crashed);
    // A folder a run made but never wrote run.json into (it died first) is not a run.
    const empty = join(tempDir(), 'never');
    mkdirSync(empty);
    writeFileSync(join(empty, 'events.jsonl'), '');
    expect(await settleRunFolder(empty, crashed, event)).toBe('no-folder');
    expect(existsSync(empty)).toBe(false);
  });
});
