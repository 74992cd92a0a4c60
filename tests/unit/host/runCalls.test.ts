/**
 * The contract's run calls through a real engine session and its helper worker: a trained run
 * is listed, predicts in the worker (unseen characters included), gives its stored test
 * evaluation, recomputes one it lacks from its final weights and data, and refuses to read
 * data this client has not granted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../engine/api';
import { createEngine, type HostEngine } from '../../../engine/host/engine';
import { FileGrants } from '../../../engine/host/consent';
import { nodeSpawner } from '../../../engine/host/nodeSpawner';
import { buildBundles } from './buildBundles';
import { tinyDocument, tinyProject } from './fixtures';

let engine: HostEngine;
let project: ReturnType<typeof tinyProject>;

beforeAll(async () => {
  const bundles = await buildBundles('runcalls');
  project = tinyProject();
  engine = createEngine({ runsDir: project.runsDir, spawn: nodeSpawner(join(bundles, 'worker.cjs')) });
});
afterAll(async () => {
  await engine?.dispose();
});

/** Trains `documentText` in `session` and waits for its end. */
async function train(session: ReturnType<HostEngine['session']>, documentText: string): Promise<Extract<TrainEvent, { type: 'done' }>> {
  let unsubscribe = () => {};
  const ended = new Promise<TrainEvent>((resolve) => {
    unsubscribe = session.onTrainEvent((e) => (e.type === 'done' || e.type === 'error') && resolve(e));
  });
  const started = await session.startTraining({ documentText, documentPath: project.doc });
  expect(started.ok).toBe(true);
  const last = await ended;
  unsubscribe();
  if (last.type !== 'done') throw new Error(`the run failed: ${JSON.stringify(last)}`);
  return last;
}

describe('run calls', () => {
  it('a finished run is listed, predicts in the worker and gives its test evaluation, stored or recomputed', async () => {
    const grants = new FileGrants([project.csv]);
    const session = engine.session({ grants, baseDir: () => project.dir });
    const done = await train(session, tinyDocument({ dataPath: 'tiny.csv', epochs: 3 }));
    const runId = done.runId;

    const runs = await session.listRuns();
    expect(runs[0]).toMatchObject({ runId, ended: 'completed', epochs: 3, documentName: 'Tiny', hasModel: true });
    expect(runs[0]!.bestDevAcc).toBeGreaterThan(0.8);

    const predicted = await session.predict(runId, ['zbcd', 'abcd', 'zé€ñ'], 2);
    expect(predicted.ok).toBe(true);
    if (!predicted.ok) return;
    expect(predicted.value.map((p) => p.top[0]!.label)).toEqual(['West', 'East', 'West']);
    for (const p of predicted.value) {
      expect(p.top).toHaveLength(2);
      expect(Object.values(p.probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }

    const stored = await session.evaluateRun(runId);
    expect(stored.ok && stored.value).toEqual(done.test);

    // A run that kept no evaluation (as one from before it was stored): computed from its final weights.
    const dir = join(project.runsDir, runId);
    const info = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { outcome: Record<string, unknown> };
    delete info.outcome['test'];
    writeFileSync(join(dir, 'run.json'), JSON.stringify(info));
    const events = readFileSync(join(dir, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('{"type":"done"'));
    writeFileSync(join(dir, 'events.jsonl'), events.join('\n'));

    // Another client, which has not granted the data file: nothing is read.
    const stranger = engine.session({ baseDir: () => project.dir });
    const refused = await stranger.evaluateRun(runId);
    expect(refused).toMatchObject({ ok: false, error: { code: 'files-not-allowed' } });

    const recomputed = await session.evaluateRun(runId);
    expect(recomputed.ok).toBe(true);
    if (!recomputed.ok || !done.test) return;
    expect(recomputed.value.confusion).toEqual(done.test.confusion);
    expect(recomputed.value.accuracy).toBeCloseTo(done.test.accuracy, 6);
    expect(recomputed.value.loss).toBeCloseTo(done.test.loss, 4);
    // Kept, so the stranger now gets it without reading anything.
    expect((await stranger.evaluateRun(runId)).ok).toBe(true);

    const curves = await session.runCurves(runId);
    if (!curves.ok) throw new Error(curves.error.message);
    expect(curves.value.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(curves.value.batches.reduce((n, b) => n + b.losses.length, 0)).toBe(3 * curves.value.stepsPerEpoch);

    expect(await session.predict('20991231-000000-ffffff', ['x'])).toMatchObject({ ok: false, error: { code: 'no-such-run' } });
    expect(await session.deleteRun(runId)).toEqual({ ok: true, value: { runId } });
    expect((await session.listRuns()).map((r) => r.runId)).not.toContain(runId);
  });
});
