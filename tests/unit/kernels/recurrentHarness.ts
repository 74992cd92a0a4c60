// What the whole-sequence GRU and LSTM tests share: a case's layer run forward and backward on
// the current backend, and a suite that checks wasm (ours) against tfjs-layers on cpu.
import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expectWasmMatchesCpu, type LayerRun } from './compareBackends';
import { seededValues } from './seededValues';

export const N = 5;
export const T = 7;
export const D = 6;
export const U = 4;

export function rand(n: number, seed: number): Float32Array {
  return seededValues(n, seed, (u) => (u - 0.5) * 2);
}

export interface RecurrentCase {
  name: string;
  returnSequences: boolean;
  goBackwards: boolean;
  masked: boolean;
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
  bidirectional?: boolean;
  useBias?: boolean;
  /** Default U; 5 and 9 also run the kernels' one-column tails (u mod 4) and the GEMM's. */
  units?: number;
  /** Scales the input (default 1): at 4 many hardSigmoid gates saturate, where their gradient is 0. */
  inputScale?: number;
}

type LayerConfig = {
  units: number;
  returnSequences: boolean;
  goBackwards: boolean;
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
  useBias: boolean;
  biasInitializer: 'randomNormal';
};

/** Output and gradients of sum(output ⊙ probe) w.r.t. the input and every weight. */
function run(make: (cfg: LayerConfig) => tfl.RNN, c: RecurrentCase, weights: tf.Tensor[] | null): LayerRun {
  return tf.tidy(() => {
    const cfg: LayerConfig = {
      units: c.units ?? U,
      returnSequences: c.returnSequences,
      goBackwards: c.goBackwards,
      recurrentActivation: c.recurrentActivation,
      useBias: c.useBias ?? true,
      biasInitializer: 'randomNormal',
    };
    const layer = c.bidirectional ? tfl.layers.bidirectional({ layer: make(cfg), mergeMode: 'concat' }) : make(cfg);
    const x = tf.tensor3d(
      rand(N * T * D, 1).map((v) => v * (c.inputScale ?? 1)),
      [N, T, D],
    );
    layer.apply(x);
    if (weights) layer.setWeights(weights);
    const lengths = [7, 3, 5, 1, 6];
    const mask = c.masked
      ? tf.tensor2d(
          Array.from({ length: N * T }, (_, i) => (i % T < (lengths[Math.floor(i / T)] as number) ? 1 : 0)),
          [N, T],
          'bool',
        )
      : undefined;
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const f = (xx: tf.Tensor) => {
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

/** One test per case: our fused layer on wasm (it must be used) equals tfjs-layers' own on cpu. */
export function recurrentSuite(title: string, make: (cfg: LayerConfig) => tfl.RNN, fusedCalls: () => number, cases: readonly RecurrentCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, async () => {
        await expectWasmMatchesCpu((weights) => run(make, c, weights), fusedCalls, 2e-5);
      });
    }
  });
}
