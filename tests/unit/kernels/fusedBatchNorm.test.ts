// Batch normalisation in training on wasm (our fused kernels) against tfjs-layers' own on cpu:
// output, input and weight gradients, and the moving statistics after the call.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../engine/backend';
import { setWasmKernelThreads } from '../../../engine/kernels';
import { fusedBatchNormCalls } from '../../../engine/kernels/wasm/fusedBatchNorm';
import { expectWasmMatchesCpu, type LayerRun } from './compareBackends';
import { seededValues } from './seededValues';

function rand(n: number, seed: number): Float32Array {
  return seededValues(n, seed, (u) => (u - 0.3) * 3);
}

function run(shape: number[], weights: tf.Tensor[] | null): LayerRun {
  return tf.tidy(() => {
    const layer = tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
    const x = tf.tensor(
      rand(
        shape.reduce((a, b) => a * b, 1),
        1,
      ),
      shape,
    );
    layer.apply(x);
    const c = shape[shape.length - 1] as number;
    layer.setWeights(weights ?? [tf.tensor1d(rand(c, 2)), tf.tensor1d(rand(c, 3)), tf.tensor1d(rand(c, 4)), tf.abs(tf.tensor1d(rand(c, 5)))]);
    const probe = tf.tensor(rand(x.size, 9), shape);
    const loss = (xx: tf.Tensor): tf.Scalar => tf.sum(tf.mul(layer.apply(xx, { training: true }) as tf.Tensor, probe));
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const dx = tf.grad(loss)(x);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => loss(x), vars);
    const values = [
      y.dataSync().slice(),
      dx.dataSync().slice(),
      ...vars.map((v) => (grads[v.name] as tf.Tensor).dataSync().slice()),
      ...layer.getWeights().map((w) => w.dataSync().slice()),
    ] as Float32Array[];
    const start = weights === null ? [tf.tensor1d(rand(c, 2)), tf.tensor1d(rand(c, 3)), tf.tensor1d(rand(c, 4)), tf.abs(tf.tensor1d(rand(c, 5)))] : weights;
    return { values, weights: start.map((w) => tf.keep(w)) };
  });
}

beforeAll(async () => {
  const info = await initBackend({ prefer: 'wasm' });
  expect(info.customKernels).toContain('BatchNormalization (fused, training)');
});

describe('fused batch normalisation (training) on wasm', () => {
  // Channels 1 and 3 (lanes only), 12 and 16 (whole vector blocks), 37 and 48 (16-channel blocks
  // taking turns over several tiles of rows a chunk, and 37's lane tail); from 300 rows on the
  // sums run over 16 chunks of rows.
  for (const shape of [
    [6, 5],
    [4, 7, 12],
    [2, 3, 5, 8],
    [300, 1],
    [9, 10, 3],
    [4, 9, 9, 16],
    [20, 50, 37],
    [4, 200, 48],
    // From 64K floats the passes run on both threads where the heap is shared.
    [64, 17, 128],
    [130, 9, 61],
  ]) {
    it(`x ${shape}`, async () => {
      await expectWasmMatchesCpu((weights) => run(shape, weights), fusedBatchNormCalls, 5e-5);
    });
  }

  // The sums' chunks and the order they are added in do not depend on the threads.
  for (const shape of [
    [64, 17, 128],
    [8, 28, 28, 16],
    [130, 9, 61],
  ]) {
    it(`x ${shape} on two threads equals one thread bit for bit`, async () => {
      const values = (threads: number): Float32Array[] => {
        setWasmKernelThreads(threads);
        const r = run(shape, null);
        tf.dispose(r.weights);
        return r.values;
      };
      // Two first: a one-thread run before it would leave its right answers in the memory that
      // the two-thread run's outputs then reuse, and hide rows it failed to write.
      const two = values(2);
      const one = values(1);
      setWasmKernelThreads(2);
      expect(two.length).toBe(one.length);
      two.forEach((v, i) => expect(Array.from(v), `output ${i}`).toEqual(Array.from(one[i] as Float32Array)));
    });
  }
});
