import { describe, expect, it } from 'vitest';
import type { RunSnapshot, TrainEvent } from '../../../../engine/api';
import { nodeId } from '../../../../engine/graph/document';
import {
  applyEvent,
  fromSnapshot,
  IDLE_RUN,
  isActive,
  thinBatches,
  useTrainingStore,
  type BatchPoint,
  type RunState,
} from '../../../../renderer/state/trainingStore';

const backend = { name: 'cpu' as const, package: '@tensorflow/tfjs-backend-cpu', reason: 'test', customKernels: [] };
const start: TrainEvent = {
  type: 'start',
  runId: 'r1',
  runDir: '/tmp/r1',
  backend,
  epochs: 2,
  stepsPerEpoch: 3,
  batchSize: 4,
  params: 10,
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
};
const batch = (step: number, loss: number): TrainEvent => ({
  type: 'batch',
  runId: 'r1',
  epoch: step <= 3 ? 1 : 2,
  batch: ((step - 1) % 3) + 1,
  step,
  loss,
  acc: 0.5,
  msPerStep: 10,
});

describe('training run state', () => {
  it('folds a run: batches, epochs placed on the step axis, done', () => {
    let run: RunState = { ...IDLE_RUN, status: 'starting', runId: 'r1' };
    for (const e of [start, batch(1, 2), batch(2, 1.5), batch(3, 1.2)]) run = applyEvent(run, e);
    run = applyEvent(run, {
      type: 'epoch',
      runId: 'r1',
      epoch: 1,
      trainLoss: 1.5,
      trainAcc: 0.4,
      devLoss: 1.3,
      devAcc: 0.45,
      seconds: 1,
      lr: 0.001,
      gradNorm: 1,
      examplesPerSec: 100,
      elapsedSeconds: 1,
      etaSeconds: 1,
    });
    expect(run.status).toBe('running');
    expect(run.batches.map((b) => b.loss)).toEqual([2, 1.5, 1.2]);
    expect(run.epochs[0]).toMatchObject({ epoch: 1, step: 3, devLoss: 1.3 });
    run = applyEvent(run, {
      type: 'done',
      runId: 'r1',
      runDir: '/tmp/r1',
      reason: 'stopped',
      epochs: 1,
      finalLoss: 1.2,
      bestDevLoss: 1.3,
      testLoss: null,
      testAcc: null,
      seconds: 2,
    });
    expect(run.status).toBe('done');
    expect(run.done?.reason).toBe('stopped');
  });

  it('keeps "stopping" when the start event arrives after Stop was pressed', () => {
    const run = applyEvent({ ...IDLE_RUN, status: 'stopping', runId: 'r1' }, start);
    expect(run.status).toBe('stopping');
  });

  it('an error carries the issues that name the nodes to highlight', () => {
    const run = applyEvent(IDLE_RUN, { type: 'error', runId: 'r1', message: 'bad', issues: [{ code: 'cycle', nodeId: nodeId('a'), message: 'loop' }] });
    expect(run.status).toBe('error');
    expect(run.error?.issues[0]?.nodeId).toBe('a');
  });

  it('replays events that came before the engine named the run', async () => {
    const store = useTrainingStore.getState();
    store.begin();
    store.receive(start);
    store.receive(batch(1, 2));
    store.receive({ ...batch(1, 9), runId: 'someone-else' });
    await new Promise((r) => setTimeout(r, 200));
    expect(useTrainingStore.getState().run.batches).toEqual([]);
    useTrainingStore.getState().started('r1');
    const run = useTrainingStore.getState().run;
    expect(run.status).toBe('running');
    expect(run.batches.map((b) => b.loss)).toEqual([2]);
    store.receive({
      type: 'done',
      runId: 'r1',
      runDir: '',
      reason: 'completed',
      epochs: 2,
      finalLoss: 1,
      bestDevLoss: null,
      testLoss: null,
      testAcc: null,
      seconds: 1,
    });
    expect(useTrainingStore.getState().run.status).toBe('done');
  });

  it('a page that opens during a run picks it up', async () => {
    useTrainingStore.getState().reset();
    useTrainingStore.getState().receive({ ...batch(2, 1.7), runId: 'r9' });
    await new Promise((r) => setTimeout(r, 200));
    const run = useTrainingStore.getState().run;
    expect(run).toMatchObject({ status: 'running', runId: 'r9' });
    expect(run.batches).toHaveLength(1);
    // A finished run's last word alone is not picked up.
    useTrainingStore.getState().reset();
    useTrainingStore.getState().receive({ type: 'error', runId: 'r8', message: 'x' });
    expect(useTrainingStore.getState().run.status).toBe('idle');
  });

  it('thins long runs into averaged buckets that end on the last step', () => {
    const points: BatchPoint[] = Array.from({ length: 1000 }, (_, i) => ({ step: i + 1, epoch: 1, loss: i % 2, acc: 0 }));
    const thin = thinBatches(points, 100);
    expect(thin).toHaveLength(100);
    expect(thin[0]).toMatchObject({ step: 10, loss: 0.5 });
    expect(thin.at(-1)!.step).toBe(1000);
    expect(thinBatches(points.slice(0, 5), 100)).toHaveLength(5);
  });

  it('a page that reloads mid-run shows the true totals and the whole curve from step 1', async () => {
    // Run r5: 10 epochs of 64 steps, now at epoch 2, batch 1 (step 65).
    const start5 = { ...start, runId: 'r5', epochs: 10, stepsPerEpoch: 64 } as Extract<TrainEvent, { type: 'start' }>;
    const b = (step: number) => ({
      type: 'batch' as const,
      runId: 'r5',
      epoch: Math.ceil(step / 64),
      batch: ((step - 1) % 64) + 1,
      step,
      loss: 3 - step / 100,
      acc: 0.5,
      msPerStep: 20,
    });
    const snapshot: RunSnapshot = {
      runId: 'r5',
      runDir: '/tmp/r5',
      state: 'running',
      start: start5,
      epochs: [
        {
          type: 'epoch',
          runId: 'r5',
          epoch: 1,
          trainLoss: 2.5,
          trainAcc: 0.3,
          devLoss: 2.4,
          devAcc: 0.35,
          seconds: 9,
          lr: 0.001,
          gradNorm: 1,
          examplesPerSec: 500,
          elapsedSeconds: 9,
          etaSeconds: 81,
        },
      ],
      batches: Array.from({ length: 65 }, (_, i) => b(i + 1)).map(({ epoch, batch, step, loss, acc }) => ({ epoch, batch, step, loss, acc })),
      lastBatch: b(65),
      message: null,
    };
    useTrainingStore.getState().reset();
    // The stream starts before the answer to activeRuns: a batch the snapshot also holds.
    useTrainingStore.getState().receive(b(65));
    useTrainingStore.getState().adopt([snapshot]);
    let run = useTrainingStore.getState().run;
    expect(run).toMatchObject({ status: 'running', runId: 'r5', start: { epochs: 10, stepsPerEpoch: 64 } });
    expect(run.batches.map((p) => p.step)).toEqual(Array.from({ length: 65 }, (_, i) => i + 1));
    expect(run.epochs).toEqual([expect.objectContaining({ epoch: 1, step: 64, devLoss: 2.4 })]);
    expect(run.lastBatch).toMatchObject({ epoch: 2, batch: 1 });
    // Then the live stream goes on; what the snapshot already had is not added twice.
    useTrainingStore.getState().receive(b(65));
    useTrainingStore.getState().receive(b(66));
    useTrainingStore.getState().receive({ ...snapshot.epochs[0]! });
    await new Promise((r) => setTimeout(r, 200));
    run = useTrainingStore.getState().run;
    expect(run.batches.map((p) => p.step).slice(-3)).toEqual([64, 65, 66]);
    expect(run.epochs).toHaveLength(1);
    // A reconnect asks again: the same run is replaced by the host's whole record, nothing doubled.
    useTrainingStore.getState().adopt([{ ...snapshot, batches: [...snapshot.batches, { epoch: 2, batch: 2, step: 66, loss: 1, acc: 1 }], lastBatch: b(66) }]);
    expect(useTrainingStore.getState().run.batches).toHaveLength(66);
  });

  it('a long run thinned by the host still ends its curve on the last batch', () => {
    const lastBatch = batch(3, 1.2) as Extract<TrainEvent, { type: 'batch' }>;
    const run = fromSnapshot({
      runId: 'r',
      runDir: '/r',
      state: 'running',
      start: start as Extract<TrainEvent, { type: 'start' }>,
      epochs: [],
      batches: [{ epoch: 1, batch: 1, step: 1, loss: 2, acc: 0 }],
      lastBatch,
      message: null,
    });
    expect(run.batches.map((p) => p.step)).toEqual([1, 3]);
  });

  it('after a reconnect: a run the host no longer has ended while the page was away; a page showing none picks up the newest', () => {
    const store = useTrainingStore.getState();
    store.reset();
    store.begin();
    store.started('r1');
    useTrainingStore.getState().adopt([]);
    expect(useTrainingStore.getState().run.status).toBe('lost');
    expect(isActive('lost')).toBe(false);
    useTrainingStore.getState().reset();
    const queued: RunSnapshot = {
      runId: 'q',
      runDir: '/q',
      state: 'queued',
      start: null,
      epochs: [],
      batches: [],
      lastBatch: null,
      message: 'Queued: 1 run ahead…',
      queued: { ahead: 1, maxConcurrent: 1 },
    };
    const running: RunSnapshot = { runId: 'r', runDir: '/r', state: 'running', start: null, epochs: [], batches: [], lastBatch: null, message: null };
    useTrainingStore.getState().adopt([running, queued]);
    expect(useTrainingStore.getState().run).toMatchObject({ runId: 'r', status: 'running' });
    // A page already showing a finished run keeps it.
    useTrainingStore.getState().receive({
      type: 'done',
      runId: 'r',
      runDir: '',
      reason: 'completed',
      epochs: 1,
      finalLoss: 1,
      bestDevLoss: null,
      testLoss: null,
      testAcc: null,
      seconds: 1,
    });
    useTrainingStore.getState().adopt([queued]);
    expect(useTrainingStore.getState().run).toMatchObject({ runId: 'r', status: 'done' });
  });

  it('a queued run shows as queued until its slot is free; a crashed run shows as crashed, not as an error', () => {
    let run: RunState = { ...IDLE_RUN, status: 'starting', runId: 'r1' };
    run = applyEvent(run, { type: 'status', runId: 'r1', message: 'Queued: 2 runs ahead…', queued: { ahead: 2, maxConcurrent: 1 } });
    expect(run).toMatchObject({ status: 'queued', message: 'Queued: 2 runs ahead…', queued: { ahead: 2 } });
    expect(isActive(run.status)).toBe(true);
    run = applyEvent(run, { type: 'status', runId: 'r1', message: 'Starting: a training slot is free.' });
    expect(run).toMatchObject({ status: 'running', queued: null });
    run = applyEvent(run, start);
    run = applyEvent(run, batch(2, 1.5));
    const crash = {
      exitCode: null,
      signal: 'SIGKILL',
      lastEpoch: 0,
      lastBatch: { epoch: 1, batch: 2, step: 2 },
      stepsPerEpoch: 3,
      checkpointEpoch: null,
      outOfMemory: true,
      outputTail: '',
    };
    run = applyEvent(run, {
      type: 'error',
      runId: 'r1',
      message: 'The training process ended unexpectedly at epoch 1, batch 2 of 3: it was killed (SIGKILL).',
      crash,
    });
    expect(run.status).toBe('crashed');
    expect(run.crash).toEqual(crash);
    expect(run.error?.message).toMatch(/killed \(SIGKILL\)/);
    expect(isActive(run.status)).toBe(false);
    // A plain error stays an error.
    expect(applyEvent({ ...IDLE_RUN, status: 'running', runId: 'r1' }, { type: 'error', runId: 'r1', message: 'bad data' }).status).toBe('error');
  });
});
