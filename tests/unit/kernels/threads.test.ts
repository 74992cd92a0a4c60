// Large products run on two threads (this one and a worker); a seeded result must not depend on
// the thread count, and here it does not at all: every row is computed by the same code.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../engine/backend';
import { setWasmKernelThreads } from '../../../engine/kernels';
import { fusedGruCalls } from '../../../engine/kernels/wasm/fusedGru';
import { kernelWorkerState, parkKernelThreads, WORKER_SPIN_MS } from '../../../engine/kernels/wasm/threadedGemm';
import { relativeError } from './compareBackends';
import { fusedLstmCalls } from '../../../engine/kernels/wasm/fusedLstm';

async function trainSteps(threads: number): Promise<Float32Array[]> {
  await initBackend({ prefer: 'wasm' });
  expect(setWasmKernelThreads(threads)).toBe(threads);
  const input = tfl.input({ shape: [17, 40] });
  let h = input as tfl.SymbolicTensor;
  for (const strides of [1, 2]) {
    h = tfl.layers
      .conv1d({ filters: 96, kernelSize: 3, strides, activation: 'elu', kernelInitializer: tfl.initializers.glorotUniform({ seed: strides }) })
      .apply(h) as tfl.SymbolicTensor;
  }
  h = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({ units: 5, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 9 }) })
    .apply(h) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: out });
  model.compile({ optimizer: tf.train.adam(1e-2), loss: 'categoricalCrossentropy' });
  const x = tf.randomUniform([64, 17, 40], 0, 1, 'float32', 3);
  const y = tf.oneHot(tf.randomUniform([64], 0, 5, 'int32', 4), 5);
  for (let i = 0; i < 3; i++) await model.trainOnBatch(x, tf.cast(y, 'float32'));
  const weights = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  tf.dispose([x, y]);
  model.dispose();
  return weights;
}

/** A digits LeNet (issue 13's) trained a few seeded steps: every 2D kernel, forward and backward. */
async function trainLeNetSteps(threads: number): Promise<Float32Array[]> {
  await initBackend({ prefer: 'wasm' });
  expect(setWasmKernelThreads(threads)).toBe(threads);
  const init = (seed: number): ReturnType<typeof tfl.initializers.glorotUniform> => tfl.initializers.glorotUniform({ seed });
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu', kernelInitializer: init(2) }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(3) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-2), loss: 'categoricalCrossentropy' });
  const x = tf.randomUniform([64, 28, 28, 1], 0, 1, 'float32', 5);
  const y = tf.oneHot(tf.randomUniform([64], 0, 10, 'int32', 6), 10);
  for (let i = 0; i < 3; i++) await model.trainOnBatch(x, tf.cast(y, 'float32'));
  const weights = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  tf.dispose([x, y]);
  model.dispose();
  return weights;
}

describe('two-thread GEMM', () => {
  it('gives a digits LeNet bit-identical training to one thread (image convolutions forward and both gradients, max pooling gradient)', async () => {
    const one = await trainLeNetSteps(1);
    const two = await trainLeNetSteps(2);
    expect(two.length).toBe(one.length);
    two.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(one[i] as Float32Array)));
  });

  // Each just over the two-thread threshold: the filter gradient's chunks (fixed by the shape)
  // claimed by both threads, the input gradient's and the max pool gradient's whole images, or
  // the input gradient's rows as a forward convolution's.
  it('image conv filter and input gradients and the max pool gradient on two threads equal one thread exactly and the cpu reference', async () => {
    await initBackend({ prefer: 'wasm' });
    const cases: { x: [number, number, number, number]; f: [number, number, number, number]; pad: 'same' | 'valid'; s: number }[] = [
      { x: [24, 28, 28, 1], f: [5, 5, 1, 6], pad: 'same', s: 1 },
      { x: [17, 14, 14, 6], f: [5, 5, 6, 16], pad: 'valid', s: 1 },
      { x: [18, 15, 13, 16], f: [3, 3, 16, 16], pad: 'same', s: 2 },
      // The input gradient as a forward convolution of dy (stride 1, cin 16).
      { x: [16, 14, 14, 16], f: [3, 3, 16, 16], pad: 'same', s: 1 },
    ];
    for (const c of cases) {
      const x = tf.randomNormal(c.x, 0, 1, 'float32', 21) as tf.Tensor4D;
      const w = tf.randomNormal(c.f, 0, 1, 'float32', 22) as tf.Tensor4D;
      const grads = (): Float32Array[] =>
        tf.tidy(() => {
          const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad))))([x, w]);
          return [gx!.dataSync() as Float32Array, gw!.dataSync() as Float32Array];
        });
      setWasmKernelThreads(2);
      const two = grads();
      setWasmKernelThreads(1);
      const one = grads();
      setWasmKernelThreads(2);
      await tf.setBackend('cpu');
      const want = grads();
      await tf.setBackend('wasm');
      two.forEach((g, i) => {
        expect(Array.from(g), `${c.x} ${c.f} gradient ${i}: two threads against one`).toEqual(Array.from(one[i] as Float32Array));
        expect(relativeError(g, want[i] as Float32Array), `${c.x} ${c.f} gradient ${i} against cpu`).toBeLessThan(1e-5);
      });
      tf.dispose([x, w]);
    }
    const px = tf.randomNormal([64, 28, 28, 6], 0, 1, 'float32', 23) as tf.Tensor4D;
    const poolGrad = (): Float32Array =>
      tf.tidy(
        () =>
          tf
            .grad((a: tf.Tensor) => tf.sum(tf.square(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'))))(px)
            .dataSync() as Float32Array,
      );
    setWasmKernelThreads(2);
    const two = poolGrad();
    setWasmKernelThreads(1);
    const one = poolGrad();
    setWasmKernelThreads(2);
    await tf.setBackend('cpu');
    const want = poolGrad();
    await tf.setBackend('wasm');
    expect(Array.from(two)).toEqual(Array.from(one));
    expect(Array.from(two)).toEqual(Array.from(want));
    px.dispose();
  });

  // The LSTM's and GRU's recurrences on both threads by whole batch rows (lstm_forward_rows,
  // gru_forward_rows and their backward): 38 rows in claims of 8 (the last one 6: a 4-row tile
  // and two rows alone), 37 units (the kernels' one-column tails), a mask, the last state and
  // the sequence.
  for (const [kind, returnSequences] of [
    ['LSTM', false],
    ['LSTM', true],
    ['GRU', false],
    ['GRU', true],
  ] as const) {
    it(`a ${kind} (${returnSequences ? 'sequences' : 'last state'}, masked) on both threads equals one thread exactly and the cpu reference`, async () => {
      await initBackend({ prefer: 'wasm' });
      const [n, T, d, u] = [38, 14, 10, 37];
      const x = tf.randomNormal([n, T, d], 0, 1, 'float32', 31);
      const lengths = Array.from({ length: n }, (_, i) => 1 + ((i * 5) % T));
      const mask = tf.tensor2d(
        Array.from({ length: n * T }, (_, i) => (i % T < (lengths[Math.floor(i / T)] as number) ? 1 : 0)),
        [n, T],
        'bool',
      );
      const cfg = { units: u, returnSequences, recurrentActivation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 32 }) } as const;
      const layer = kind === 'LSTM' ? tfl.layers.lstm(cfg) : tfl.layers.gru(cfg);
      const fusedCalls = kind === 'LSTM' ? fusedLstmCalls : fusedGruCalls;
      layer.apply(x);
      const weights = layer.getWeights().map((w) => tf.keep(w.clone()));
      const run = (): Float32Array[] =>
        tf.tidy(() => {
          layer.setWeights(weights);
          const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
          const f = (xx: tf.Tensor): tf.Scalar => {
            const y = layer.apply(xx, { mask }) as tf.Tensor;
            return tf.sum(tf.mul(y, tf.randomNormal(y.shape, 0, 1, 'float32', 33)));
          };
          const y = layer.apply(x, { mask }) as tf.Tensor;
          const { grads } = tf.variableGrads(() => f(x));
          const dx = tf.grad((xx: tf.Tensor) => f(xx))(x);
          return [y, dx, ...vars.map((v) => grads[v.name] as tf.Tensor)].map((t) => t.dataSync().slice() as Float32Array);
        });
      const before = fusedCalls();
      setWasmKernelThreads(2);
      const two = run();
      setWasmKernelThreads(1);
      const one = run();
      setWasmKernelThreads(2);
      expect(fusedCalls()).toBeGreaterThan(before);
      await tf.setBackend('cpu');
      const want = run();
      await tf.setBackend('wasm');
      two.forEach((g, i) => {
        expect(Array.from(g), `output/gradient ${i}: two threads against one`).toEqual(Array.from(one[i] as Float32Array));
        expect(relativeError(g, want[i] as Float32Array), `output/gradient ${i} against cpu`).toBeLessThan(1e-4);
      });
      tf.dispose([x, mask, ...weights]);
      layer.dispose();
    });
  }

  it('parks its worker: asleep at once instead of spinning for the next product, and the next product still runs on both threads', async () => {
    await initBackend({ prefer: 'wasm' });
    // 8M multiply-adds: over the two-thread threshold of a plain product.
    const a = tf.randomNormal([512, 128], 0, 1, 'float32', 5);
    const b = tf.randomNormal([128, 128], 0, 1, 'float32', 6);
    setWasmKernelThreads(1);
    const want = Array.from(tf.tidy(() => tf.matMul(a, b)).dataSync());
    setWasmKernelThreads(2);
    /** Milliseconds from park() until the worker sleeps, right after a product (busy-polled: it is another thread). */
    const parkToSleep = (): number => {
      tf.tidy(() => tf.matMul(a, b));
      // The product woke the worker (it may still be on its way out of Atomics.wait).
      for (const t = performance.now(); kernelWorkerState() !== 'awake' && performance.now() - t < 1000;);
      expect(kernelWorkerState()).toBe('awake');
      const t0 = performance.now();
      parkKernelThreads();
      while (kernelWorkerState() !== 'sleeping' && performance.now() - t0 < 1000);
      return performance.now() - t0;
    };
    // Unparked it would spin for WORKER_SPIN_MS after the product. Other processes on the cores
    // (the other test files) can delay a try by milliseconds, so the best of five counts.
    const best = Math.min(...Array.from({ length: 5 }, parkToSleep));
    expect(best).toBeLessThan(WORKER_SPIN_MS / 2);
    expect(kernelWorkerState()).toBe('sleeping');
    const again = tf.matMul(a, b);
    // That product woke the parked worker as any other does (checked before the slow comparison
    // below, while the worker still spins).
    for (const t = performance.now(); kernelWorkerState() !== 'awake' && performance.now() - t < 1000;);
    expect(kernelWorkerState()).toBe('awake');
    expect(Array.from(again.dataSync())).toEqual(want);
    tf.dispose([a, b, again]);
  });

  it('gives bit-identical training to one thread', async () => {
    const one = await trainSteps(1);
    const two = await trainSteps(2);
    expect(two.length).toBe(one.length);
    two.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(one[i] as Float32Array)));
  });

  // Image convolutions' forward: both threads claim chunks of output rows, each row's windows
  // read from the padded x (conv2d_forward_rows). A 3×3 conv of 64 channels (chunks of 24 rows),
  // and a digits LeNet's first layer (1 channel, 5×5, 'same': 16 chunks of 3,136 rows).
  for (const [xs, ws, seed] of [
    [[8, 6, 7, 64], [3, 3, 64, 64], 11],
    [[64, 28, 28, 1], [5, 5, 1, 6], 13],
  ] as const) {
    it(`a padded ${ws[0]}×${ws[1]} conv of x ${xs} on both threads (rows claimed in chunks) equals one thread exactly and the cpu reference`, async () => {
      await initBackend({ prefer: 'wasm' });
      const x = tf.randomNormal([...xs], 0, 1, 'float32', seed);
      const w = tf.randomNormal([...ws], 0, 1, 'float32', seed + 1);
      setWasmKernelThreads(2);
      const two = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same').dataSync();
      setWasmKernelThreads(1);
      const one = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same').dataSync();
      setWasmKernelThreads(2);
      await tf.setBackend('cpu');
      const want = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same').dataSync();
      await tf.setBackend('wasm');
      expect(Array.from(two)).toEqual(Array.from(one));
      let err = 0;
      for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs((two[i] as number) - (want[i] as number)));
      expect(err).toBeLessThan(1e-3);
    });
  }

  it('a large conv equals the cpu reference on two threads', async () => {
    await initBackend({ prefer: 'wasm' });
    setWasmKernelThreads(2);
    const x = tf.randomNormal([64, 1, 15, 128], 0, 1, 'float32', 5);
    const w = tf.randomNormal([1, 3, 128, 128], 0, 1, 'float32', 6);
    const got = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [1, 2], 'valid').dataSync();
    await tf.setBackend('cpu');
    const want = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [1, 2], 'valid').dataSync();
    await tf.setBackend('wasm');
    let err = 0;
    for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs((got[i] as number) - (want[i] as number)));
    expect(err).toBeLessThan(1e-3);
  });

  // Each product just over the two-thread threshold (2M multiply-adds): the cpu reference is slow.
  for (const [batch, cin, cout, stride, width] of [
    [32, 32, 96, 2, 3],
    [32, 32, 100, 2, 3],
    [16, 32, 128, 1, 3],
    [32, 64, 128, 1, 1],
  ] as const) {
    it(`large conv gradients (${cout} filters of width ${width}, stride ${stride}) equal the cpu reference on two threads`, async () => {
      await initBackend({ prefer: 'wasm' });
      setWasmKernelThreads(2);
      const x = tf.randomNormal([batch, 1, 15, cin], 0, 1, 'float32', 7);
      const w = tf.randomNormal([1, width, cin, cout], 0, 1, 'float32', 8);
      const grads = (): Float32Array[] =>
        tf.tidy(() => {
          const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, [1, stride], 'same'))))([
            x,
            w,
          ]);
          return [gx!.dataSync() as Float32Array, gw!.dataSync() as Float32Array];
        });
      const got = grads();
      await tf.setBackend('cpu');
      const want = grads();
      await tf.setBackend('wasm');
      got.forEach((g, i) => {
        const ref = want[i] as Float32Array;
        let err = 0;
        let scale = 0;
        for (let j = 0; j < ref.length; j++) {
          err = Math.max(err, Math.abs((g[j] as number) - (ref[j] as number)));
          scale = Math.max(scale, Math.abs(ref[j] as number));
        }
        expect(err / scale).toBeLessThan(1e-5);
      });
    });
  }
});
