/**
 * Dilated Conv2D is built from a plain conv2d over a phase-major regrouped image (tfjs cannot
 * train a dilated conv directly). Its outputs must equal tfjs's own dilated conv2d with the same
 * weights, its shape must be the one inferShape reports, and it must train on cpu and on wasm
 * with the same result.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import type { DataFacts } from '../../../engine/graph/types';
import { initBackend } from '../../../engine/backend';
import { compileChecked } from './compileChecked';
import { inferGraph } from '../../../engine/graph/validate';
import { chain, docOf } from '../graph/fixtures';

type Pair = number | [number, number];

// [input height, width], kernelSize, dilationRate: sizes that are and are not multiples of the
// rate, one-axis dilation, non-square kernels, a rate as large as the image allows.
const TABLE: [[number, number], Pair, Pair][] = [
  [[9, 8], 3, 2],
  [[10, 11], 2, 3],
  [
    [7, 12],
    [3, 2],
    [1, 4],
  ],
  [
    [12, 7],
    [2, 3],
    [3, 1],
  ],
  [
    [13, 9],
    [2, 4],
    [4, 2],
  ],
  [[6, 6], 2, 5],
  [
    [11, 10],
    [1, 3],
    [2, 3],
  ],
];

function facts(size: [number, number]): DataFacts {
  return { inputShape: [...size, 3], inputDtype: 'float32', numClasses: 3 };
}

describe('dilated Conv2D', () => {
  for (const padding of ['valid', 'same'] as const) {
    for (const [size, kernelSize, dilationRate] of TABLE) {
      it(`${size.join('×')} k${JSON.stringify(kernelSize)} d${JSON.stringify(dilationRate)} ${padding} equals tfjs's dilated conv2d`, async () => {
        await initBackend({ prefer: 'cpu' });
        const g = chain([['Input'], ['Conv2D', { filters: 4, kernelSize, dilationRate, padding, activation: 'tanh' }], ['Flatten'], ['Output']]);
        const analysis = inferGraph(g, facts(size));
        expect(analysis.issues).toEqual([]);
        const { model, outputs } = compileChecked(docOf(g), facts(size), { seed: 3 });
        expect(outputs.get('n1')!.shape).toEqual(analysis.nodeTypes['n1']!.shape);
        expect(model.getLayer('n1').countParams()).toBe(analysis.costs['n1']!.params);
        const [kh, kw] = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
        // Random, not glorot's, so a wrong tap order cannot hide behind symmetric weights.
        const w = tf.randomNormal([kh, kw, 3, 4], 0, 1, 'float32', 11);
        const b = tf.randomNormal([4], 0, 1, 'float32', 12);
        model.getLayer('n1').setWeights([w, b]);
        const x = tf.randomNormal([2, ...size, 3], 0, 1, 'float32', 13);
        const probe = tfl.model({ inputs: model.inputs, outputs: outputs.get('n1')! });
        const got = probe.predict(x) as tf.Tensor;
        const rates: [number, number] = typeof dilationRate === 'number' ? [dilationRate, dilationRate] : dilationRate;
        const want = tf.tanh(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, padding, 'NHWC', rates), b));
        expect(got.shape).toEqual(want.shape);
        expect(got.shape).toEqual([2, ...analysis.nodeTypes['n1']!.shape.slice(1)]);
        const diff = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!;
        expect(diff).toBeLessThan(1e-5);
        tf.dispose([w, b, x, got, want]);
        model.dispose();
      });
    }
  }

  it('refuses strides > 1 together with dilationRate > 1, as Keras does', () => {
    const g = chain([['Input'], ['Conv2D', { dilationRate: [1, 2], strides: [2, 1] }], ['Flatten'], ['Output']]);
    const issues = inferGraph(g, facts([9, 9])).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'bad-param', nodeId: 'n1' });
    expect(issues[0]!.message).toContain('dilationRate');
  });

  /** 20 Adam steps from a fresh seeded model: the first and last loss and the trained weights. */
  async function train(backend: 'cpu' | 'wasm') {
    await initBackend({ prefer: backend });
    expect(tf.getBackend()).toBe(backend);
    const g = chain([
      ['Input'],
      ['Conv2D', { filters: 4, kernelSize: 3, dilationRate: [2, 3], padding: 'same' }],
      ['Conv2D', { filters: 3, kernelSize: 2, dilationRate: 2 }],
      ['Flatten'],
      ['Output'],
    ]);
    const model = compileChecked(docOf(g), facts([9, 10]), { seed: 3 }).model;
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([6, 9, 10, 3], -1, 1, 'float32', 1);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3);
    const losses: number[] = [];
    for (let i = 0; i < 20; i++) losses.push((await model.trainOnBatch(x, y)) as number);
    const weights = await Promise.all(model.getWeights().map(async (t) => (await t.data()) as Float32Array));
    tf.dispose([x, y]);
    model.dispose();
    return { losses, weights };
  }

  it('trains on cpu and on wasm, with the same result', async () => {
    const cpu = await train('cpu');
    const wasm = await train('wasm');
    expect(cpu.losses.at(-1)!).toBeLessThan(cpu.losses[0]!);
    expect(wasm.losses.at(-1)!).toBeLessThan(wasm.losses[0]!);
    wasm.losses.forEach((l, i) => expect(l, `loss ${i}`).toBeCloseTo(cpu.losses[i]!, 3));
    wasm.weights.forEach((w, i) => {
      const ref = cpu.weights[i]!;
      let err = 0;
      let scale = 1e-3;
      for (let j = 0; j < ref.length; j++) {
        err = Math.max(err, Math.abs(w[j]! - ref[j]!));
        scale = Math.max(scale, Math.abs(ref[j]!));
      }
      expect(err / scale, `weight ${i}`).toBeLessThan(1e-3);
    });
  });
});
