// The whole-sequence GRU on wasm gives tfjs-layers' own GRU results (outputs and every
// gradient), computed on the cpu backend where our GRU is not installed: with and without a
// mask, backwards, returning sequences or the last state, sigmoid and hardSigmoid gates, and
// unit counts that leave the kernels' four-lane loops a scalar tail (u mod 4).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../engine/backend';
import { fusedGruCalls } from '../../../engine/kernels/wasm/fusedGru';
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
  bidirectional?: boolean;
  /** Default U; 5 and 9 also run the kernels' one-column tails (u mod 4) and the GEMM's. */
  units?: number;
  /** Scales the input (default 1): at 4 many hardSigmoid gates saturate, where their gradient is 0. */
  inputScale?: number;
}

const N = 5;
const T = 7;
const D = 6;
const U = 4;

/** Output and gradients of sum(output ⊙ probe) w.r.t. the input and every weight. */
function run(c: Case, weights: tf.Tensor[] | null): LayerRun {
  return tf.tidy(() => {
    const cfg = { units: c.units ?? U, returnSequences: c.returnSequences, goBackwards: c.goBackwards, recurrentActivation: c.recurrentActivation };
    const layer = c.bidirectional ? tfl.layers.bidirectional({ layer: tfl.layers.gru(cfg) as tfl.RNN, mergeMode: 'concat' }) : tfl.layers.gru(cfg);
    const x = tf.tensor3d(rand(N * T * D, 1).map((v) => v * (c.inputScale ?? 1)), [N, T, D]);
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
  expect(info.customKernels).toContain('GRU (whole sequence)');
});

const CASES: Case[] = [
  { name: 'last state', returnSequences: false, goBackwards: false, masked: false, recurrentActivation: 'sigmoid' },
  { name: 'sequences', returnSequences: true, goBackwards: false, masked: false, recurrentActivation: 'sigmoid' },
  { name: 'masked', returnSequences: false, goBackwards: false, masked: true, recurrentActivation: 'sigmoid' },
  { name: 'masked sequences, backwards', returnSequences: true, goBackwards: true, masked: true, recurrentActivation: 'sigmoid' },
  { name: 'hardSigmoid gates, backwards', returnSequences: false, goBackwards: true, masked: false, recurrentActivation: 'hardSigmoid' },
  { name: '5 units, hardSigmoid gates partly saturated, masked sequences', returnSequences: true, goBackwards: false, masked: true, recurrentActivation: 'hardSigmoid', units: 5, inputScale: 4 },
  { name: '9 units, masked sequences, backwards', returnSequences: true, goBackwards: true, masked: true, recurrentActivation: 'sigmoid', units: 9 },
  { name: 'bidirectional, masked', returnSequences: false, goBackwards: false, masked: true, recurrentActivation: 'sigmoid', bidirectional: true },
];

describe('whole-sequence GRU on wasm', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      await expectWasmMatchesCpu((weights) => run(c, weights), fusedGruCalls, 2e-5);
    });
  }
});
