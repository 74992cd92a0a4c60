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
    out.setWeights([
      tf.tensor2d([
        [200, -200],
        [0, 0],
      ]),
      tf.zeros([2]),
    ]);
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
  it('backpropagates the closed-form logits gradient: equal to the gradient of the plain formula, no tensors leaked', () => {
    const z = tf.tensor2d([
      [2, -1, 0.5],
      [0, 0, 0],
      [30, -30, 1],
      [-2, 3, 1],
    ]);
    const yc = tf.tensor2d([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0.2, 0.5, 0.3],
    ]);
    const yb = tf.tensor2d([
      [1, 0, 1],
      [0, 1, 0],
      [0, 0, 1],
      [1, 1, 0],
    ]);
    const dense = (w: tf.Tensor): tf.Tensor => tf.mul(w, tf.tensor2d([[1, 2, 3]]));
    const cases: { kind: 'categoricalCrossentropy' | 'binaryCrossentropy'; y: tf.Tensor; plain: (q: tf.Tensor) => tf.Scalar }[] = [
      { kind: 'categoricalCrossentropy', y: yc, plain: (q) => tf.mean(tf.neg(tf.sum(tf.mul(yc, tf.logSoftmax(q)), -1))) as tf.Scalar },
      { kind: 'binaryCrossentropy', y: yb, plain: (q) => tf.mean(tf.add(tf.sub(tf.relu(q), tf.mul(q, yb)), tf.log1p(tf.exp(tf.neg(tf.abs(q)))))) as tf.Scalar },
    ];
    for (const c of cases) {
      const input = tfl.input({ shape: [3] });
      const out = tfl.layers.activation({ activation: c.kind === 'categoricalCrossentropy' ? 'softmax' : 'sigmoid' });
      const model = tfl.model({ inputs: input, outputs: out.apply(input) as tfl.SymbolicTensor });
      const head = createLossHead(model, c.kind, z);
      expect(head.fromLogits).toBe(true);
      // Scaled by 3 so the upstream gradient dy is not 1.
      const mine = tf.grad((q: tf.Tensor) => tf.mul(head.lossAndCorrect(dense(q), c.y, true).loss, 3))(z);
      const plain = tf.grad((q: tf.Tensor) => tf.mul(c.plain(dense(q)), 3))(z);
      const a = mine.dataSync();
      const b = plain.dataSync();
      for (let i = 0; i < a.length; i++) expect(a[i]!).toBeCloseTo(b[i]!, 5);
      expect(head.lossAndCorrect(z, c.y, false).loss.dataSync()[0]!).toBeCloseTo(c.plain(z).dataSync()[0]!, 6);
      const before = tf.memory().numTensors;
      tf.dispose(tf.grad((q: tf.Tensor) => head.lossAndCorrect(q, c.y, true).loss)(z));
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    }
  });
});

describe('createLossHead with class weights', () => {
  const w = [0.5, 2, 1];
  const z = tf.tensor2d([
    [2, -1, 0.5],
    [0, 0, 0],
    [30, -30, 1],
    [-2, 3, 1],
  ]);
  const labels = [0, 1, 2, 1];
  const y = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 3), 'float32');
  const yb = tf.tensor2d([
    [1, 0, 1],
    [0, 1, 0],
    [0, 0, 1],
    [1, 1, 0],
  ]);
  const wt = tf.tensor1d(w);
  const head = (kind: 'categoricalCrossentropy' | 'binaryCrossentropy', activation: 'softmax' | 'sigmoid', logits = true) => {
    const input = tfl.input({ shape: [3] });
    const out = logits ? tfl.layers.activation({ activation }) : tfl.layers.softmax();
    const model = tfl.model({ inputs: input, outputs: out.apply(input) as tfl.SymbolicTensor });
    return { model, head: createLossHead(model, kind, logits ? z : undefined, w) };
  };
  // PyTorch's CrossEntropyLoss(weight=w): sum_i w[y_i]·(-log softmax(z_i)[y_i]) / sum_i w[y_i].
  const weightedCe = (q: tf.Tensor): tf.Scalar => {
    const ls = tf.logSoftmax(q);
    const rowLoss = tf.neg(tf.sum(tf.mul(y, ls), -1));
    const rowW = tf.gather(wt, tf.tensor1d(labels, 'int32'));
    return tf.div(tf.sum(tf.mul(rowW, rowLoss)), tf.sum(rowW)) as tf.Scalar;
  };
  // PyTorch's BCEWithLogitsLoss(weight=w): mean over every element of w_c·loss_ic.
  const weightedBce = (q: tf.Tensor): tf.Scalar =>
    tf.mean(tf.mul(tf.add(tf.sub(tf.relu(q), tf.mul(q, yb)), tf.log1p(tf.exp(tf.neg(tf.abs(q))))), wt)) as tf.Scalar;

  it('computes the weighted mean by hand: (0.5·l0 + 2·l1 + 1·l2 + 2·l3) / 5.5', () => {
    const { model, head: h } = head('categoricalCrossentropy', 'softmax');
    expect(h.fromLogits).toBe(true);
    const zs = z.arraySync();
    const nll = zs.map((row, i) => {
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
      return lse - row[labels[i]!]!;
    });
    const byHand = (0.5 * nll[0]! + 2 * nll[1]! + 1 * nll[2]! + 2 * nll[3]!) / 5.5;
    expect(h.lossAndCorrect(z, y, false).loss.dataSync()[0]!).toBeCloseTo(byHand, 5);
    expect(h.batchWeight(y.dataSync() as Float32Array, 4)).toBeCloseTo(5.5, 6);
    h.dispose();
    model.dispose();
  });

  it('weighs every class 1 the same as no weights', () => {
    const input = tfl.input({ shape: [3] });
    const model = tfl.model({ inputs: input, outputs: tfl.layers.activation({ activation: 'softmax' }).apply(input) as tfl.SymbolicTensor });
    const ones = createLossHead(model, 'categoricalCrossentropy', z, [1, 1, 1]);
    const plain = createLossHead(model, 'categoricalCrossentropy', z);
    expect(ones.lossAndCorrect(z, y, false).loss.dataSync()[0]!).toBeCloseTo(plain.lossAndCorrect(z, y, false).loss.dataSync()[0]!, 6);
    expect(plain.batchWeight(y.dataSync() as Float32Array, 4)).toBe(4);
    ones.dispose();
    model.dispose();
  });

  it('backpropagates the fused weighted gradient equal to the plain weighted formula, for both losses, leaking nothing', () => {
    const dense = (q: tf.Tensor): tf.Tensor => tf.mul(q, tf.tensor2d([[1, 2, 3]]));
    const cases = [
      { kind: 'categoricalCrossentropy' as const, activation: 'softmax' as const, y, plain: weightedCe },
      { kind: 'binaryCrossentropy' as const, activation: 'sigmoid' as const, y: yb, plain: weightedBce },
    ];
    for (const c of cases) {
      const { model, head: h } = head(c.kind, c.activation);
      expect(h.fromLogits).toBe(true);
      const mine = tf
        .grad((q: tf.Tensor) => tf.mul(h.lossAndCorrect(dense(q), c.y, true).loss, 3))(z)
        .dataSync();
      const plain = tf
        .grad((q: tf.Tensor) => tf.mul(c.plain(dense(q)), 3))(z)
        .dataSync();
      for (let i = 0; i < mine.length; i++) expect(mine[i]!).toBeCloseTo(plain[i]!, 5);
      expect(h.lossAndCorrect(z, c.y, false).loss.dataSync()[0]!).toBeCloseTo(c.plain(z).dataSync()[0]!, 6);
      const before = tf.memory().numTensors;
      tf.dispose(tf.grad((q: tf.Tensor) => h.lossAndCorrect(q, c.y, true).loss)(z));
      expect(tf.memory().numTensors).toBe(before);
      h.dispose();
      expect(tf.memory().numTensors).toBe(before - 1);
      model.dispose();
    }
  });

  it('weighs the clipped-probability fallback the same way', () => {
    const { model, head: h } = head('categoricalCrossentropy', 'softmax', false);
    expect(h.fromLogits).toBe(false);
    // Rows whose softmax does not underflow, so the clipping at 1e-7 changes nothing.
    const sane = tf.tensor2d([
      [2, -1, 0.5],
      [0, 0, 0],
      [3, -3, 1],
      [-2, 3, 1],
    ]);
    expect(h.lossAndCorrect(sane, y, false).loss.dataSync()[0]!).toBeCloseTo(weightedCe(sane).dataSync()[0]!, 5);
    h.dispose();
    model.dispose();
  });
});
