import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLossHead } from '../../../engine/train/lossHead';
import { tinyModel, useCpu } from './synthetic';

beforeAll(useCpu);

describe('createLossHead', () => {
  it('uses the logits of a Dense softmax output and agrees with clipped cross-entropy on sane outputs', () => {
    const model = tinyModel();
    const x = tf.randomNormal([8, 4], 0, 1, 'float32', 5);
    const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3), 'float32');
    const head = createLossHead(model, 'categoricalCrossentropy', x);
    expect(head.fromLogits).toBe(true);
    const mine = head.lossAndCorrect(x, y, false).loss.dataSync()[0]!;
    const p = model.predict(x) as tf.Tensor;
    const reference = tf.mean(tfl.metrics.categoricalCrossentropy(y, p)).dataSync()[0]!;
    expect(mine).toBeCloseTo(reference, 4);
    model.dispose();
  });

  it('stays finite where softmax probabilities underflow to zero', () => {
    const input = tfl.input({ shape: [2] });
    const out = tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: 'ones', biasInitializer: 'zeros' });
    const model = tfl.model({ inputs: input, outputs: out.apply(input) as tfl.SymbolicTensor });
    out.setWeights([tf.tensor2d([[200, -200], [0, 0]]), tf.zeros([2])]);
    const x = tf.tensor2d([[1, 0]]);
    const y = tf.tensor2d([[0, 1]]);
    const head = createLossHead(model, 'categoricalCrossentropy', x);
    const loss = head.lossAndCorrect(x, y, false).loss.dataSync()[0]!;
    expect(loss).toBeCloseTo(400, 3);
    model.dispose();
  });

  it('falls back to clipped probabilities for outputs it does not recognise', () => {
    const input = tfl.input({ shape: [3] });
    const model = tfl.model({ inputs: input, outputs: tfl.layers.softmax().apply(input) as tfl.SymbolicTensor });
    const head = createLossHead(model, 'categoricalCrossentropy');
    expect(head.fromLogits).toBe(false);
    const loss = head.lossAndCorrect(tf.tensor2d([[0, 0, 0]]), tf.tensor2d([[1, 0, 0]]), false).loss.dataSync()[0]!;
    expect(loss).toBeCloseTo(Math.log(3), 5);
  });
});
