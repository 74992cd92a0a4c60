// initBackend picks wasm here (no tfjs-node), fills its missing training kernels, says why, and
// the models of issue 4 train on it: the loss falls and no tensor leaks across steps.
import { describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { currentBackend, initBackend } from '../../../engine/backend';
import { REQUIRED_TRAINING_KERNELS, missingKernels } from '../../../engine/kernels';

function surnameCnn(len: number, chars: number, classes: number): tfl.LayersModel {
  const input = tfl.input({ shape: [len, chars] });
  let h = input as tfl.SymbolicTensor;
  for (const strides of [1, 2, 2, 1]) {
    h = tfl.layers.conv1d({ filters: 32, kernelSize: 3, strides, activation: 'elu' }).apply(h) as tfl.SymbolicTensor;
  }
  h = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: classes, activation: 'softmax' }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

describe('initBackend', () => {
  it('picks wasm here, registers what training lacks, and says why', async () => {
    const warn = vi.spyOn(console, 'warn');
    const info = await initBackend();
    // Trying both libtensorflow packages (neither loads here) prints none of tfjs-core's
    // "already registered" lines for the second one's kernels.
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('already registered'))).toEqual([]);
    warn.mockRestore();
    expect(info.name).toBe('wasm');
    expect(info.package).toBe('@tensorflow/tfjs-backend-wasm');
    expect(info.customKernels).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'UnsortedSegmentSum', 'Conv2DBackpropInput', 'GatherV2']));
    expect(info.reason).toMatch(/tfjs-node/);
    expect(info.reason).toMatch(/WebAssembly/);
    // The fused multiply-add build unless this run asked for the plain one (vitest.config.ts).
    if (process.env['MODELWRIGHT_RELAXED_SIMD'] === '0') expect(info.reason).not.toMatch(/fused multiply-add/);
    else expect(info.reason).toMatch(/fused multiply-add \(relaxed SIMD\)/);
    // tfjs's heap is shared with our GEMM worker unless this run asked for the usual build.
    const heap = (tf.backend() as unknown as { wasm: { wasmMemory?: WebAssembly.Memory } }).wasm.wasmMemory;
    expect(heap?.buffer instanceof SharedArrayBuffer).toBe(process.env['MODELWRIGHT_SHARED_HEAP'] !== '0');
    expect(missingKernels('wasm', REQUIRED_TRAINING_KERNELS)).toEqual([]);
    expect(tf.getBackend()).toBe('wasm');
    expect(currentBackend()).toEqual(info);
    expect(await initBackend()).toBe(info);
  });

  it('switches to cpu when asked', async () => {
    const info = await initBackend({ prefer: 'cpu' });
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(missingKernels('cpu', REQUIRED_TRAINING_KERNELS)).toEqual([]);
    await initBackend({ prefer: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('training on wasm', () => {
  it('the surname CNN learns a toy task without leaking tensors', async () => {
    await initBackend({ prefer: 'wasm' });
    const n = 64;
    const len = 20;
    const chars = 10;
    const xs = new Float32Array(n * len * chars);
    const ys = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const cls = i % 3;
      for (let t = 0; t < len; t++) xs[(i * len + t) * chars + ((t + cls * 3) % chars)] = 1;
      ys[i * 3 + cls] = 1;
    }
    const x = tf.tensor3d(xs, [n, len, chars]);
    const y = tf.tensor2d(ys, [n, 3]);
    const model = surnameCnn(len, chars, 3);
    model.compile({ optimizer: tf.train.adam(3e-3), loss: 'categoricalCrossentropy' });
    const first = (await model.trainOnBatch(x, y)) as number;
    const tensorsAfterFirst = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 20; i++) last = (await model.trainOnBatch(x, y)) as number;
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    expect(Number.isFinite(last)).toBe(true);
    expect(last).toBeLessThan(first * 0.5);
    model.dispose();
    x.dispose();
    y.dispose();
  });

  it('an embedding + GRU model trains (gather gradient, recurrent cells, orthogonal init)', async () => {
    await initBackend({ prefer: 'wasm' });
    const input = tfl.input({ shape: [8], dtype: 'int32' });
    let h = tfl.layers.embedding({ inputDim: 30, outputDim: 8 }).apply(input) as tfl.SymbolicTensor;
    h = tfl.layers.gru({ units: 8 }).apply(h) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 2, activation: 'softmax' }).apply(h) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const ids = tf.tensor2d(
      Array.from({ length: 32 * 8 }, (_, i) => (i * 7) % 30),
      [32, 8],
      'int32',
    );
    const y = tf.tensor2d(
      Array.from({ length: 32 }, (_, i) => i % 2),
      [32, 1],
    );
    const first = (await model.trainOnBatch(ids, y)) as number;
    let last = first;
    for (let i = 0; i < 5; i++) last = (await model.trainOnBatch(ids, y)) as number;
    expect(Number.isFinite(last)).toBe(true);
    model.dispose();
    ids.dispose();
    y.dispose();
  });
});
