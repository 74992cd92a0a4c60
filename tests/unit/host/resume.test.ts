/**
 * Resuming through the engine as the hosts do: a run stopped mid-way goes on in its own folder
 * from its last checkpoint in a fresh worker; a run that completed, or an unknown one, is refused
 * as a value; its files need grants as for starting it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../engine/api';
import { parseDocument } from '../../../engine/graph/load';
import { FileGrants } from '../../../engine/host/consent';
import { createEngine, type HostEngine } from '../../../engine/host/engine';
import { nodeSpawner } from '../../../engine/host/nodeSpawner';
import { buildBundles } from './buildBundles';
import { tinyDocument, tinyProject } from './fixtures';

let engine: HostEngine;
const events: TrainEvent[] = [];
beforeAll(async () => {
  const worker = join(await buildBundles('resume'), 'worker.cjs');
  engine = createEngine({ runsDir: mkdtempSync(join(tmpdir(), 'mw-runs-')), spawn: nodeSpawner(worker) });
  engine.runs.onEvent((e) => events.push(e));
});
afterAll(() => engine?.dispose());

const ended = (runId: string, after = 0) =>
  new Promise<TrainEvent>((resolve) => {
    const check = () => events.slice(after).find((e) => e.runId === runId && (e.type === 'done' || e.type === 'error'));
    const seen = check();
    if (seen) return resolve(seen);
    const off = engine.runs.onEvent(() => {
      const e = check();
      if (e) {
        off();
        resolve(e);
      }
    });
  });

describe('engine.resumeRun', () => {
  it('goes on from the last checkpoint in the same folder, and refuses what it cannot resume', async () => {
    const p = tinyProject();
    const parsed = parseDocument(tinyDocument({ dataPath: p.csv, epochs: 5 }));
    if (!parsed.ok) throw new Error(parsed.error);
    const grants = new FileGrants([p.csv]);
    const started = await engine.startRun({ doc: parsed.doc, baseDir: p.dir, grants });
    if (!started.ok) throw new Error(started.error.message);
    const { runId, runDir } = started.value;
    const off = engine.runs.onEvent((e) => e.runId === runId && e.type === 'epoch' && e.epoch === 2 && void engine.runs.stop(runId));
    expect(await ended(runId)).toMatchObject({ type: 'done', reason: 'stopped' });
    off();

    // Without the data file granted it reads nothing.
    expect(await engine.resumeRun({ runId, grants: new FileGrants() })).toMatchObject({ ok: false, error: { code: 'files-not-allowed' } });
    const mark = events.length;
    const resumed = await engine.resumeRun({ runId, grants });
    expect(resumed).toMatchObject({ ok: true, value: { runId, runDir } });
    const done = await ended(runId, mark);
    expect(done).toMatchObject({ type: 'done', reason: 'completed', epochs: 5 });
    const after = events.slice(mark).filter((e) => e.runId === runId);
    const checkpointEpoch = (after.find((e) => e.type === 'start') as { resumedFrom: number }).resumedFrom;
    expect(checkpointEpoch).toBeGreaterThanOrEqual(2);
    expect(after.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch)).toEqual(
      Array.from({ length: 5 - checkpointEpoch }, (_, i) => checkpointEpoch + 1 + i),
    );
    const info = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { resumed: { fromEpoch: number }[]; outcome: { reason: string } };
    expect(info.resumed).toEqual([{ at: expect.any(String), fromEpoch: checkpointEpoch }]);
    expect(info.outcome.reason).toBe('completed');

    expect(await engine.resumeRun({ runId, grants })).toMatchObject({
      ok: false,
      error: { code: 'run-error', message: expect.stringMatching(/completed all its epochs/) },
    });
    expect(await engine.resumeRun({ runId: '20990101-000000-ffffff', grants })).toMatchObject({ ok: false, error: { code: 'no-such-run' } });
  });
});
