import { describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../../engine/api';
import { nodeId } from '../../../../engine/graph/document';
import { applyEvent, IDLE_RUN, thinBatches, useTrainingStore, type BatchPoint, type RunState } from '../../../../renderer/state/trainingStore';

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
  data: { source: 's', rows: 1, classes: ['a'], classCounts: [1], vocabSize: 1, maxLength: 1, inputShape: [1], inputDtype: 'float32', split: { train: 1, dev: 0, test: 0 }, sample: [] },
};
const batch = (step: number, loss: number): TrainEvent => ({ type: 'batch', runId: 'r1', epoch: step <= 3 ? 1 : 2, batch: ((step - 1) % 3) + 1, step, loss, acc: 0.5, msPerStep: 10 });

describe('training run state', () => {
  it('folds a run: batches, epochs placed on the step axis, done', () => {
    let run: RunState = { ...IDLE_RUN, status: 'starting', runId: 'r1' };
    for (const e of [start, batch(1, 2), batch(2, 1.5), batch(3, 1.2)]) run = applyEvent(run, e);
    run = applyEvent(run, { type: 'epoch', runId: 'r1', epoch: 1, trainLoss: 1.5, trainAcc: 0.4, devLoss: 1.3, devAcc: 0.45, seconds: 1, lr: 0.001, gradNorm: 1, examplesPerSec: 100, elapsedSeconds: 1, etaSeconds: 1 });
    expect(run.status).toBe('running');
    expect(run.batches.map((b) => b.loss)).toEqual([2, 1.5, 1.2]);
    expect(run.epochs[0]).toMatchObject({ epoch: 1, step: 3, devLoss: 1.3 });
    run = applyEvent(run, { type: 'done', runId: 'r1', runDir: '/tmp/r1', reason: 'stopped', epochs: 1, finalLoss: 1.2, bestDevLoss: 1.3, testLoss: null, testAcc: null, seconds: 2 });
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
    store.receive({ type: 'done', runId: 'r1', runDir: '', reason: 'completed', epochs: 2, finalLoss: 1, bestDevLoss: null, testLoss: null, testAcc: null, seconds: 1 });
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
});
