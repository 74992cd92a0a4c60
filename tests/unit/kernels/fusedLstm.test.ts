// The whole-sequence LSTM on wasm gives tfjs-layers' own LSTM results (outputs and every
// gradient), computed on the cpu backend where our LSTM is not installed: with and without a
// mask, backwards, returning sequences or the last state, sigmoid and hardSigmoid gates, with
// and without a bias.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../engine/backend';
import { fusedLstmCalls } from '../../../engine/kernels/wasm/fusedLstm';
import { expectWasmMatchesCpu, type LayerRun } from './compareBackends';
import { seededValues } from './seededValues';

function rand(n: number, seed: number): Float32Array {
  return seededValues(n, seed, (u) => (u - 0.5) * 2);
}

interface Case {
  name: string;
  returnSequences: boolean;
  goBackwards: boolean;
  masked: boolean;
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
  useBias?: boolean;
  /** Default U; 5 and 9 also run the kernels' one-column tails (u mod 4) and the GEMM's. */
  units?: number;
  bidirectional?: boolean;
}

const N = 5;
const T = 7;
const D = 6;
const U = 4;

/** Output and gradients of sum(output ⊙ probe) w.r.t. the input and every weight. */
function run(c: Case, weights: tf.Tensor[] | null): LayerRun {
  return tf.tidy(() => {
    const cfg = {
      units: c.units ?? U, returnSequences: c.returnSequences, goBackwards: c.goBackwards, recurrentActivation: c.recurrentActivation,
      useBias: c.useBias ?? true, biasInitializer: 'randomNormal' as const,
    };
    const layer = c.bidirectional ? tfl.layers.bidirectional({ layer: tfl.layers.lstm(cfg) as tfl.RNN, mergeMode: 'concat' }) : tfl.layers.lstm(cfg);
    const x = tf.tensor3d(rand(N * T * D, 1), [N, T, D]);
    layer.apply(x);
    if (weights) layer.setWeights(weights);
    const lengths = [7, 3, 5, 1, 6];
    const mask = c.masked ? tf.tensor2d(Array.from({ length: N * T }, (_, i) => ((i % T) < (lengths[Math.floor(i / T)] as number) ? 1 : 0)), [N, T], 'bool') : undefined;
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const f = (xx: tf.Tensor, ...ws: tf.Tensor[]) => {
      void ws;
      const y = layer.apply(xx, mask ? { mask } : {}) as tf.Tensor;
      return tf.sum(tf.mul(y, tf.tensor(rand(y.size, 9), y.shape)));
    };
    const y = layer.apply(x, mask ? { mask } : {}) as tf.Tensor;
    const { grads } = tf.variableGrads(() => f(x) as tf.Scalar);
    const dx = tf.grad((xx: tf.Tensor) => f(xx))(x);
    const values = [y.dataSync().slice(), dx.dataSync().slice(), ...vars.map((v) => (grads[v.name] as tf.Tensor).dataSync().slice())] as Float32Array[];
    return { values, weights: layer.getWeights().map((w) => tf.keep(w.clone())) };
  });
}

beforeAll(async () => {
  const info = await initBackend({ prefer: 'wasm' });
  expect(info.customKernels).toContain('LSTM (whole sequence)');
});

const CASES: Case[] = [
  { name: 'last state', returnSequences: false, goBackwards: false, masked: false, recurrentActivation: 'sigmoid' },
  { name: 'sequences', returnSequences: true, goBackwards: false, masked: false, recurrentActivation: 'sigmoid' },
  { name: 'masked', returnSequences: false, goBackwards: false, masked: true, recurrentActivation: 'sigmoid' },
  { name: 'masked sequences, backwards', returnSequences: true, goBackwards: true, masked: true, recurrentActivation: 'sigmoid' },
  { name: 'hardSigmoid gates (the default), backwards', returnSequences: false, goBackwards: true, masked: false, recurrentActivation: 'hardSigmoid' },
  { name: 'no bias, 5 units, masked sequences', returnSequences: true, goBackwards: false, masked: true, recurrentActivation: 'hardSigmoid', useBias: false, units: 5 },
  { name: '9 units, masked sequences', returnSequences: true, goBackwards: false, masked: true, recurrentActivation: 'sigmoid', units: 9 },
  { name: 'bidirectional, masked', returnSequences: false, goBackwards: false, masked: true, recurrentActivation: 'sigmoid', bidirectional: true },
];

describe('whole-sequence LSTM on wasm', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      await expectWasmMatchesCpu((weights) => run(c, weights), fusedLstmCalls, 2e-5);
    });
  }

  it('leaves what it does not fuse (recurrent dropout) to tfjs-layers', async () => {
    await tf.setBackend('wasm');
    const before = fusedLstmCalls();
    tf.tidy(() => {
      const layer = tfl.layers.lstm({ units: U, recurrentDropout: 0.5 });
      layer.apply(tf.tensor3d(rand(N * T * D, 1), [N, T, D]));
    });
    expect(fusedLstmCalls()).toBe(before);
  });
});
