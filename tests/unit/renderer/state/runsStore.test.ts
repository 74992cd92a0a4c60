/** The runs the training panel shows: refresh, rename, delete through the engine, ticks and picks kept right, curves for the overlay. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { EngineApi, RunCurves, RunSummary } from '../../../../engine/api';
import { curveSeries, deleteRun, loadEvaluation, refreshRuns, renameRun, runLabel, useRunsStore } from '../../../../renderer/state/runsStore';

const run = (runId: string, extra: Partial<RunSummary> = {}): RunSummary => ({
  runId,
  name: null,
  createdAt: '2026-01-01T10:00:00.000Z',
  documentName: 'Surname CNN',
  ended: 'completed',
  bestDevAcc: 0.5,
  epochs: 2,
  plannedEpochs: 2,
  testAcc: 0.5,
  hasModel: true,
  ...extra,
});

/** An engine holding `runs`, with the calls the store makes. */
function fakeEngine(runs: RunSummary[]): EngineApi & { calls: string[] } {
  const calls: string[] = [];
  const engine = {
    calls,
    listRuns: async () => {
      calls.push('listRuns');
      return runs.map((r) => ({ ...r }));
    },
    renameRun: async (id: string, name: string) => {
      calls.push(`renameRun ${id} ${name}`);
      const r = runs.find((x) => x.runId === id);
      if (!r) return { ok: false as const, error: { code: 'no-such-run' as const, message: 'gone' } };
      r.name = name || null;
      return { ok: true as const, value: { ...r } };
    },
    deleteRun: async (id: string) => {
      calls.push(`deleteRun ${id}`);
      const i = runs.findIndex((x) => x.runId === id);
      if (i < 0) return { ok: false as const, error: { code: 'no-such-run' as const, message: 'gone' } };
      runs.splice(i, 1);
      return { ok: true as const, value: { runId: id } };
    },
    evaluateRun: async (id: string) => {
      calls.push(`evaluateRun ${id}`);
      return {
        ok: false as const,
        error: {
          code: 'files-not-allowed' as const,
          message: 'not granted',
          files: [{ path: 'a.csv', resolvedPath: '/a.csv', role: 'data' as const, allowed: false }],
        },
      };
    },
  };
  return engine as unknown as EngineApi & { calls: string[] };
}

beforeEach(() => useRunsStore.setState({ runs: null, listError: null, ticked: [], picked: null, curves: {}, evaluations: {}, view: 'curves' }));

describe('runsStore', () => {
  it('refreshing drops the ticks and the pick of runs that are gone', async () => {
    const engine = fakeEngine([run('a'), run('b')]);
    await refreshRuns(engine);
    useRunsStore.getState().toggleTick('a');
    useRunsStore.getState().toggleTick('b');
    useRunsStore.getState().set({ picked: 'b' });
    expect(useRunsStore.getState().ticked).toEqual(['a', 'b']);
    await deleteRun(engine, 'b');
    expect(useRunsStore.getState()).toMatchObject({ ticked: ['a'], picked: null });
    expect(useRunsStore.getState().runs?.map((r) => r.runId)).toEqual(['a']);
    useRunsStore.getState().toggleTick('a');
    expect(useRunsStore.getState().ticked).toEqual([]);
  });

  it('rename puts the engine’s answer in the list; a failure is a message', async () => {
    const engine = fakeEngine([run('a')]);
    await refreshRuns(engine);
    expect(await renameRun(engine, 'a', 'wider')).toBeNull();
    expect(useRunsStore.getState().runs?.[0]?.name).toBe('wider');
    expect(await renameRun(engine, 'zz', 'x')).toBe('gone');
    expect(await deleteRun(engine, 'zz')).toBe('gone');
  });

  it('an evaluation refused for files keeps the files, so the page can ask for them', async () => {
    const engine = fakeEngine([run('a')]);
    const answer = await loadEvaluation(engine, 'a');
    expect(answer).toMatchObject({ status: 'error', code: 'files-not-allowed', files: [{ resolvedPath: '/a.csv' }] });
    // An error is asked again; anything else is kept.
    await loadEvaluation(engine, 'a');
    expect(engine.calls.filter((c) => c.startsWith('evaluateRun'))).toHaveLength(2);
  });

  it('curve series: epochs by epoch (missing values left out), every batch loss by step, thinned by averaging', () => {
    const curves: RunCurves = {
      runId: 'a',
      stepsPerEpoch: 500,
      epochs: [
        { epoch: 1, step: 500, trainLoss: 2, trainAcc: 0.3, devLoss: 1.9, devAcc: 0.35, lr: 0.001, seconds: 1 },
        { epoch: 2, step: 1000, trainLoss: 1.5, trainAcc: 0.4, devLoss: null, devAcc: null, lr: 0.001, seconds: 1 },
      ],
      batches: [
        { epoch: 1, firstStep: 1, losses: Array.from({ length: 500 }, (_, i) => 2 - i / 1000) },
        { epoch: 2, firstStep: 501, losses: [...Array.from({ length: 499 }, () => 1.5), null] },
      ],
      bestEpoch: null,
    };
    expect(curveSeries(curves, 'devAcc')).toEqual([{ x: 1, y: 0.35 }]);
    expect(curveSeries(curves, 'trainLoss')).toEqual([
      { x: 1, y: 2 },
      { x: 2, y: 1.5 },
    ]);
    const all = curveSeries(curves, 'batchLoss', 10_000);
    expect(all).toHaveLength(999);
    const thin = curveSeries(curves, 'batchLoss', 100);
    expect(thin.length).toBeLessThanOrEqual(100);
    expect(thin[0]).toEqual({ x: 10, y: expect.closeTo(2 - 4.5 / 1000, 9) });
    expect(thin.at(-1)!.y).toBeCloseTo(1.5, 9);

    // Smoothed (the overlay's toggle): over every step, then thinned; epoch curves are left alone.
    const smoothAll = curveSeries(curves, 'batchLoss', 10_000, 0.9);
    expect(smoothAll).toHaveLength(999);
    expect(smoothAll[0]).toEqual({ x: 1, y: 2 }); // debiased: the first point is the first loss
    expect(smoothAll.map((p) => p.x)).toEqual(all.map((p) => p.x));
    // An average of what came before: it lags the falling loss, falls with it, and settles on the plateau.
    expect(smoothAll[100]!.y).toBeGreaterThan(all[100]!.y);
    expect(smoothAll.every((p, i) => i === 0 || p.y <= smoothAll[i - 1]!.y)).toBe(true);
    expect(smoothAll[501]!.y).toBeGreaterThan(1.5);
    expect(smoothAll.at(-1)!.y).toBeCloseTo(1.5, 6);
    const smoothThin = curveSeries(curves, 'batchLoss', 100, 0.9);
    expect(smoothThin.map((p) => p.x)).toEqual(thin.map((p) => p.x));
    expect(smoothThin[0]!.y).toBeGreaterThan(thin[0]!.y);
    expect(curveSeries(curves, 'trainLoss', undefined, 0.9)).toEqual(curveSeries(curves, 'trainLoss'));
  });

  it('a run’s label: its name, else its model and when it started', () => {
    expect(runLabel(run('a', { name: 'wider' }))).toBe('wider');
    expect(runLabel(run('a'))).toMatch(/^Surname CNN · /);
    expect(runLabel(run('a', { documentName: null, createdAt: 'nonsense' }))).toBe('Run · a');
  });
});
