/**
 * A whole-sequence LSTM for the wasm backend, as fusedGru.ts is for the GRU. tfjs-layers runs
 * an LSTM as dozens of small kernels per time step, forward and backward. Here the input
 * projection x·W + b is one large matmul, the recurrence runs in one SIMD call (lstm_forward /
 * lstm_backward in simd/lstm.c, on both threads by batch rows), and the weight gradients are
 * again large matmuls.
 *
 * It is installed as the LSTM layer's `call`, so every LSTM tfjs-layers builds (and each half
 * of a Bidirectional) uses it when it can: on wasm with our SIMD module, tanh activation,
 * sigmoid or hardSigmoid gates, no dropout, not stateful, no initial state or returned state.
 * Anything else runs tfjs's own code. Masks and goBackwards follow tfjs: a masked step carries
 * both h and c, and a backwards layer returns its sequence in processing order.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { heapTensor } from './layerCall';
import { installFusedRecurrent, runRecurrenceRows, type Recurrence } from './recurrentCall';
import type { SimdKernels } from './simdKernels';
import { offsetOf, type WasmBackend } from './wasmBackend';

let fusedCalls: (() => number) | undefined;

/** How many LSTM layer calls took the whole-sequence path (tests check it was used). */
export function fusedLstmCalls(): number {
  return fusedCalls?.() ?? 0;
}

/** Patches tfjs-layers' LSTM class (idempotent). */
export function installFusedLstm(): void {
  fusedCalls ??= installFusedRecurrent(tfl.layers.lstm({ units: 1 }), lstmRecurrence);
}

/**
 * lstm_forward_rows / lstm_backward_rows (simd/lstm.c); gx's blocks are the gates i, f, c, o.
 * Batch rows are independent over the whole sequence, so where the heap is shared and the work
 * repays the wake-up, both threads take whole rows (no step-by-step handshake); the bits are
 * the same however the rows are split (tests/unit/kernels/threads.test.ts).
 */
function lstmRecurrence(backend: WasmBackend, simd: SimdKernels): Recurrence {
  const off = (t: tf.Tensor): number => offsetOf(backend, t);
  return {
    gates: 4,
    forward(gx, uk, mask, o) {
      const [n, T] = gx.shape as [number, number, number];
      const u = o.units;
      const [hs, hprev, cprev, tc] = [0, 1, 2, 3].map(() => heapTensor(backend, [n, T, u])) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const gates = heapTensor(backend, [n, T, 4 * u]);
      const last = o.returnSequences ? null : heapTensor(backend, [n, u]);
      const args = [
        off(gx),
        off(uk),
        mask ? off(mask) : 0,
        off(hs),
        off(hprev),
        off(cprev),
        off(gates),
        off(tc),
        last ? off(last) : 0,
        n,
        T,
        u,
        o.hard ? 1 : 0,
      ] as const;
      runRecurrenceRows(backend, simd, 'lstm_forward_rows', args, n, n * T * u * 4 * u, u);
      return { hs, saved: [hprev, cprev, gates, tc], last };
    },
    backward(saved, ukT, mask, dy, o) {
      const [hprev, cprev, gates, tc] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const [n, T] = hprev.shape as [number, number, number];
      const u = o.units;
      const dgx = heapTensor(backend, [n, T, 4 * u]);
      const args = [
        off(ukT),
        mask ? off(mask) : 0,
        off(cprev),
        off(gates),
        off(tc),
        off(dy),
        o.returnSequences ? 0 : 1,
        off(dgx),
        n,
        T,
        u,
        o.hard ? 1 : 0,
      ] as const;
      runRecurrenceRows(backend, simd, 'lstm_backward_rows', args, n, n * T * u * 4 * u, 3 * u);
      const dU = tf.matMul(tf.reshape(hprev, [n * T, u]), tf.reshape(dgx, [n * T, 4 * u]), true, false);
      return { dgx, dU };
    },
  };
}
