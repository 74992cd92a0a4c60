/**
 * Sweeps and the learning-rate finder through the real host: the engine's contract calls, trials
 * as runs of the run manager in real worker processes (stored in the runs folder), the finder in
 * a worker of its own; refusals as values; and `modelwright tune` / `lr-find` as subprocesses.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LrFindSnapshot, SweepSnapshot, TuneEvent } from '../../../engine/api';
import { FileGrants } from '../../../engine/host/consent';
import { createEngine, type HostEngine } from '../../../engine/host/engine';
import { nodeSpawner } from '../../../engine/host/nodeSpawner';
import { buildBundles } from '../host/buildBundles';
import { tinyProject } from '../host/fixtures';

let bundles = '';
let engine: HostEngine;
let project: ReturnType<typeof tinyProject>;

beforeAll(async () => {
  bundles = await buildBundles('tune');
  project = tinyProject();
  engine = createEngine({ runsDir: project.runsDir, spawn: nodeSpawner(join(bundles, 'worker.cjs')) });
});
afterAll(() => engine?.dispose());

/** The first tune event that `until` accepts. */
function waitFor<T>(until: (e: TuneEvent) => T | undefined): Promise<T> {
  return new Promise((resolve) => {
    const off = engine.tune.onEvent((e) => {
      const v = until(e);
      if (v !== undefined) {
        off();
        resolve(v);
      }
    });
  });
}

describe('the host', () => {
  it('runs a sweep as runs of the run manager, side by side as it allows, through the contract', async () => {
    const session = engine.session({ grants: new FileGrants([project.csv]) });
    const text = readFileSync(project.doc, 'utf8');
    const ended = waitFor((e) => (e.type === 'sweep' && e.sweep.state !== 'running' ? e.sweep : undefined));
    const started = await session.startSweep({ documentText: text, documentPath: project.doc, trials: 3, epochs: 2, parallel: 2 });
    expect(started.ok).toBe(true);
    const last: SweepSnapshot = await ended;
    expect(last.state).toBe('done');
    expect(last.sweep.params.map((p) => p.target)).toEqual([{ training: 'optimizer.lr' }]);
    expect(last.trials.every((t) => t.finished && t.runId && t.epochs >= 1)).toBe(true);
    expect(last.saving.epochsBudgeted).toBe(6);
    const runs = await session.listRuns();
    expect(
      runs
        .filter((r) => /· trial \d\/3$/.test(r.documentName ?? ''))
        .map((r) => r.runId)
        .sort(),
    ).toEqual(last.trials.map((t) => t.runId).sort());
    const jobs = await session.tuneJobs();
    expect(jobs.sweeps.map((s) => s.sweepId)).toContain(last.sweepId);
  }, 90_000);

  it('refuses files not granted, a sweep naming a node the graph lacks and a model without data, before any trial starts', async () => {
    const text = readFileSync(project.doc, 'utf8');
    const refused = await engine.session().startSweep({ documentText: text, documentPath: project.doc });
    expect(refused.ok || refused.error.code).toBe('files-not-allowed');
    // A v2 document: in a v1 file a `sweep` field is not a sweep (the migration keeps it aside).
    const doc = { ...(JSON.parse(text) as Record<string, unknown>), schemaVersion: 2 } as Record<string, unknown>;
    doc.sweep = { params: [{ target: { node: 'nope', param: 'rate' }, scale: 'linear', min: 0, max: 0.5 }] };
    const invalid = await engine
      .session({ grants: new FileGrants([project.csv]) })
      .startSweep({ documentText: JSON.stringify(doc), documentPath: project.doc });
    expect(invalid.ok).toBe(false);
    if (invalid.ok || invalid.error.code !== 'invalid-sweep') throw new Error('expected invalid-sweep');
    expect(invalid.error.issues.map((i) => [i.code, i.nodeId])).toEqual([['unknown-node', 'nope']]);
    expect(invalid.error.message).toMatch(/node "nope"/);
    const { data: _data, ...noData } = doc;
    const withoutData = await engine.session().startSweep({ documentText: JSON.stringify({ ...noData, sweep: undefined }) });
    expect(withoutData.ok || withoutData.error.code).toBe('data-error');
  });

  it('runs the learning-rate finder in a worker and writes no run folder', async () => {
    const session = engine.session({ grants: new FileGrants([project.csv]) });
    const before = (await session.listRuns()).length;
    const ended = waitFor((e) => (e.type === 'lr-find' && e.find.state !== 'running' ? e.find : undefined));
    const started = await session.startLrFind({ documentText: readFileSync(project.doc, 'utf8'), documentPath: project.doc, steps: 60 });
    expect(started.ok).toBe(true);
    const find: LrFindSnapshot = await ended;
    expect(find.state).toBe('done');
    expect(find.result!.points.length).toBe(find.points.length);
    expect(find.points.length).toBeGreaterThan(10);
    expect((await session.listRuns()).length).toBe(before);
  }, 60_000);
});

describe('modelwright tune and lr-find', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, [join(bundles, 'cli.cjs'), ...args], { encoding: 'utf8', timeout: 90_000 });

  it('tune --json: one object a trial with its params and results, then a last {type: "best"}', () => {
    const r = cli(['tune', project.doc, '--trials', '2', '--epochs', '1', '--seed', '4', '--allow-files', '--runs-dir', project.runsDir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.type)).toEqual(['trial', 'trial', 'best']);
    for (const t of lines.slice(0, 2)) {
      const lr = (t.params as Record<string, number>)['training.optimizer.lr']!;
      expect(lr).toBeGreaterThanOrEqual(1e-4);
      expect(lr).toBeLessThanOrEqual(1e-1);
      expect(t).toMatchObject({ state: 'done', epochs: 1, bestDevLoss: expect.any(Number), runId: expect.any(String) });
    }
    expect(lines[2]).toMatchObject({ type: 'best', trial: expect.any(Number), saving: { epochsRun: 2, epochsBudgeted: 2 } });
  }, 90_000);

  it('tune names a bad sweep and exits 1; lr-find --json gives the whole result', () => {
    const doc = { ...(JSON.parse(readFileSync(project.doc, 'utf8')) as Record<string, unknown>), schemaVersion: 2 } as Record<string, unknown>;
    doc.sweep = { params: [{ target: { node: 'flat', param: 'rate' }, scale: 'linear', min: 0, max: 0.5 }] };
    const bad = join(project.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(doc));
    const r = cli(['tune', bad, '--allow-files', '--runs-dir', project.runsDir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Node "flat" is a Flatten, which has no param "rate"/);
    const f = cli(['lr-find', project.doc, '--steps', '40', '--allow-files', '--json']);
    expect(f.status, f.stderr).toBe(0);
    const result = JSON.parse(f.stdout) as { ok: boolean; points: unknown[]; stoppedBy: string };
    expect(result.ok).toBe(true);
    expect(result.points.length).toBeGreaterThan(5);
  }, 90_000);
});
