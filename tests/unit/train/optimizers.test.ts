import { beforeAll, describe, expect, it } from 'vitest';
import { OptimizerSchema, TrainingSchema } from '../../../engine/graph/document';
import { evaluateSplit, trainLoop } from '../../../engine/train/loop';
import { learningRateAt } from '../../../engine/train/optimizers';
import { blobs, tinyModel, trainingSpec, useCpu } from './synthetic';

beforeAll(useCpu);

describe('optimizers', () => {
  const lrs = { sgd: 0.1, momentum: 0.05, adam: 0.01, rmsprop: 0.01, adagrad: 0.1 } as const;
  for (const type of OptimizerSchema.shape.type.unwrap().options) {
    it(`${type} lowers the loss`, async () => {
      const data = blobs({ train: 120, dev: 0, test: 0 });
      const model = tinyModel();
      const before = await evaluateSplit(model, data, 'train');
      await trainLoop({
        runId: 'o',
        runDir: '/tmp/o',
        model,
        data,
        training: trainingSpec({ optimizer: { type, lr: lrs[type] } }),
        epochs: 3,
        emit: () => {},
      });
      const after = await evaluateSplit(model, data, 'train');
      expect(after.loss).toBeLessThan(before.loss);
      model.dispose();
    });
  }

  it('schedules the learning rate per epoch', () => {
    const s = (o: object) => TrainingSchema.parse({ schedule: o }).schedule;
    expect(learningRateAt(0.1, s({ type: 'constant' }), 5, 10)).toBe(0.1);
    expect(learningRateAt(0.1, s({ type: 'exponential', gamma: 0.5 }), 2, 10)).toBeCloseTo(0.025);
    expect(learningRateAt(0.1, s({ type: 'step', gamma: 0.1, stepSize: 3 }), 3, 10)).toBeCloseTo(0.01);
    expect(learningRateAt(0.1, s({ type: 'cosine' }), 0, 11)).toBeCloseTo(0.1);
    expect(learningRateAt(0.1, s({ type: 'cosine' }), 10, 11)).toBeCloseTo(0);
  });
});
