/**
 * Dilated Conv1D is built from a conv2d over a regrouped sequence (tfjs cannot train a dilated
 * conv directly). Its outputs must equal tfjs's own dilated conv1d with the same weights, and it
 * must train.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileChecked } from './compileChecked';
import { chain, docOf } from '../graph/fixtures';

const FACTS = { inputShape: [17, 5], inputDtype: 'float32', numClasses: 3 } as const;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('dilated Conv1D', () => {
  for (const padding of ['valid', 'same', 'causal'] as const) {
    for (const [kernelSize, dilationRate] of [
      [2, 2],
      [3, 2],
      [3, 3],
      [4, 5],
      [2, 16],
    ] as const) {
      it(`k${kernelSize} d${dilationRate} ${padding} equals tfjs's dilated conv1d`, () => {
        const g = chain([['Input'], ['Conv1D', { filters: 4, kernelSize, dilationRate, padding, activation: 'tanh' }], ['Flatten'], ['Output']]);
        const { model, outputs } = compileChecked(docOf(g), FACTS, { seed: 3 });
        const [kernel, bias] = model.getLayer('n1').getWeights() as [tf.Tensor4D, tf.Tensor1D];
        expect(kernel.shape).toEqual([kernelSize, 1, 5, 4]);
        // Random, not glorot's, so a wrong tap order cannot hide behind symmetric weights.
        const w = tf.randomNormal([kernelSize, 1, 5, 4], 0, 1, 'float32', 11);
        const b = tf.randomNormal([4], 0, 1, 'float32', 12);
        model.getLayer('n1').setWeights([w, b]);
        const x = tf.randomNormal([2, 17, 5], 0, 1, 'float32', 13);
        const probe = tfl.model({ inputs: model.inputs, outputs: outputs.get('n1')! });
        const got = probe.predict(x) as tf.Tensor;
        const span = dilationRate * (kernelSize - 1);
        const input =
          padding === 'causal'
            ? tf.pad(x, [
                [0, 0],
                [span, 0],
                [0, 0],
              ])
            : x;
        const want = tf.tanh(
          tf.add(
            tf.conv1d(input as tf.Tensor3D, tf.reshape(w, [kernelSize, 5, 4]) as tf.Tensor3D, 1, padding === 'same' ? 'same' : 'valid', 'NWC', dilationRate),
            b,
          ),
        );
        expect(got.shape).toEqual(want.shape);
        const diff = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!;
        expect(diff).toBeLessThan(1e-5);
        void bias;
        tf.dispose([w, b, x, got, want, input]);
        model.dispose();
      });
    }
  }

  it('trains (tfjs refuses gradients of a dilated conv2d; this path has none)', async () => {
    const g = chain([['Input'], ['Conv1D', { filters: 4, kernelSize: 3, dilationRate: 2, padding: 'causal' }], ['Flatten'], ['Output']]);
    const { model } = compileChecked(docOf(g), FACTS, { seed: 3 });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const x = tf.randomNormal([8, 17, 5], 0, 1, 'float32', 1);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
    const first = (await model.trainOnBatch(x, y)) as number;
    let last = first;
    for (let i = 0; i < 20; i++) last = (await model.trainOnBatch(x, y)) as number;
    expect(last).toBeLessThan(first);
    tf.dispose([x, y]);
    model.dispose();
  });
});
