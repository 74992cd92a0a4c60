// The loss head on wasm (its logits, cross-entropy and accuracy count one op each: fusedDense's
// linearOp, fusedLoss.ts) against the same head on tfjs's cpu backend: loss, count, and the
// gradients of every weight, with and without class weights, soft labels and ties included.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../engine/backend';
import { countCorrectOp, softmaxCrossEntropyOp } from '../../../engine/kernels';
import { createLossHead } from '../../../engine/train/lossHead';
import { seededValues, sizeOf } from './seededValues';

beforeAll(async () => {
  const info = await initBackend({ prefer: 'wasm' });
  expect(info.name).toBe('wasm');
});

function model(classes: number): tfl.LayersModel {
  const input = tfl.input({ shape: [6] });
  const h = tfl.layers
    .dense({ units: 8, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) })
    .apply(input) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({
      units: classes,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 4 }),
      biasInitializer: tfl.initializers.randomNormal({ seed: 5 }),
    })
    .apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

/** Loss, correct count and every weight's gradient, flattened, on the current backend. */
function run(classes: number, xv: Float32Array, yv: Float32Array, weights: number[] | null): number[] {
  const m = model(classes);
  const rows = xv.length / 6;
  const x = tf.tensor2d(xv, [rows, 6]);
  const y = tf.tensor2d(yv, [rows, classes]);
  const head = createLossHead(m, 'categoricalCrossentropy', x, weights);
  expect(head.fromLogits).toBe(true);
  const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => head.lossAndCorrect(x, y, true).loss, vars);
  const correct = tf.tidy(() => head.lossAndCorrect(x, y, false).correct);
  const out = [value.dataSync()[0]!, correct.dataSync()[0]!, ...vars.flatMap((v) => Array.from(grads[v.name]!.dataSync()))];
  tf.dispose([value, correct, x, y, ...Object.values(grads)]);
  head.dispose();
  m.dispose();
  return out;
}

async function onBoth(f: () => number[]): Promise<{ wasm: number[]; cpu: number[] }> {
  await tf.setBackend('wasm');
  const wasm = f();
  await tf.setBackend('cpu');
  const cpu = f();
  await tf.setBackend('wasm');
  return { wasm, cpu };
}

function oneHot(rows: number, classes: number, seed: number): Float32Array {
  const y = new Float32Array(rows * classes);
  const u = seededValues(rows, seed, (v) => v);
  for (let r = 0; r < rows; r++) y[r * classes + Math.min(classes - 1, Math.floor((u[r] as number) * classes))] = 1;
  return y;
}

describe('the loss head on wasm (logits, cross-entropy and count one op each), against cpu', () => {
  const cases: { name: string; rows: number; classes: number; soft?: boolean; weights?: number[] }[] = [
    { name: '64 rows of 4 classes', rows: 64, classes: 4 },
    { name: '5 rows of 2 classes', rows: 5, classes: 2 },
    { name: 'soft labels', rows: 9, classes: 3, soft: true },
    { name: 'class weights', rows: 12, classes: 3, weights: [0.5, 2, 1] },
  ];
  for (const c of cases) {
    it(`${c.name}: loss, correct count and every weight's gradient`, async () => {
      const xv = seededValues(sizeOf([c.rows, 6]), 41, (u) => 2 * u - 1);
      let yv = oneHot(c.rows, c.classes, 42);
      if (c.soft) {
        yv = seededValues(c.rows * c.classes, 43, (u) => u + 0.1);
        for (let r = 0; r < c.rows; r++) {
          let s = 0;
          for (let k = 0; k < c.classes; k++) s += yv[r * c.classes + k]!;
          for (let k = 0; k < c.classes; k++) yv[r * c.classes + k]! /= s;
        }
      }
      const before = tf.memory().numTensors;
      const r = await onBoth(() => run(c.classes, xv, yv, c.weights ?? null));
      expect(tf.memory().numTensors).toBe(before);
      expect(r.wasm[1]).toBe(r.cpu[1]);
      expect(r.wasm.length).toBe(r.cpu.length);
      const scale = Math.max(...r.cpu.map(Math.abs));
      for (let i = 0; i < r.cpu.length; i++) expect(Math.abs(r.wasm[i]! - r.cpu[i]!) / scale).toBeLessThan(1e-5);
    });
  }

  it('counts the first largest of a tie, as argMax does, and stays finite for huge logits', async () => {
    await tf.setBackend('wasm');
    const z = tf.tensor2d([
      [1, 1, 0],
      [0, 2, 2],
      [500, -500, 0],
      [3, 3, 3],
    ]);
    const y = tf.tensor2d([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    const count = countCorrectOp(z, y)!;
    expect(count.dataSync()[0]).toBe(2);
    const loss = softmaxCrossEntropyOp(z, y, null)!;
    const want = tf.tidy(() => tf.mean(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(z)), -1))).dataSync()[0]!);
    expect(Number.isFinite(loss.dataSync()[0]!)).toBe(true);
    expect(loss.dataSync()[0]).toBeCloseTo(want, 4);
    tf.dispose([z, y, count, loss]);
  });

  it('is not taken off wasm, or for shapes that differ', async () => {
    await tf.setBackend('wasm');
    const z = tf.zeros([2, 3]);
    const y3 = tf.zeros([2, 4]);
    expect(softmaxCrossEntropyOp(z, y3, null)).toBeNull();
    expect(countCorrectOp(z, y3)).toBeNull();
    await tf.setBackend('cpu');
    const zc = tf.zeros([2, 3]);
    expect(softmaxCrossEntropyOp(zc, zc, null)).toBeNull();
    tf.dispose([zc]);
    await tf.setBackend('wasm');
    tf.dispose([z, y3]);
  });
});
