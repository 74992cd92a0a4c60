// Our cpu-backend kernels (the fallback without WebAssembly) against tfjs's own cpu kernels:
// the reference is computed first, before initBackend registers ours in this process.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../engine/backend';
import { seededValues, sizeOf } from './seededValues';

function rand(shape: number[], seed: number, sparse = false): Float32Array {
  return seededValues(sizeOf(shape), seed, (u) => {
    const v = u - 0.5;
    return sparse && v < 0.2 ? 0 : v;
  });
}

const CONV: { x: number[]; f: number[]; s: [number, number]; pad: 'same' | 'valid'; sparse: boolean }[] = [
  { x: [3, 1, 17, 7], f: [1, 3, 7, 5], s: [1, 1], pad: 'valid', sparse: true },
  { x: [2, 1, 16, 6], f: [1, 3, 6, 4], s: [1, 2], pad: 'same', sparse: false },
  { x: [2, 7, 6, 3], f: [3, 2, 3, 4], s: [2, 1], pad: 'same', sparse: false },
];

function filterGrad(c: (typeof CONV)[number]): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(rand(c.x, 1, c.sparse), c.x as [number, number, number, number]);
    const w = tf.tensor4d(rand(c.f, 2), c.f as [number, number, number, number]);
    return tf
      .grad((ww: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, ww as tf.Tensor4D, c.s, c.pad))))(w)
      .dataSync() as Float32Array;
  });
}

function embeddingGrad(): Float32Array {
  return tf.tidy(() => {
    const table = tf.tensor2d(rand([10, 6], 3), [10, 6]);
    const idx = tf.tensor2d([3, 1, 3, 0, 7, 3, 1, 9, 9, 2, 0, 5], [3, 4], 'int32');
    const up = tf.tensor3d(rand([3, 4, 6], 4), [3, 4, 6]);
    return tf
      .grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx), up)))(table)
      .dataSync() as Float32Array;
  });
}

describe('cpu fallback kernels', () => {
  it("match tfjs's own cpu kernels", async () => {
    await tf.setBackend('cpu');
    const refConv = CONV.map(filterGrad);
    const refEmb = embeddingGrad();
    const info = await initBackend({ prefer: 'cpu' });
    expect(info.name).toBe('cpu');
    expect(info.customKernels).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'UnsortedSegmentSum']));
    CONV.forEach((c, i) => {
      const got = filterGrad(c);
      const ref = refConv[i] as Float32Array;
      for (let j = 0; j < ref.length; j++) expect(got[j]).toBeCloseTo(ref[j] as number, 4);
    });
    const emb = embeddingGrad();
    for (let j = 0; j < refEmb.length; j++) expect(emb[j]).toBeCloseTo(refEmb[j] as number, 6);
  });
});
