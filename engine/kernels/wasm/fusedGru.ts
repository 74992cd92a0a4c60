/**
 * A whole-sequence GRU for the wasm backend. tfjs-layers runs a GRU as ~40 small kernels per
 * time step, forward and backward, each with the engine's bookkeeping: for length 30 that is
 * thousands of kernel calls a step, most of the GRU's time. Here the input projection x·W is
 * one large matmul, the recurrence runs in one SIMD call (gru_forward / gru_backward in
 * simd/kernels.c, on both threads by batch rows), and the weight gradients are again large
 * matmuls.
 *
 * It is installed as the GRU layer's `call`, so every GRU tfjs-layers builds (and each half of
 * a Bidirectional) uses it when it can: on wasm with our SIMD module, tanh activation, sigmoid
 * or hardSigmoid gates, no dropout, not stateful, no initial state or returned state. Anything
 * else runs tfjs's own code. Masks (Embedding maskZero) and goBackwards are supported with
 * tfjs's semantics: a masked step carries the previous state, and a backwards layer returns
 * its sequence in processing order.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { heapTensor } from './layerCall';
import { installFusedRecurrent, runRecurrenceRows, type Recurrence } from './recurrentCall';
import type { SimdKernels } from './simdKernels';
import { offsetOf, type WasmBackend } from './wasmBackend';

let fusedCalls: (() => number) | undefined;

/** How many GRU layer calls took the whole-sequence path (tests check it was used). */
export function fusedGruCalls(): number {
  return fusedCalls?.() ?? 0;
}

/** Patches tfjs-layers' GRU class (idempotent). */
export function installFusedGru(): void {
  fusedCalls ??= installFusedRecurrent(tfl.layers.gru({ units: 1 }), gruRecurrence);
}

/** gru_forward_rows / gru_backward_rows (simd/kernels.c); gx's blocks are update, reset, candidate. */
function gruRecurrence(backend: WasmBackend, simd: SimdKernels): Recurrence {
  const off = (t: tf.Tensor): number => offsetOf(backend, t);
  return {
    gates: 3,
    forward(gx, uk, mask, o) {
      const [n, T] = gx.shape as [number, number, number];
      const u = o.units;
      const [hs, hprev, z, r, hh, rh] = [0, 1, 2, 3, 4, 5].map(() => heapTensor(backend, [n, T, u])) as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      const args = [off(gx), off(uk), mask ? off(mask) : 0, off(hs), off(hprev), off(z), off(r), off(hh), off(rh), n, T, u, o.hard ? 1 : 0] as const;
      runRecurrenceRows(backend, simd, 'gru_forward_rows', args, n, n * T * u * 3 * u, 3 * u);
      return { hs, saved: [hprev, z, r, hh, rh] };
    },
    backward(saved, ukT, mask, dy, o) {
      const [hprev, z, r, hh, rh] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const [n, T] = hprev.shape as [number, number, number];
      const u = o.units;
      const dgx = heapTensor(backend, [n, T, 3 * u]);
      const args = [
        off(ukT),
        mask ? off(mask) : 0,
        off(hprev),
        off(z),
        off(r),
        off(hh),
        off(dy),
        o.returnSequences ? 0 : 1,
        off(dgx),
        n,
        T,
        u,
        o.hard ? 1 : 0,
      ] as const;
      runRecurrenceRows(backend, simd, 'gru_backward_rows', args, n, n * T * u * 3 * u, 3 * u);
      const dgx2d = tf.reshape(dgx, [n * T, 3 * u]);
      // U's gates and its candidate see different inputs: h_{t-1}, and r ⊙ h_{t-1}.
      const dU = tf.concat(
        [
          tf.matMul(tf.reshape(hprev, [n * T, u]), tf.slice(dgx2d, [0, 0], [n * T, 2 * u]), true, false),
          tf.matMul(tf.reshape(rh, [n * T, u]), tf.slice(dgx2d, [0, 2 * u], [n * T, u]), true, false),
        ],
        1,
      );
      return { dgx, dU };
    },
  };
}
