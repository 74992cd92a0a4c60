// The fused Adam on wasm follows tfjs's own Adam (cpu backend) step for step, keeps its state
// where tfjs keeps it, and never writes into a buffer another tensor shares.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../engine/backend';
import { setWasmKernelThreads } from '../../../engine/kernels';
import { seededValues } from './seededValues';

function values(n: number, seed: number): Float32Array {
  return seededValues(n, seed, (u) => u - 0.5);
}

/**
 * Five Adam steps on f(w) = sum((w ⊙ a − b)²) over three variables (two of odd length). w3 is
 * large enough for both threads (from 64K floats on the shared heap), and has more elements than
 * a two-thread claim counts in (2²⁰), as an embedding's table can.
 */
async function run(backend: 'wasm' | 'cpu'): Promise<{ w1: Float32Array; w2: Float32Array; w3: Float32Array; iterations: number; weights: number }> {
  await tf.setBackend(backend);
  const w1 = tf.variable(tf.tensor1d(values(37, 1)), true, `w1-${backend}`);
  const w2 = tf.variable(tf.tensor2d(values(64, 2), [8, 8]), true, `w2-${backend}`);
  const a1 = tf.tensor1d(values(37, 3));
  const a2 = tf.tensor2d(values(64, 4), [8, 8]);
  const w3 = tf.variable(tf.tensor1d(values(1_100_003, 5)), true, `w3-${backend}`);
  const a3 = tf.tensor1d(values(1_100_003, 6));
  const opt = tf.train.adam(0.05, 0.8, 0.95, 1e-6);
  for (let i = 0; i < 5; i++) {
    opt.minimize(
      () => tf.addN([tf.sum(tf.square(tf.sub(tf.mul(w1, a1), 0.3))), tf.sum(tf.square(tf.mul(w2, a2))), tf.sum(tf.square(tf.mul(w3, a3)))]) as tf.Scalar,
    );
  }
  const out = {
    w1: (await w1.data()) as Float32Array,
    w2: (await w2.data()) as Float32Array,
    w3: (await w3.data()) as Float32Array,
    iterations: opt.iterations,
    weights: (await opt.getWeights()).length,
  };
  tf.dispose([w1, w2, w3, a1, a2, a3]);
  opt.dispose();
  return out;
}

beforeAll(async () => {
  const info = await initBackend({ prefer: 'wasm' });
  expect(info.customKernels).toContain('Adam (fused)');
});

describe('fused Adam on wasm', () => {
  it('matches tfjs Adam on cpu over five steps', async () => {
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    for (const k of ['w1', 'w2', 'w3'] as const) {
      let worst = 0;
      for (let i = 0; i < cpu[k].length; i++) worst = Math.max(worst, Math.abs((wasm[k][i] as number) - (cpu[k][i] as number)));
      expect(worst, k).toBeLessThan(5e-6);
    }
    expect(wasm.iterations).toBe(5);
    expect(wasm.weights).toBe(cpu.weights);
  });

  it('gives the same bits on two threads as on one', async () => {
    setWasmKernelThreads(2);
    const two = await run('wasm');
    setWasmKernelThreads(1);
    const one = await run('wasm');
    setWasmKernelThreads(2);
    for (const k of ['w1', 'w2', 'w3'] as const) expect(Array.from(two[k]), k).toEqual(Array.from(one[k]));
  });

  it('leaves a clone of a weight alone (no in-place write into a shared buffer)', async () => {
    await tf.setBackend('wasm');
    const w = tf.variable(tf.tensor1d([1, 2, 3, 4, 5]), true, 'shared-w');
    const snapshot = tf.clone(w);
    const opt = tf.train.adam(0.1);
    opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
    expect(Array.from(await snapshot.data())).toEqual([1, 2, 3, 4, 5]);
    expect((await w.data())[0]).toBeCloseTo(0.9, 5);
    tf.dispose([w, snapshot]);
    opt.dispose();
  });

  it('does not leak tensors across steps', async () => {
    await tf.setBackend('wasm');
    const w = tf.variable(tf.tensor1d(values(10, 9)), true, 'leak-w');
    const opt = tf.train.adam(0.01);
    opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
    opt.dispose();
  });
});
