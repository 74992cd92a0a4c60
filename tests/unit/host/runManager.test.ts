/** The run manager with real child processes: the real worker bundle, and small misbehaving ones. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSnapshot, TrainEvent } from '../../../engine/api';
import { createEngine } from '../../../engine/host/engine';
import { FsRunStore } from '../../../engine/host/fsRunStore';
import { nodeSpawner } from '../../../engine/host/nodeSpawner';
import { parseDocument } from '../../../engine/graph/load';
import {
  defaultMaxConcurrentRuns,
  RunManager,
  type RunManagerOptions,
  type Spawner,
  type StartRunRequest,
  type WorkerHandle,
} from '../../../engine/host/runManager';
import { restoreRunInfo } from '../../../engine/train/runStore';
import { buildBundles } from './buildBundles';
import { tinyCsv, tinyDocument, tinyProject } from './fixtures';

let worker = '';
const scripts = mkdtempSync(join(tmpdir(), 'mw-children-'));
beforeAll(async () => {
  worker = join(await buildBundles('runs'), 'worker.cjs');
});

function script(name: string, body: string): string {
  const file = join(scripts, name);
  writeFileSync(file, body);
  return file;
}

/** A start request for a document's text, parsed as a host would (once). */
function request(text: string, opts: { baseDir?: string; grantedFiles?: string[]; epochs?: number; batchEventIntervalMs?: number } = {}): StartRunRequest {
  const parsed = parseDocument(text);
  if (!parsed.ok) throw new Error(parsed.error);
  const { baseDir = process.cwd(), grantedFiles = [], ...rest } = opts;
  return { doc: parsed.doc, baseDir, grantedFiles: grantedFiles.map((f) => resolve(baseDir, f)), ...rest };
}

function manager(spawn: Spawner, opts: Partial<RunManagerOptions> = {}) {
  const runs = new RunManager({ spawn, runsDir: mkdtempSync(join(tmpdir(), 'mw-runs-')), ...opts });
  const events: TrainEvent[] = [];
  runs.onEvent((e) => events.push(e));
  const ended = (runId: string) =>
    new Promise<TrainEvent>((resolve) => {
      const seen = events.find((e) => e.runId === runId && (e.type === 'done' || e.type === 'error'));
      if (seen) return resolve(seen);
      const off = runs.onEvent((e) => {
        if (e.runId === runId && (e.type === 'done' || e.type === 'error')) {
          off();
          resolve(e);
        }
      });
    });
  return { runs, events, ended };
}

/** Spawns with `base`, keeping each handle so a test can kill its process. */
function keeping(base: Spawner): { spawn: Spawner; handles: WorkerHandle[] } {
  const handles: WorkerHandle[] = [];
  return {
    handles,
    spawn: () => {
      const h = base();
      handles.push(h);
      return h;
    },
  };
}

const batchPoint = (e: Extract<TrainEvent, { type: 'batch' }>) => ({ epoch: e.epoch, batch: e.batch, step: e.step, loss: e.loss, acc: e.acc });

describe('RunManager', () => {
  it('a killed child becomes an error event with a crash report, and the host carries on', async () => {
    const { spawn, handles } = keeping(nodeSpawner(worker));
    const { runs, ended, events } = manager(spawn);
    const p = tinyProject();
    runs.onEvent((e) => e.type === 'start' && handles[0]!.kill());
    const { runId, runDir } = runs.start(request(tinyDocument({ dataPath: p.csv, epochs: 200 }), { grantedFiles: [p.csv] }));
    const last = await ended(runId);
    expect(last).toMatchObject({ type: 'error', crash: { signal: 'SIGKILL', exitCode: null, lastEpoch: 0, checkpointEpoch: null } });
    // The child may have logged a batch or two before the kill landed.
    expect((last as { message: string }).message).toMatch(/ended unexpectedly( at epoch 1, batch \d+ of 9)?: it was killed \(SIGKILL\)/);
    expect(events.filter((e) => e.type === 'done')).toEqual([]);
    expect(runs.list()).toEqual([]);
    expect(restoreRunInfo(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')))?.outcome).toMatchObject({ reason: 'crashed' });
  });

  it('kill -9 mid-epoch: run.json says crashed with the last epoch and batch, events.jsonl ends with it, and the last complete checkpoint loads', async () => {
    const p = tinyProject();
    writeFileSync(p.csv, tinyCsv(4800)); // 2,880 train rows: 180 steps of 16 an epoch
    const { spawn, handles } = keeping(nodeSpawner(worker));
    const { runs, ended, events } = manager(spawn);
    let killed = false;
    runs.onEvent((e) => {
      if (e.type === 'batch' && e.epoch === 2 && e.batch === 10 && !killed) {
        killed = true;
        handles[0]!.kill();
      }
    });
    const { runId, runDir } = runs.start(request(tinyDocument({ dataPath: p.csv, epochs: 50 }), { grantedFiles: [p.csv], batchEventIntervalMs: 0 }));
    const last = await ended(runId);
    const seen = events.filter((e): e is Extract<TrainEvent, { type: 'batch' }> => e.type === 'batch' && e.runId === runId);
    const lines = readFileSync(join(runDir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TrainEvent);
    expect(lines.at(-1)).toEqual(last);
    // Every batch the host saw is in the log, and the log may be further on (the child runs
    // ahead of the messages the host has read): the crash report says where the log got to.
    const logged = lines.filter((e): e is Extract<TrainEvent, { type: 'batch' }> => e.type === 'batch');
    expect(logged.slice(0, seen.length).map((e) => e.step)).toEqual(seen.map((e) => e.step));
    const lastLogged = logged.at(-1)!;
    expect(last).toMatchObject({
      type: 'error',
      crash: { exitCode: null, signal: 'SIGKILL', lastEpoch: 1, stepsPerEpoch: 180, checkpointEpoch: 1, outOfMemory: true },
    });
    const crash = (last as Extract<TrainEvent, { type: 'error' }>).crash!;
    expect(crash.lastBatch).toEqual({ epoch: 2, batch: lastLogged.batch, step: lastLogged.step });
    expect(lastLogged.batch).toBeGreaterThanOrEqual(10);
    const message = (last as { message: string }).message;
    expect(message).toMatch(
      new RegExp(
        `ended unexpectedly at epoch 2, batch ${lastLogged.batch} of 180: it was killed \\(SIGKILL\\)\\..*The last complete checkpoint is of epoch 1\\.`,
      ),
    );
    const info = restoreRunInfo(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')));
    expect(info?.outcome).toEqual({ reason: 'crashed', message, crash });

    const checkpoint = await new FsRunStore(runDir).loadCheckpoint();
    const epoch1 = events.find((e) => e.type === 'epoch' && e.runId === runId && e.epoch === 1);
    expect(checkpoint).toMatchObject({ epoch: 1, metrics: epoch1 });
    expect(checkpoint!.weights.weightData.byteLength).toBe(checkpoint!.weights.weightSpecs.reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0));
    expect(checkpoint!.optimizer.weightSpecs.length).toBeGreaterThan(0);
  });

  it('a child that runs out of memory becomes an error event with a hint', async () => {
    const hog = script('hog.cjs', "process.on('message', () => { const a = []; for (;;) a.push(new Array(1e5).fill(Math.random())); });");
    const { runs, ended } = manager(nodeSpawner(hog, { execArgv: ['--max-old-space-size=24'] }));
    const { runId } = runs.start(request(tinyDocument({ epochs: 1 })));
    const last = await ended(runId);
    expect(last.type).toBe('error');
    expect((last as { message: string }).message).toMatch(/out of memory/);
  });

  it('stops a run gracefully: the worker finishes its batch and reports done "stopped"', async () => {
    const p = tinyProject();
    const { runs, ended } = manager(nodeSpawner(worker));
    const { runId, runDir } = runs.start(request(tinyDocument({ dataPath: p.csv, epochs: 10_000 }), { grantedFiles: [p.csv] }));
    const off = runs.onEvent((e) => {
      if (e.type === 'batch' && e.step >= 3) {
        off();
        void runs.stop(runId);
      }
    });
    const last = await ended(runId);
    expect(last).toMatchObject({ type: 'done', reason: 'stopped', runDir });
    const lines = readFileSync(join(runDir, 'events.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'done', reason: 'stopped' });
  });

  it('kills a worker that ignores stop after the grace period and reports it stopped', async () => {
    const stubborn = script('stubborn.cjs', "process.on('message', () => {}); setInterval(() => {}, 1000);");
    const { runs, ended } = manager(nodeSpawner(stubborn), { stopGraceMs: 200 });
    const { runId } = runs.start(request(tinyDocument({ epochs: 1 })));
    const t0 = Date.now();
    await runs.stop(runId);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(await ended(runId)).toMatchObject({ type: 'done', reason: 'stopped' });
  });

  it('runs several documents at once, each in its own folder', async () => {
    const p = tinyProject();
    const { runs, ended, events } = manager(nodeSpawner(worker), { maxConcurrentRuns: 2 });
    const a = runs.start(request(tinyDocument({ dataPath: p.csv, epochs: 1 }), { grantedFiles: [p.csv] }));
    const b = runs.start(request(tinyDocument({ dataPath: p.csv, epochs: 2 }), { baseDir: p.dir, grantedFiles: ['tiny.csv'] }));
    expect(runs.list()).toHaveLength(2);
    expect(a.runDir).not.toBe(b.runDir);
    const [da, db] = await Promise.all([ended(a.runId), ended(b.runId)]);
    expect(da).toMatchObject({ type: 'done', epochs: 1 });
    expect(db).toMatchObject({ type: 'done', epochs: 2 });
    expect(events.filter((e) => e.type === 'epoch' && e.runId === b.runId)).toHaveLength(2);
  });

  it('the worker reads no file the document names unless the host granted it', async () => {
    const p = tinyProject();
    const { runs, ended } = manager(nodeSpawner(worker));
    const refused = runs.start(request(tinyDocument({ dataPath: 'tiny.csv', epochs: 1 }), { baseDir: p.dir }));
    const last = await ended(refused.runId);
    expect(last).toMatchObject({ type: 'error', message: expect.stringContaining(`Refused to read ${p.csv}: it was not granted`) });
    // Allowing another file does not allow this one; the built-in data needs no consent.
    const other = runs.start(request(tinyDocument({ dataPath: p.csv, epochs: 1 }), { grantedFiles: [p.doc] }));
    expect(await ended(other.runId)).toMatchObject({ type: 'error', message: expect.stringContaining(p.csv) });
    const builtin = runs.start(request(tinyDocument({ epochs: 1 }), { batchEventIntervalMs: 0 }));
    const off = runs.onEvent((e) => e.runId === builtin.runId && e.type === 'batch' && void runs.stop(builtin.runId));
    expect(await ended(builtin.runId)).toMatchObject({ type: 'done' });
    off();
    // The two that never started left no folder; the one that trained did.
    await runs.stopAll();
    expect(readdirSync(runs.runsDir)).toEqual([builtin.runDir.split('/').at(-1)]);
    expect(existsSync(refused.runDir) || existsSync(other.runDir)).toBe(false);
  });

  it('runs beyond the limit wait in a queue, say so, and start in order; a stopped queued run ends with 0 epochs and no folder', async () => {
    const p = tinyProject();
    const { runs, ended, events } = manager(nodeSpawner(worker), { maxConcurrentRuns: 1 });
    const req = request(tinyDocument({ dataPath: p.csv, epochs: 1 }), { grantedFiles: [p.csv] });
    const a = runs.start(req);
    const b = runs.start(req);
    const c = runs.start(req);
    expect(runs.list().map((r) => r.state)).toEqual(['running', 'queued', 'queued']);
    const said = (runId: string) => events.filter((e) => e.runId === runId && e.type === 'status').map((e) => e as { message: string; queued?: unknown });
    expect(said(b.runId)).toEqual([
      {
        type: 'status',
        runId: b.runId,
        message: 'Queued: 1 run ahead (1 train at a time on this machine)…',
        words: { key: 'progress.queued', params: { count: 1, slots: { key: 'progress.slots', params: { count: 1 } } } },
        queued: { ahead: 1, maxConcurrent: 1 },
      },
    ]);
    expect(said(c.runId)).toEqual([
      {
        type: 'status',
        runId: c.runId,
        message: 'Queued: 2 runs ahead (1 train at a time on this machine)…',
        words: { key: 'progress.queued', params: { count: 2, slots: { key: 'progress.slots', params: { count: 1 } } } },
        queued: { ahead: 2, maxConcurrent: 1 },
      },
    ]);
    expect(runs.snapshots().map((s) => [s.state, s.queued?.ahead])).toEqual([
      ['running', undefined],
      ['queued', 1],
      ['queued', 2],
    ]);

    await runs.stop(c.runId);
    expect(await ended(c.runId)).toMatchObject({ type: 'done', reason: 'stopped', epochs: 0 });
    expect(existsSync(c.runDir)).toBe(false);
    expect(runs.list().map((r) => r.runId)).toEqual([a.runId, b.runId]);

    const [da, db] = await Promise.all([ended(a.runId), ended(b.runId)]);
    expect(da).toMatchObject({ type: 'done', reason: 'completed' });
    expect(db).toMatchObject({ type: 'done', reason: 'completed' });
    // b began only once a had ended, and was told when it left the queue.
    const at = (runId: string, type: string) => events.findIndex((e) => e.runId === runId && e.type === type);
    expect(at(b.runId, 'start')).toBeGreaterThan(at(a.runId, 'done'));
    expect(said(b.runId).map((e) => e.message)).toContain('Starting: a training slot is free.');
    expect(events.some((e) => e.runId === c.runId && e.type === 'start')).toBe(false);
    expect(readdirSync(runs.runsDir).sort()).toEqual([a.runDir, b.runDir].map((d) => d.split('/').at(-1)).sort());
  });

  it('runs one per two cores by default, at least one', () => {
    expect([1, 2, 3, 4, 16].map((cores) => defaultMaxConcurrentRuns(cores))).toEqual([1, 1, 1, 2, 8]);
  });

  it('a connecting client gets every live run whole: true totals, every epoch, the curve from step 1', async () => {
    const p = tinyProject();
    const { runs, events } = manager(nodeSpawner(worker));
    const { runId, runDir } = runs.start(request(tinyDocument({ dataPath: p.csv, epochs: 20 }), { grantedFiles: [p.csv], batchEventIntervalMs: 0 }));
    const snapshots = await new Promise<RunSnapshot[]>((resolve) => {
      const off = runs.onEvent((e) => {
        if (e.runId === runId && e.type === 'epoch' && e.epoch === 2) {
          off();
          resolve(runs.snapshots());
        }
      });
    });
    await runs.stop(runId);
    expect(snapshots).toHaveLength(1);
    const s = snapshots[0]!;
    expect(s).toMatchObject({ runId, runDir, state: 'running', start: { type: 'start', epochs: 20, stepsPerEpoch: 9 } });
    expect(s.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    const seen = events.filter((e): e is Extract<TrainEvent, { type: 'batch' }> => e.type === 'batch' && e.runId === runId && e.step <= s.lastBatch!.step);
    expect(s.batches).toEqual(seen.map(batchPoint));
    expect(s.batches.map((b) => b.step)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    // Ended runs are not in progress.
    expect(runs.snapshots()).toEqual([]);
  });

  it('the session contract answers activeRuns with the run manager snapshots', async () => {
    const engine = createEngine({ runsDir: mkdtempSync(join(tmpdir(), 'mw-runs-')), spawn: nodeSpawner(worker) });
    const session = engine.session();
    expect(await session.activeRuns()).toEqual([]);
    const { runId } = engine.runs.start(request(tinyDocument({ epochs: 1 })));
    expect((await session.activeRuns()).map((r) => r.runId)).toEqual([runId]);
    await engine.dispose();
    expect(await session.activeRuns()).toEqual([]);
  });

  it('reports the backend a worker picks', async () => {
    const { runs } = manager(nodeSpawner(worker));
    const info = await runs.backendInfo();
    expect(['wasm', 'cpu', 'tensorflow']).toContain(info.name);
    expect(info.reason.length).toBeGreaterThan(10);
  });
});
