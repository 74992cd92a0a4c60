// Each kernel we register is checked against tfjs's reference (cpu backend) on the same inputs,
// and the backend picked by initBackend trains the surname CNN.
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../engine/backend';
import { registerTrainingKernels } from '../../../engine/kernels';
import { fusedConvBiasCalls } from '../../../engine/kernels/wasm/fusedConvBias';
import { fusedActivationCalls } from '../../../engine/kernels/wasm/fusedActivation';
import { fusedDenseCalls } from '../../../engine/kernels/wasm/fusedDense';
import { fusedGlobalAvgPoolCalls } from '../../../engine/kernels/wasm/fusedGlobalAvgPool';
import { fusedGlobalMaxPoolCalls } from '../../../engine/kernels/wasm/fusedGlobalMaxPool';
import { fusedMaxPoolCalls } from '../../../engine/kernels/wasm/fusedMaxPool';
import { seededValues, sizeOf } from './seededValues';

function rand(shape: number[], seed: number): Float32Array {
  return seededValues(sizeOf(shape), seed, (u) => u - 0.5);
}

/** Runs `f` on wasm and on cpu with the same inputs; returns both results as arrays. */
async function both(f: () => tf.Tensor): Promise<{ wasm: Float32Array; cpu: Float32Array; shape: number[] }> {
  await tf.setBackend('wasm');
  const w = tf.tidy(f);
  const wasm = (await w.data()) as Float32Array;
  const shape = w.shape;
  w.dispose();
  await tf.setBackend('cpu');
  const c = tf.tidy(f);
  const cpu = (await c.data()) as Float32Array;
  expect(c.shape).toEqual(shape);
  c.dispose();
  await tf.setBackend('wasm');
  return { wasm, cpu, shape };
}

function maxRelErr(a: Float32Array, b: Float32Array): number {
  let scale = 1e-6;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m / scale;
}

/** A layer's output on x and the gradient of Σ y·linspace(−1, 1) in x, flattened into one tensor. */
function outputAndInputGradient(layer: tfl.layers.Layer, xv: Float32Array, shape: number[]): tf.Tensor {
  const x = tf.tensor(xv, shape);
  const y = layer.apply(x) as tf.Tensor;
  const g = tf.grad((xx: tf.Tensor) => {
    const yy = layer.apply(xx) as tf.Tensor;
    return tf.sum(tf.mul(yy, tf.reshape(tf.linspace(-1, 1, yy.size), yy.shape)));
  })(x);
  return tf.concat([tf.reshape(y, [-1]), tf.reshape(g, [-1])]);
}

beforeAll(async () => {
  const info = await initBackend({ prefer: 'wasm' });
  expect(info.name).toBe('wasm');
});

/** Shapes both conv gradients are checked on: Conv1D-like rows, strides, 'same' padding, 1×1. */
const CONV_GRADIENT_CASES: { x: number[]; f: number[]; s: [number, number]; pad: 'same' | 'valid' }[] = [
  { x: [3, 1, 17, 7], f: [1, 3, 7, 5], s: [1, 1], pad: 'valid' },
  { x: [2, 1, 15, 6], f: [1, 3, 6, 4], s: [1, 2], pad: 'valid' },
  { x: [2, 1, 16, 6], f: [1, 3, 6, 4], s: [1, 2], pad: 'same' },
  { x: [2, 7, 6, 3], f: [3, 2, 3, 4], s: [2, 1], pad: 'same' },
  { x: [1, 5, 5, 2], f: [1, 1, 2, 3], s: [1, 1], pad: 'valid' },
];

describe('Conv2DBackpropFilter on wasm', () => {
  for (const c of CONV_GRADIENT_CASES) {
    it(`x ${c.x} filter ${c.f} strides ${c.s} ${c.pad}`, async () => {
      const xv = rand(c.x, 1);
      const fv = rand(c.f, 2);
      const r = await both(() => {
        const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
        const filt = tf.tensor4d(fv, c.f as [number, number, number, number]);
        const g = tf.grad((w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, w as tf.Tensor4D, c.s, c.pad))));
        return g(filt);
      });
      expect(r.shape).toEqual(c.f);
      expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-5);
    });
  }
});

/**
 * Image convolutions (height and kernel height above 1): the forward and the filter gradient read
 * each window from x, zero-padded, through a pointer (conv2d.c's implicit kernels), the filter
 * gradient summed in chunks of about 1,024 positions; the input gradient is col2im'd per image.
 * cout 6, 3, 7, 12, 14 (padded to 8-wide tiles) and 8, 16 (whole); window rows of 5 taps (four
 * plus one left over: five rows' leftovers go four at a time, then one), of 30 (two left over),
 * of 96 and 4 (none); a first layer of 1 channel and one of 32; batch 1; 'same' windows cut by
 * every edge, an even kernel's uneven 'same' padding, strides 2 and 3; P = 3,136 in 4 chunks and
 * 1,311 in a whole and a part chunk; a valid convolution whose windows miss x's last row and
 * column (read from x as it lies, no copy).
 */
const IMAGE_CASES: { x: number[]; f: number[]; s: [number, number]; pad: 'same' | 'valid' }[] = [
  { x: [4, 28, 28, 1], f: [5, 5, 1, 6], s: [1, 1], pad: 'same' },
  { x: [3, 14, 14, 6], f: [5, 5, 6, 16], s: [1, 1], pad: 'valid' },
  { x: [2, 9, 11, 5], f: [3, 3, 5, 12], s: [2, 2], pad: 'same' },
  { x: [2, 8, 7, 2], f: [2, 3, 2, 3], s: [1, 2], pad: 'valid' },
  { x: [1, 6, 6, 9], f: [3, 3, 9, 7], s: [1, 1], pad: 'same' },
  { x: [2, 6, 5, 1], f: [2, 3, 1, 14], s: [1, 1], pad: 'valid' },
  { x: [1, 7, 9, 32], f: [3, 3, 32, 8], s: [2, 2], pad: 'valid' },
  { x: [1, 5, 5, 1], f: [5, 5, 1, 1], s: [1, 1], pad: 'same' },
  { x: [2, 10, 3, 3], f: [4, 2, 3, 5], s: [3, 1], pad: 'same' },
  { x: [3, 23, 19, 2], f: [3, 3, 2, 5], s: [1, 1], pad: 'same' },
  { x: [2, 8, 8, 4], f: [3, 3, 4, 16], s: [2, 2], pad: 'valid' },
  // Stride 1 with cin a multiple of 8: the input gradient as the forward convolution of dy with
  // the filter turned half a turn, for an odd kernel and for an even one's uneven 'same' padding;
  // a 'valid' one, where that would multiply more, stays on the dcols path.
  { x: [2, 9, 7, 16], f: [3, 3, 16, 8], s: [1, 1], pad: 'same' },
  { x: [2, 7, 6, 16], f: [4, 4, 16, 16], s: [1, 1], pad: 'same' },
  { x: [1, 6, 5, 8], f: [3, 2, 8, 24], s: [1, 1], pad: 'valid' },
];

describe('image convolutions on wasm (blocked filter gradient, whole-row im2col and col2im)', () => {
  for (const c of IMAGE_CASES) {
    it(`x ${c.x} filter ${c.f} strides ${c.s} ${c.pad}: forward, filter and input gradients`, async () => {
      const xv = rand(c.x, 71);
      const fv = rand(c.f, 72);
      const x4 = c.x as [number, number, number, number];
      const f4 = c.f as [number, number, number, number];
      const loss = (xx: tf.Tensor, w: tf.Tensor): tf.Scalar => tf.sum(tf.square(tf.conv2d(xx as tf.Tensor4D, w as tf.Tensor4D, c.s, c.pad)));
      const fwd = await both(() => tf.conv2d(tf.tensor4d(xv, x4), tf.tensor4d(fv, f4), c.s, c.pad));
      expect(maxRelErr(fwd.wasm, fwd.cpu)).toBeLessThan(1e-5);
      const dw = await both(() => tf.grad((w: tf.Tensor) => loss(tf.tensor4d(xv, x4), w))(tf.tensor4d(fv, f4)));
      expect(dw.shape).toEqual(c.f);
      expect(maxRelErr(dw.wasm, dw.cpu)).toBeLessThan(1e-5);
      const dx = await both(() => tf.grad((xx: tf.Tensor) => loss(xx, tf.tensor4d(fv, f4)))(tf.tensor4d(xv, x4)));
      expect(dx.shape).toEqual(c.x);
      expect(maxRelErr(dx.wasm, dx.cpu)).toBeLessThan(1e-5);
    });
  }
});

describe('Conv2D forward on wasm (im2col + our GEMM)', () => {
  const cases: { x: number[]; f: number[]; s: [number, number]; pad: 'same' | 'valid'; d?: [number, number] }[] = [
    { x: [3, 1, 17, 7], f: [1, 3, 7, 5], s: [1, 1], pad: 'valid' },
    { x: [2, 1, 16, 6], f: [1, 3, 6, 9], s: [1, 2], pad: 'same' },
    { x: [2, 7, 6, 3], f: [3, 2, 3, 4], s: [2, 1], pad: 'same' },
    { x: [5, 4, 3, 8], f: [1, 1, 8, 12], s: [1, 1], pad: 'valid' },
    { x: [2, 1, 12, 3], f: [1, 3, 3, 4], s: [1, 1], pad: 'valid', d: [1, 2] },
  ];
  for (const c of cases) {
    it(`x ${c.x} filter ${c.f} strides ${c.s} ${c.pad}${c.d ? ' dilated' : ''}`, async () => {
      const xv = rand(c.x, 51);
      const fv = rand(c.f, 52);
      const r = await both(() =>
        tf.conv2d(
          tf.tensor4d(xv, c.x as [number, number, number, number]),
          tf.tensor4d(fv, c.f as [number, number, number, number]),
          c.s,
          c.pad,
          'NHWC',
          c.d ?? 1,
        ),
      );
      expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-5);
    });
  }
});

/** One nonzero per pixel (one-hot characters, here with arbitrary values), some pixels empty. */
function oneHot(shape: number[], seed: number): Float32Array {
  const cin = shape[3] as number;
  const vals = rand(shape, seed);
  const out = new Float32Array(vals.length);
  for (let p = 0; p < vals.length / cin; p++) {
    const v = vals[p * cin] as number;
    if (p % 5 === 4) continue;
    out[p * cin + Math.floor((v + 0.5) * cin)] = p % 3 === 0 ? 1 : v * 4;
  }
  return out;
}

describe('convolutions of a sparse (one-hot) input on wasm: sums over its nonzeros only', () => {
  type Shape4 = [number, number, number, number];
  const cases: { x: Shape4; f: Shape4; s: [number, number]; pad: 'same' | 'valid' }[] = [
    { x: [4, 1, 17, 77], f: [1, 3, 77, 16], s: [1, 1], pad: 'valid' },
    { x: [3, 1, 12, 13], f: [1, 3, 13, 6], s: [1, 2], pad: 'same' },
    { x: [2, 6, 5, 9], f: [3, 2, 9, 5], s: [2, 1], pad: 'same' },
  ];
  for (const c of cases) {
    it(`x ${c.x} filter ${c.f} strides ${c.s} ${c.pad}: forward and filter gradient`, async () => {
      const xv = oneHot(c.x, 61);
      const fv = rand(c.f, 62);
      const dyShape = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.f) as tf.Tensor4D, c.s, c.pad).shape);
      const dyv = rand(dyShape, 63);
      const fwd = await both(() =>
        tf.conv2d(tf.tensor4d(xv, c.x as [number, number, number, number]), tf.tensor4d(fv, c.f as [number, number, number, number]), c.s, c.pad),
      );
      expect(maxRelErr(fwd.wasm, fwd.cpu)).toBeLessThan(1e-6);
      const dw = await both(() => {
        const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
        const dy = tf.tensor(dyv, dyShape);
        return tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, c.s, c.pad), dy)))(
          tf.tensor4d(fv, c.f as [number, number, number, number]),
        );
      });
      expect(dw.shape).toEqual(c.f);
      expect(maxRelErr(dw.wasm, dw.cpu)).toBeLessThan(1e-6);
    });
  }
});

describe("Conv2DBackpropInput on wasm (ours replaces tfjs's direct loop)", () => {
  for (const c of CONV_GRADIENT_CASES) {
    it(`x ${c.x} filter ${c.f} strides ${c.s} ${c.pad}`, async () => {
      const xv = rand(c.x, 5);
      const fv = rand(c.f, 6);
      const r = await both(() => {
        const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
        const filt = tf.tensor4d(fv, c.f as [number, number, number, number]);
        const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.square(tf.conv2d(xx as tf.Tensor4D, filt, c.s, c.pad))));
        return g(x);
      });
      expect(r.shape).toEqual(c.x);
      expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-5);
    });
  }
});

describe('GatherV2 on wasm (embedding lookup)', () => {
  it('matches cpu, and falls back to tfjs for another axis', async () => {
    const tv = rand([9, 5], 7);
    const ids = [8, 0, 3, 3, 1, 7];
    const r = await both(() => tf.gather(tf.tensor2d(tv, [9, 5]), tf.tensor2d(ids, [2, 3], 'int32')));
    expect(r.shape).toEqual([2, 3, 5]);
    expect(maxRelErr(r.wasm, r.cpu)).toBe(0);
    const r1 = await both(() => tf.gather(tf.tensor2d(tv, [9, 5]), tf.tensor1d([4, 0, 2], 'int32'), 1));
    expect(r1.shape).toEqual([9, 3]);
    expect(maxRelErr(r1.wasm, r1.cpu)).toBe(0);
  });
});

describe("Sum on wasm over leading axes (bias gradients; ours), other reductions tfjs's", () => {
  const cases: { shape: number[]; axis: number | number[] | null; keepDims: boolean }[] = [
    { shape: [6, 17, 13], axis: [0, 1], keepDims: false },
    { shape: [6, 17, 13], axis: [1, 0], keepDims: true },
    { shape: [9, 7], axis: 0, keepDims: false },
    { shape: [9, 7], axis: -1, keepDims: false },
    { shape: [4, 5, 6], axis: [0, 2], keepDims: true },
    { shape: [4, 5], axis: null, keepDims: false },
  ];
  for (const c of cases) {
    it(`${c.shape} over ${JSON.stringify(c.axis)}${c.keepDims ? ' keepDims' : ''}`, async () => {
      const xv = rand(c.shape, 71);
      const r = await both(() => tf.sum(tf.tensor(xv, c.shape), c.axis ?? undefined, c.keepDims));
      expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-6);
    });
  }
});

describe('Conv1D bias + activation fused on wasm (ours), against tfjs-layers on cpu', () => {
  for (const activation of ['linear', 'relu', 'elu'] as const) {
    for (const padding of ['valid', 'same'] as const) {
      it(`${activation}, ${padding}: output and gradients of input, kernel and bias`, async () => {
        const xv = rand([3, 9, 5], 101);
        const layer = tfl.layers.conv1d({
          filters: 6,
          kernelSize: 3,
          strides: 2,
          padding,
          activation,
          kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
          biasInitializer: tfl.initializers.randomNormal({ seed: 2 }),
        });
        layer.build([null, 9, 5]);
        const before = fusedConvBiasCalls();
        const r = await both(() => {
          const x = tf.tensor3d(xv, [3, 9, 5]);
          const [kernel, bias] = layer.getWeights() as [tf.Tensor, tf.Tensor];
          const f = (xx: tf.Tensor, k: tf.Tensor, b: tf.Tensor): tf.Tensor => {
            layer.setWeights([k, b]);
            const y = layer.apply(xx) as tf.Tensor;
            return tf.sum(tf.mul(y, tf.reshape(tf.linspace(-1, 1, y.size), y.shape)));
          };
          const { value, grads } = tf.valueAndGrads(f)([x, kernel, bias]);
          return tf.concat([tf.reshape(value, [1]), ...grads.map((g) => tf.reshape(g, [-1]))]);
        });
        expect(fusedConvBiasCalls()).toBeGreaterThan(before);
        expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-5);
      });
    }
  }
});

describe('a dilated Conv1D on wasm (tfjs convolution ops around our bias pass), against tfjs-layers on cpu', () => {
  it('relu, dilation 2: the output', async () => {
    const xv = rand([3, 11, 5], 131);
    const layer = tfl.layers.conv1d({
      filters: 6,
      kernelSize: 3,
      dilationRate: 2,
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 7 }),
      biasInitializer: tfl.initializers.randomNormal({ seed: 8 }),
    });
    layer.build([null, 11, 5]);
    const before = fusedConvBiasCalls();
    const r = await both(() => layer.apply(tf.tensor3d(xv, [3, 11, 5])) as tf.Tensor);
    expect(fusedConvBiasCalls()).toBeGreaterThan(before);
    expect(r.shape).toEqual([3, 7, 6]);
    expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-5);
  });
});

describe('Conv2D bias + activation fused on wasm (ours), against tfjs-layers on cpu', () => {
  for (const activation of ['linear', 'relu', 'elu'] as const) {
    // 5 and 7 filters: our bias pass takes 4 rows a group as whole vectors; 15 rows leave 3 after
    // the groups. 6 filters: 2 rows a group (a LeNet's first layer), 9 rows leave one.
    for (const [padding, strides, kernelSize, filters, shape] of [
      ['same', 1, 3, 5, [2, 7, 6, 3]],
      ['valid', 2, 3, 5, [2, 7, 6, 3]],
      ['valid', 1, 1, 5, [2, 7, 6, 3]],
      ['same', 1, 3, 7, [1, 5, 3, 3]],
      ['same', 1, 5, 6, [1, 3, 3, 1]],
    ] as const) {
      it(`${activation}, ${padding}, strides ${strides}, kernel ${kernelSize}, ${filters} filters, x ${shape}: output and gradients of input, kernel and bias`, async () => {
        const xv = rand([...shape], 111);
        const layer = tfl.layers.conv2d({
          filters,
          kernelSize,
          strides,
          padding,
          activation,
          kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }),
          biasInitializer: tfl.initializers.randomNormal({ seed: 4 }),
        });
        layer.build([null, shape[1], shape[2], shape[3]]);
        const before = fusedConvBiasCalls();
        const r = await both(() => {
          const x = tf.tensor4d(xv, [...shape]);
          const [kernel, bias] = layer.getWeights() as [tf.Tensor, tf.Tensor];
          const f = (xx: tf.Tensor, k: tf.Tensor, b: tf.Tensor): tf.Tensor => {
            layer.setWeights([k, b]);
            const y = layer.apply(xx) as tf.Tensor;
            return tf.sum(tf.mul(y, tf.reshape(tf.linspace(-1, 1, y.size), y.shape)));
          };
          const { value, grads } = tf.valueAndGrads(f)([x, kernel, bias]);
          return tf.concat([tf.reshape(value, [1]), ...grads.map((g) => tf.reshape(g, [-1]))]);
        });
        expect(fusedConvBiasCalls()).toBeGreaterThan(before);
        expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-5);
      });
    }
  }
});

describe('Dense fused on wasm (ours: product, bias and activation one op each way), against tfjs-layers on cpu', () => {
  for (const activation of ['linear', 'relu', 'elu'] as const) {
    // 9 units: the bias pass's groups of rows as whole vectors with a remainder; 120 of 400
    // inputs: a LeNet's first Dense layer (one thread); 700 inputs: the product on two threads.
    for (const [rows, inputs, units] of [
      [5, 7, 9],
      [64, 400, 120],
      [64, 700, 120],
    ] as const) {
      it(`${activation}, x [${rows}, ${inputs}] → ${units} units: output and gradients of input, kernel and bias`, async () => {
        const xv = rand([rows, inputs], 121);
        const layer = tfl.layers.dense({
          units,
          activation,
          kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }),
          biasInitializer: tfl.initializers.randomNormal({ seed: 6 }),
        });
        layer.build([null, inputs]);
        const before = fusedDenseCalls();
        const r = await both(() => {
          const x = tf.tensor2d(xv, [rows, inputs]);
          const [kernel, bias] = layer.getWeights() as [tf.Tensor, tf.Tensor];
          const f = (xx: tf.Tensor, k: tf.Tensor, b: tf.Tensor): tf.Tensor => {
            layer.setWeights([k, b]);
            const y = layer.apply(xx) as tf.Tensor;
            return tf.sum(tf.mul(y, tf.reshape(tf.linspace(-1, 1, y.size), y.shape)));
          };
          // The output itself, not the probe's sum: a sum of 7,680 signed terms differs between
          // the backends' Sum kernels by more than the tolerance at the largest size.
          const y = layer.apply(x) as tf.Tensor;
          const grads = tf.grads(f)([x, kernel, bias]);
          return tf.concat([tf.reshape(y, [-1]), ...grads.map((g) => tf.reshape(g, [-1]))]);
        });
        expect(fusedDenseCalls()).toBeGreaterThan(before);
        expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-5);
      });
    }
  }

  it('leaves a Dense layer without a bias, with another activation or on a sequence to tfjs-layers', async () => {
    await tf.setBackend('wasm');
    const before = fusedDenseCalls();
    tf.tidy(() => {
      const x = tf.tensor2d(rand([4, 6], 122), [4, 6]);
      const seq = tf.tensor3d(rand([2, 3, 6], 123), [2, 3, 6]);
      const noBias = tfl.layers.dense({ units: 3, useBias: false }).apply(x) as tf.Tensor;
      const tanh = tfl.layers.dense({ units: 3, activation: 'tanh' }).apply(x) as tf.Tensor;
      const onSeq = tfl.layers.dense({ units: 3 }).apply(seq) as tf.Tensor;
      expect([noBias.shape, tanh.shape, onSeq.shape]).toEqual([
        [4, 3],
        [4, 3],
        [2, 3, 3],
      ]);
    });
    expect(fusedDenseCalls()).toBe(before);
  });
});

describe('Activation relu / elu fused on wasm (ours: one op each way), against tfjs-layers on cpu', () => {
  for (const activation of ['relu', 'elu'] as const) {
    // 7 values: all scalar tail; a residual CNN's [n, 14, 14, 16]; a sequence's odd size.
    for (const shape of [[7], [4, 14, 14, 16], [3, 5, 9]]) {
      it(`${activation} on [${shape}]: output and input gradient, zeros included`, async () => {
        const xv = rand(shape, 131);
        for (let i = 0; i < xv.length; i += 5) xv[i] = 0;
        const layer = tfl.layers.activation({ activation });
        const before = fusedActivationCalls();
        const r = await both(() => outputAndInputGradient(layer, xv, shape));
        expect(fusedActivationCalls()).toBeGreaterThan(before);
        expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-6);
      });
    }
  }

  it('keeps a NaN a NaN, forward and backward, as tfjs does', async () => {
    for (const activation of ['relu', 'elu'] as const) {
      const layer = tfl.layers.activation({ activation });
      const r = await both(() => {
        const x = tf.tensor([1, Number.NaN, -2, 0.5, -0.5, Number.NaN, 3, 0, 2]);
        const g = tf.grad((xx: tf.Tensor) => tf.sum(layer.apply(xx) as tf.Tensor))(x);
        return tf.concat([layer.apply(x) as tf.Tensor, g]);
      });
      expect(Array.from(r.wasm, (v) => Number.isNaN(v))).toEqual(Array.from(r.cpu, (v) => Number.isNaN(v)));
      expect(Array.from(r.wasm).filter((v) => !Number.isNaN(v))).toEqual(Array.from(r.cpu).filter((v) => !Number.isNaN(v)));
    }
  });

  it('leaves other activations and int inputs to tfjs-layers', async () => {
    await tf.setBackend('wasm');
    const before = fusedActivationCalls();
    tf.tidy(() => {
      const t = tfl.layers.activation({ activation: 'tanh' }).apply(tf.tensor([0.5, -1])) as tf.Tensor;
      const i = tfl.layers.activation({ activation: 'relu' }).apply(tf.tensor([1, -2], [2], 'int32')) as tf.Tensor;
      expect(Array.from(i.dataSync())).toEqual([1, 0]);
      expect(t.shape).toEqual([2]);
    });
    expect(fusedActivationCalls()).toBe(before);
  });
});

describe("Max on wasm over middle axes (GlobalMaxPool; ours), other reductions tfjs's", () => {
  const cases: { shape: number[]; axis: number | number[]; keepDims: boolean }[] = [
    { shape: [6, 17, 13], axis: 1, keepDims: false },
    { shape: [6, 17, 13], axis: [0, 1], keepDims: true },
    { shape: [3, 4, 5, 8], axis: [1, 2], keepDims: false },
    { shape: [9, 7], axis: -1, keepDims: true },
    { shape: [4, 5, 6], axis: [0, 2], keepDims: false },
  ];
  for (const c of cases) {
    it(`${c.shape} over ${JSON.stringify(c.axis)}${c.keepDims ? ' keepDims' : ''}`, async () => {
      const xv = rand(c.shape, 91);
      xv[5] = Number.NaN;
      const r = await both(() => tf.max(tf.tensor(xv, c.shape), c.axis, c.keepDims));
      expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
    });
  }
});

describe('GlobalMaxPooling1D fused on wasm (ours), against tfjs-layers on cpu', () => {
  for (const [shape, nan] of [
    [[5, 7, 13], false],
    [[3, 17, 16], true],
  ] as const) {
    it(`${shape}${nan ? ' with a NaN' : ''}: output and input gradient, ties included`, async () => {
      // Values from a small set so that tied maxima occur (each gets the whole gradient).
      const xv = Array.from(rand([...shape], 111), (v) => Math.round(v * 6));
      if (nan) xv[20] = Number.NaN;
      const layer = tfl.layers.globalMaxPooling1d({});
      const before = fusedGlobalMaxPoolCalls();
      const r = await both(() => {
        const f = (x: tf.Tensor): tf.Tensor => {
          const y = layer.apply(x) as tf.Tensor;
          return tf.sum(tf.mul(y, tf.tensor(rand(y.shape, 112), y.shape)));
        };
        const x = tf.tensor3d(xv, [...shape]);
        // (The loss itself is left out: the backends sum it in different orders.)
        return tf.concat([tf.reshape(layer.apply(x) as tf.Tensor, [-1]), tf.reshape(tf.grad(f)(x), [-1])]);
      });
      expect(fusedGlobalMaxPoolCalls()).toBeGreaterThan(before);
      expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
      const grad = Array.from(r.cpu).slice(-xv.length);
      expect(grad.filter((g) => g !== 0).length).toBeGreaterThan(shape[0] * shape[2]);
    });
  }
});

describe('GlobalAveragePooling1D / 2D fused on wasm (ours), against tfjs-layers on cpu', () => {
  const cases: { shape: number[]; make: () => tfl.layers.Layer }[] = [
    { shape: [3, 7, 5], make: () => tfl.layers.globalAveragePooling1d({}) },
    { shape: [4, 7, 7, 32], make: () => tfl.layers.globalAveragePooling2d({}) },
    { shape: [2, 3, 5, 6], make: () => tfl.layers.globalAveragePooling2d({}) },
  ];
  for (const c of cases) {
    it(`${c.shape}: output and input gradient`, async () => {
      const xv = rand(c.shape, 141);
      const layer = c.make();
      const before = fusedGlobalAvgPoolCalls();
      const r = await both(() => outputAndInputGradient(layer, xv, c.shape));
      expect(fusedGlobalAvgPoolCalls()).toBeGreaterThan(before);
      expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-6);
    });
  }

  it('leaves channels-first pooling to tfjs-layers', async () => {
    await tf.setBackend('wasm');
    const before = fusedGlobalAvgPoolCalls();
    const y = tf.tidy(() => tfl.layers.globalAveragePooling2d({ dataFormat: 'channelsFirst' }).apply(tf.ones([2, 3, 4, 5])) as tf.Tensor);
    expect(y.shape).toEqual([2, 3]);
    y.dispose();
    expect(fusedGlobalAvgPoolCalls()).toBe(before);
  });
});

describe('MaxPooling2D / 1D fused on wasm (ours: the winners kept for the gradient), against tfjs-layers on cpu', () => {
  const cases: { shape: number[]; make: () => tfl.layers.Layer; ties?: boolean }[] = [
    // 2×2 windows that tile the image (the digits CNNs), 6 and 16 channels; the second on both threads.
    { shape: [3, 8, 8, 6], make: () => tfl.layers.maxPooling2d({ poolSize: 2 }) },
    { shape: [64, 28, 28, 16], make: () => tfl.layers.maxPooling2d({ poolSize: 2 }) },
    // Odd sizes, overlapping 3×3 windows with 'same' padding, ties, and one channel.
    { shape: [2, 7, 9, 5], make: () => tfl.layers.maxPooling2d({ poolSize: 2 }) },
    { shape: [2, 7, 6, 3], make: () => tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), ties: true },
    { shape: [2, 5, 5, 1], make: () => tfl.layers.maxPooling2d({ poolSize: [2, 3], strides: 1 }) },
    { shape: [2, 4, 6, 3], make: () => tfl.layers.maxPooling2d({ poolSize: 2 }), ties: true },
    { shape: [3, 11, 7], make: () => tfl.layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' }) },
  ];
  for (const c of cases) {
    it(`${c.shape}${c.ties ? ' with ties' : ''}: output and input gradient`, async () => {
      const xv = rand(c.shape, 151);
      if (c.ties) for (let i = 0; i < xv.length; i++) xv[i] = Math.round((xv[i] as number) * 4) / 4;
      const layer = c.make();
      const before = fusedMaxPoolCalls();
      const r = await both(() => outputAndInputGradient(layer, xv, c.shape));
      expect(fusedMaxPoolCalls()).toBeGreaterThan(before);
      expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-6);
    });
  }

  it('leaves channels-first pooling to tfjs-layers', async () => {
    await tf.setBackend('wasm');
    const before = fusedMaxPoolCalls();
    const y = tf.tidy(() => tfl.layers.maxPooling2d({ poolSize: 2, dataFormat: 'channelsFirst' }).apply(tf.ones([1, 2, 4, 4])) as tf.Tensor);
    expect(y.shape).toEqual([1, 2, 2, 2]);
    y.dispose();
    expect(fusedMaxPoolCalls()).toBe(before);
  });
});

describe('Equal on wasm with one side broadcast (max-pool gradients; ours)', () => {
  const cases: { a: number[]; axis: number[] }[] = [
    { a: [4, 5, 6], axis: [1] },
    { a: [4, 5, 6], axis: [0, 2] },
    { a: [3, 7], axis: [1] },
    { a: [3, 7], axis: [0] },
  ];
  for (const c of cases) {
    it(`${c.a} against its max over ${c.axis}, both ways round`, async () => {
      const av = rand(c.a, 81).map((v) => Math.round(v * 8));
      const r = await both(() => {
        const a = tf.tensor(av, c.a);
        const m = tf.max(a, c.axis, true);
        return tf.concat([tf.reshape(tf.cast(tf.equal(a, m), 'float32'), [-1]), tf.reshape(tf.cast(tf.equal(m, a), 'float32'), [-1])]);
      });
      expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
      expect(r.cpu.some((v) => v === 1)).toBe(true);
    });
  }
});

describe('BatchMatMul / _FusedMatMul on wasm (ours; transposed operands transposed first)', () => {
  const shapes: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
    { a: [5, 7], b: [7, 9], ta: false, tb: false },
    { a: [64, 300], b: [300, 26], ta: false, tb: false }, // a Dense layer's forward, one thread
    { a: [64, 700], b: [700, 120], ta: false, tb: false }, // large enough for two threads
    { a: [2, 6, 5], b: [2, 5, 4], ta: false, tb: false }, // batched: tfjs's own kernel
    { a: [5, 7], b: [9, 7], ta: false, tb: true },
    { a: [7, 5], b: [7, 9], ta: true, tb: false },
    { a: [7, 5], b: [9, 7], ta: true, tb: true },
    { a: [3, 6, 5], b: [3, 4, 5], ta: false, tb: true },
    { a: [3, 5, 6], b: [1, 5, 4], ta: true, tb: false },
    // Past the transpose's 32×32 tiles and 4×4 SIMD blocks, with ragged edges.
    { a: [37, 70], b: [45, 70], ta: false, tb: true },
    { a: [70, 37], b: [70, 45], ta: true, tb: false },
  ];
  for (const c of shapes) {
    it(`a ${c.a}${c.ta ? 'ᵀ' : ''} · b ${c.b}${c.tb ? 'ᵀ' : ''}`, async () => {
      const av = rand(c.a, 11);
      const bv = rand(c.b, 12);
      const r = await both(() => tf.matMul(tf.tensor(av, c.a), tf.tensor(bv, c.b), c.ta, c.tb));
      expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-5);
    });
  }
  for (const activation of ['linear', 'relu', 'elu', 'sigmoid', undefined] as const) {
    for (const withBias of [true, false]) {
      it(`fused with ${withBias ? 'a bias' : 'no bias'} and ${activation ?? 'no'} activation, and its gradients`, async () => {
        const av = rand([70, 5], 13);
        const bv = rand([9, 5], 14);
        const biasv = rand([9], 15);
        const r = await both(() => {
          const a = tf.tensor2d(av, [70, 5]);
          const b = tf.tensor2d(bv, [9, 5]);
          const bias = withBias ? tf.tensor1d(biasv) : undefined;
          const fused = (x: tf.Tensor, w: tf.Tensor) =>
            tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, transposeB: true, ...(bias ? { bias } : {}), ...(activation ? { activation } : {}) });
          const [ga, gb] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(fused(x, w))))([a, b]);
          const untransposed = tf.fused.matMul({ a, b: tf.transpose(b) as tf.Tensor2D, ...(bias ? { bias } : {}), ...(activation ? { activation } : {}) });
          return tf.concat([
            tf.reshape(ga as tf.Tensor, [-1]),
            tf.reshape(gb as tf.Tensor, [-1]),
            tf.reshape(fused(a, b), [-1]),
            tf.reshape(untransposed, [-1]),
          ]);
        });
        expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-5);
      });
    }
  }
});

describe('pooling gradients on wasm', () => {
  const cases: { x: number[]; f: [number, number]; s: [number, number]; pad: 'same' | 'valid' }[] = [
    { x: [1, 1, 4, 1], f: [1, 2], s: [1, 2], pad: 'valid' },
    { x: [2, 1, 6, 3], f: [1, 2], s: [1, 2], pad: 'valid' },
    { x: [2, 4, 5, 3], f: [2, 2], s: [2, 2], pad: 'valid' },
    { x: [1, 1, 7, 2], f: [1, 3], s: [1, 2], pad: 'same' },
    { x: [2, 5, 5, 2], f: [3, 3], s: [1, 1], pad: 'same' },
    // Four channels at a time in our MaxPoolGrad; a part group at the end (6 = 4 + 2, 7 = 4 + 3,
    // 5 = 4 + 1) searched as the four channels ending there, only its new ones added; overlapping
    // windows cut by 'same' padding, and 16 channels of a digits CNN.
    { x: [2, 5, 6, 4], f: [2, 2], s: [2, 2], pad: 'valid' },
    { x: [2, 5, 5, 6], f: [3, 3], s: [1, 1], pad: 'same' },
    { x: [2, 6, 5, 7], f: [2, 3], s: [2, 1], pad: 'same' },
    { x: [1, 4, 4, 5], f: [2, 2], s: [2, 2], pad: 'valid' },
    { x: [1, 7, 7, 16], f: [2, 2], s: [2, 2], pad: 'same' },
    // Windows that tile the image exactly (each writes its taps' dx outright): a LeNet's 6
    // channels (the part group rewrites channels 2 and 3), 4, and 16 channels in 3×3 windows.
    { x: [2, 6, 4, 6], f: [2, 2], s: [2, 2], pad: 'valid' },
    { x: [2, 4, 6, 4], f: [2, 2], s: [2, 2], pad: 'valid' },
    { x: [1, 6, 6, 16], f: [3, 3], s: [3, 3], pad: 'valid' },
  ];
  for (const c of cases) {
    for (const kind of ['max', 'avg'] as const) {
      it(`${kind} pool x ${c.x} window ${c.f} strides ${c.s} ${c.pad}`, async () => {
        const xv = rand(c.x, 21);
        const r = await both(() => {
          const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
          const pool = (t: tf.Tensor) => (kind === 'max' ? tf.maxPool : tf.avgPool)(t as tf.Tensor4D, c.f, c.s, c.pad);
          const up = tf.tensor(rand(pool(x).shape, 22), pool(x).shape);
          return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(pool(t), up)))(x);
        });
        expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-6);
      });
    }
    it(`max pool x ${c.x} window ${c.f} strides ${c.s} ${c.pad}, with ties: the first largest gets the gradient`, async () => {
      // Values in quarters, so most windows hold equal maxima (after a ReLU, many are 0).
      const xv = rand(c.x, 23).map((v) => Math.max(0, Math.round(v * 4) / 4));
      const r = await both(() => {
        const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
        const up = tf.tensor(rand(tf.maxPool(x, c.f, c.s, c.pad).shape, 24), tf.maxPool(x, c.f, c.s, c.pad).shape);
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, c.f, c.s, c.pad), up)))(x);
      });
      // A gradient sent to the wrong one of two equal cells is off by a whole value; overlapping
      // windows add their terms in another order than the cpu backend, off by a rounding.
      expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-6);
    });
  }
});

describe('Tile on wasm', () => {
  const cases: { shape: number[]; reps: number[]; dtype: 'float32' | 'int32' | 'bool' }[] = [
    { shape: [1, 1, 1, 5], reps: [4, 1, 3, 1], dtype: 'float32' },
    { shape: [2, 3], reps: [2, 3], dtype: 'float32' },
    { shape: [3, 1, 2], reps: [1, 4, 2], dtype: 'int32' },
    { shape: [2, 2], reps: [3, 1], dtype: 'bool' },
    { shape: [4], reps: [1], dtype: 'float32' },
  ];
  for (const c of cases) {
    it(`${c.dtype} ${c.shape} reps ${c.reps}`, async () => {
      const v = Array.from(rand(c.shape, 31), (x) => (c.dtype === 'float32' ? x : c.dtype === 'int32' ? Math.round(x * 100) : x > 0 ? 1 : 0));
      const r = await both(() => tf.cast(tf.tile(tf.tensor(v, c.shape, c.dtype), c.reps), 'float32'));
      expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
    });
  }
});

describe('Slice on wasm: contiguous runs copied within the heap (ours)', () => {
  const cases: { shape: number[]; begin: number[]; size: number[]; dtype: 'float32' | 'int32' | 'bool' }[] = [
    // The GRU gradient's column blocks of [n·T, 3u], and its last state of [n, T, u].
    { shape: [12, 9], begin: [0, 0], size: [12, 6], dtype: 'float32' },
    { shape: [12, 9], begin: [0, 6], size: [12, 3], dtype: 'float32' },
    { shape: [4, 5, 3], begin: [0, 4, 0], size: [4, 1, 3], dtype: 'float32' },
    // Whole rows (one run), a middle block, -1 sizes, rank 5, other dtypes, an empty slice.
    { shape: [6, 4], begin: [2, 0], size: [3, 4], dtype: 'float32' },
    { shape: [3, 4, 5, 2], begin: [1, 1, 2, 0], size: [2, 2, 3, 1], dtype: 'float32' },
    { shape: [5, 7], begin: [1, 2], size: [-1, -1], dtype: 'int32' },
    { shape: [2, 3, 2, 3, 2], begin: [0, 1, 0, 1, 1], size: [2, 2, 2, 2, 1], dtype: 'float32' },
    { shape: [4, 6], begin: [1, 1], size: [2, 3], dtype: 'bool' },
    { shape: [4, 6], begin: [1, 1], size: [0, 3], dtype: 'float32' },
  ];
  for (const c of cases) {
    it(`${c.dtype} ${c.shape} from [${c.begin}] size [${c.size}]`, async () => {
      const v = Array.from(rand(c.shape, 71), (x) => (c.dtype === 'float32' ? x : c.dtype === 'int32' ? Math.round(x * 100) : x > 0 ? 1 : 0));
      const r = await both(() => tf.cast(tf.slice(tf.tensor(v, c.shape, c.dtype), c.begin, c.size), 'float32'));
      expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
    });
  }
  it('is registered as ours, and slicing leaves no tensor behind', async () => {
    await tf.setBackend('wasm');
    expect(registerTrainingKernels('wasm')).toContain('Slice');
    const before = tf.memory().numTensors;
    const x = tf.tensor(rand([8, 8], 72), [8, 8]);
    const want = (await x.data()).slice(8 * 3 + 2, 8 * 3 + 6);
    const s = tf.slice(x, [3, 2], [1, 4]);
    x.dispose();
    expect(Array.from(await s.data())).toEqual(Array.from(want));
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Cast on wasm: to the same dtype a new reference, not a copy; to bool x ≠ 0 (ours)', () => {
  it('keeps values, outlives its source, and still converts between dtypes', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const src = tf.tensor(rand([4, 5], 51), [4, 5]);
    const same = tf.cast(src, 'float32');
    expect(same.dataId).toBe(src.dataId);
    const want = Array.from(await src.data());
    src.dispose();
    expect(Array.from(await same.data())).toEqual(want);
    same.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const ints = tf.tensor([1, -2, 3], [3], 'int32');
    const r = await both(() => tf.add(tf.cast(tf.cast(ints, 'int32'), 'float32'), tf.cast(tf.tensor([0.5, 0, -2], [3]), 'bool')));
    expect(Array.from(r.wasm)).toEqual([2, -2, 4]);
    expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
    ints.dispose();
  });
});

describe("Transpose on wasm: in-place permutations as a new reference (ours), others tfjs's", () => {
  const cases: { shape: number[]; perm: number[]; inPlace: boolean }[] = [
    { shape: [6, 4], perm: [0, 1], inPlace: true },
    { shape: [1, 5, 3], perm: [1, 0, 2], inPlace: true },
    { shape: [4, 1, 3, 1], perm: [0, 3, 2, 1], inPlace: true },
    { shape: [6, 4], perm: [1, 0], inPlace: false },
    { shape: [2, 3, 4], perm: [0, 2, 1], inPlace: false },
  ];
  for (const c of cases) {
    it(`${c.shape} by [${c.perm}]`, async () => {
      await tf.setBackend('wasm');
      const x = tf.tensor(rand(c.shape, 61), c.shape);
      const t = tf.transpose(x, c.perm);
      expect(t.dataId === x.dataId).toBe(c.inPlace);
      tf.dispose([x, t]);
      const r = await both(() => tf.add(tf.transpose(tf.tensor(rand(c.shape, 61), c.shape), c.perm), 1));
      expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
    });
  }
});

describe("Add and Multiply on wasm: same shapes, scalars and row broadcasts in one SIMD pass (ours), others tfjs's", () => {
  const cases: [number[], number[]][] = [
    [
      [64, 17, 13],
      [64, 17, 13],
    ],
    [[6, 5], []],
    [[], [7]],
    [[1], [9]],
    [[10, 18], [18]],
    [[3], [2, 4, 3]],
    [
      [1, 3],
      [2, 3],
    ],
    [
      [5, 1, 7],
      [1, 7],
    ],
    [
      [4, 1],
      [1, 4],
    ],
    [
      [2, 3, 1],
      [3, 5],
    ],
  ];
  for (const op of ['add', 'mul'] as const) {
    for (const [as, bs] of cases) {
      it(`${op} ${JSON.stringify(as)}, ${JSON.stringify(bs)}`, async () => {
        const av = rand(as, 71);
        if (av.length > 2) av[2] = Number.NaN;
        const r = await both(() => tf[op](tf.tensor(av, as), tf.tensor(rand(bs, 72), bs)));
        expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
      });
    }
  }
  it("int32 stays tfjs's", async () => {
    const r = await both(() => tf.cast(tf.add(tf.tensor([1, 2, 3], [3], 'int32'), tf.mul(tf.tensor([4], [1], 'int32'), 2)), 'float32'));
    expect(Array.from(r.wasm)).toEqual([9, 10, 11]);
  });
});

describe('Equal with broadcasting on wasm (max-pooling gradients)', () => {
  for (const [as, bs] of [
    [
      [4, 5, 6],
      [4, 1, 6],
    ],
    [
      [3, 1],
      [3, 4],
    ],
    [
      [2, 3, 4, 5],
      [1, 3, 1, 5],
    ],
    [[6], [1]],
  ] as const) {
    it(`${as} vs ${bs}`, async () => {
      // Values from a small set so that equal pairs actually occur.
      const av = Array.from(rand([...as], 41), (v) => Math.round(v * 4));
      const bv = Array.from(rand([...bs], 42), (v) => Math.round(v * 4));
      const r = await both(() => tf.cast(tf.equal(tf.tensor(av, [...as]), tf.tensor(bv, [...bs])), 'float32'));
      expect(Array.from(r.wasm)).toEqual(Array.from(r.cpu));
      expect(Array.from(r.cpu)).toContain(1);
    });
  }
});

describe('our GEMM (conv forward and gradients), every tail of its 4×8 tiles', () => {
  it('matches cpu matMul for sizes around the tile edges', async () => {
    const { matmul } = await import('../../../engine/kernels/wasm/wasmBackend');
    for (const [m, k, n] of [
      [1, 1, 1],
      [3, 5, 7],
      [4, 8, 8],
      [5, 9, 13],
      [9, 3, 4],
      [17, 31, 19],
      [64, 40, 36],
    ] as const) {
      const av = rand([m, k], m * 7 + k);
      const bv = rand([k, n], n * 5 + k);
      await tf.setBackend('wasm');
      const a = tf.tensor2d(av, [m, k]);
      const b = tf.tensor2d(bv, [k, n]);
      const backend = tf.backend() as unknown as Parameters<typeof matmul>[0];
      const info = matmul(backend, a, b, m, k, n);
      const got = tf.engine().makeTensorFromTensorInfo(info);
      const wasm = (await got.data()) as Float32Array;
      tf.dispose([a, b, got]);
      await tf.setBackend('cpu');
      const cpu = (await tf.matMul(tf.tensor2d(av, [m, k]), tf.tensor2d(bv, [k, n])).data()) as Float32Array;
      await tf.setBackend('wasm');
      expect(maxRelErr(wasm, cpu), `${m}×${k}×${n}`).toBeLessThan(1e-5);
    }
  });
});

describe('UnsortedSegmentSum on wasm (embedding gradient)', () => {
  it('matches cpu for repeated, out-of-range-free ids', async () => {
    const ids = [3, 1, 3, 0, 7, 3, 1, 9, 9, 2, 0, 5];
    const tv = rand([10, 6], 3);
    const r = await both(() => {
      const table = tf.tensor2d(tv, [10, 6]);
      const idx = tf.tensor2d(ids, [3, 4], 'int32');
      const up = tf.tensor3d(rand([3, 4, 6], 4), [3, 4, 6]);
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx), up)))(table);
    });
    expect(r.shape).toEqual([10, 6]);
    expect(maxRelErr(r.wasm, r.cpu)).toBeLessThan(1e-6);
  });
});

describe('the fused layers over training steps', () => {
  it('keep no tensor or buffer a step (Conv1D, Conv2D and Dense one op each way)', async () => {
    await tf.setBackend('wasm');
    const before = { conv: fusedConvBiasCalls(), dense: fusedDenseCalls() };
    const seqIn = tfl.input({ shape: [9, 5] });
    const s = tfl.layers.conv1d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(seqIn) as tfl.SymbolicTensor;
    const imgIn = tfl.input({ shape: [6, 6, 2] });
    const i = tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'elu' }).apply(imgIn) as tfl.SymbolicTensor;
    const flat = tfl.layers.concatenate().apply([tfl.layers.flatten().apply(s) as tfl.SymbolicTensor, tfl.layers.flatten().apply(i) as tfl.SymbolicTensor]);
    const h = tfl.layers.dense({ units: 7, activation: 'relu' }).apply(flat) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 3, activation: 'softmax' }).apply(h) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: [seqIn, imgIn], outputs: out });
    model.compile({ optimizer: tf.train.adam(1e-2), loss: 'categoricalCrossentropy' });
    const xs = [tf.tensor3d(rand([8, 9, 5], 141), [8, 9, 5]), tf.tensor4d(rand([8, 6, 6, 2], 142), [8, 6, 6, 2])];
    const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3), 'float32');
    await model.trainOnBatch(xs, y);
    const mem = tf.memory();
    for (let k = 0; k < 3; k++) await model.trainOnBatch(xs, y);
    expect(tf.memory().numTensors).toBe(mem.numTensors);
    expect(tf.memory().numDataBuffers).toBe(mem.numDataBuffers);
    expect(fusedConvBiasCalls() - before.conv).toBeGreaterThanOrEqual(8);
    expect(fusedDenseCalls() - before.dense).toBeGreaterThanOrEqual(4);
    tf.dispose([...xs, y]);
    model.dispose();
  });
});
