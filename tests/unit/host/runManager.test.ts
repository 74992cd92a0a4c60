/** The run manager with real child processes: the real worker bundle, and small misbehaving ones. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../engine/api';
import { nodeSpawner } from '../../../engine/host/nodeSpawner';
import { parseDocument } from '../../../engine/graph/load';
import { RunManager, type Spawner, type StartRunRequest, type WorkerHandle } from '../../../engine/host/runManager';
import { buildBundles } from './buildBundles';
import { tinyDocument, tinyProject } from './fixtures';

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

function manager(spawn: Spawner, stopGraceMs?: number) {
  const runs = new RunManager({ spawn, runsDir: mkdtempSync(join(tmpdir(), 'mw-runs-')), ...(stopGraceMs ? { stopGraceMs } : {}) });
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

describe('RunManager', () => {
  it('a killed child becomes an error event, and the host carries on', async () => {
    const handles: WorkerHandle[] = [];
    const base = nodeSpawner(worker);
    const { runs, ended, events } = manager(() => {
      const h = base();
      handles.push(h);
      return h;
    });
    const p = tinyProject();
    runs.onEvent((e) => e.type === 'start' && handles[0]!.kill());
    const { runId } = runs.start(request(tinyDocument({ dataPath: p.csv, epochs: 200 }), { grantedFiles: [p.csv] }));
    const last = await ended(runId);
    expect(last.type).toBe('error');
    expect((last as { message: string }).message).toMatch(/ended unexpectedly: it was killed \(SIGKILL\)/);
    expect(events.filter((e) => e.type === 'done')).toEqual([]);
    expect(runs.list()).toEqual([]);
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
    const { runs, ended } = manager(nodeSpawner(stubborn), 200);
    const { runId } = runs.start(request(tinyDocument({ epochs: 1 })));
    const t0 = Date.now();
    await runs.stop(runId);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(await ended(runId)).toMatchObject({ type: 'done', reason: 'stopped' });
  });

  it('runs several documents at once, each in its own folder', async () => {
    const p = tinyProject();
    const { runs, ended, events } = manager(nodeSpawner(worker));
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
  });

  it('reports the backend a worker picks', async () => {
    const { runs } = manager(nodeSpawner(worker));
    const info = await runs.backendInfo();
    expect(['wasm', 'cpu', 'tensorflow']).toContain(info.name);
    expect(info.reason.length).toBeGreaterThan(10);
  });
});
