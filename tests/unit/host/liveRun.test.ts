/** What the host keeps of a live run for a page that connects mid-run: bounded, from step 1. */
import { describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../engine/api';
import { LiveRun, MAX_SNAPSHOT_BATCHES } from '../../../engine/host/liveRun';

const batch = (step: number, perEpoch = 100): TrainEvent => ({
  type: 'batch',
  runId: 'r1',
  epoch: Math.ceil(step / perEpoch),
  batch: ((step - 1) % perEpoch) + 1,
  step,
  loss: 1 / step,
  acc: 0.5,
  msPerStep: 3,
});

describe('LiveRun', () => {
  it('keeps every batch up to its bound, then every k-th from the first, never more than the bound', () => {
    const live = new LiveRun(10);
    for (let s = 1; s <= 10; s++) live.add(batch(s));
    expect(live.snapshot('r1', '/r', 'running').batches.map((b) => b.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (let s = 11; s <= 1000; s++) {
      live.add(batch(s));
      expect(live.snapshot('r1', '/r', 'running').batches.length).toBeLessThanOrEqual(10);
    }
    const steps = live.snapshot('r1', '/r', 'running').batches.map((b) => b.step);
    expect(steps[0]).toBe(1);
    const gaps = new Set(steps.slice(1).map((s, i) => s - steps[i]!));
    expect(gaps.size).toBe(1); // evenly every k-th
    expect(steps.length).toBeGreaterThanOrEqual(5);
    // The latest batch is kept apart for the progress line, whatever the thinning dropped.
    expect(live.snapshot('r1', '/r', 'running').lastBatch).toMatchObject({ step: 1000 });
  });

  it('bounds a long run by default at some ten thousand points', () => {
    const live = new LiveRun();
    for (let s = 1; s <= 100_000; s++) live.add(batch(s, 1000));
    const { batches } = live.snapshot('r1', '/r', 'running');
    expect(batches.length).toBeLessThanOrEqual(MAX_SNAPSHOT_BATCHES);
    expect(batches.length).toBeGreaterThan(MAX_SNAPSHOT_BATCHES / 4);
    expect(batches[0]!.step).toBe(1);
  });

  it('keeps the start, every epoch, the last status and where the queue put it', () => {
    const live = new LiveRun();
    live.add({ type: 'status', runId: 'r1', message: 'Queued: 1 run ahead…', queued: { ahead: 1, maxConcurrent: 1 } });
    expect(live.snapshot('r1', '/r', 'queued')).toMatchObject({ state: 'queued', message: 'Queued: 1 run ahead…', queued: { ahead: 1 }, start: null });
    live.add({ type: 'status', runId: 'r1', message: 'Starting: a training slot is free.' });
    expect(live.snapshot('r1', '/r', 'running').queued).toBeUndefined();
    for (let e = 1; e <= 3; e++)
      live.add({
        type: 'epoch',
        runId: 'r1',
        epoch: e,
        trainLoss: 1,
        trainAcc: 0,
        devLoss: 2 - e / 10,
        devAcc: 0,
        seconds: 1,
        lr: 0.1,
        gradNorm: 1,
        examplesPerSec: 1,
        elapsedSeconds: e,
        etaSeconds: 0,
      });
    expect(live.snapshot('r1', '/r', 'running').epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(live.lastEpoch).toBe(3);
    expect(live.bestDevLoss).toBeCloseTo(1.7);
  });
});
