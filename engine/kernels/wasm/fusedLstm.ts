/**
 * A whole-sequence LSTM for the wasm backend, as fusedGru.ts is for the GRU. tfjs-layers runs
 * an LSTM as dozens of small kernels per time step, forward and backward. Here the input
 * projection x·W + b is one large matmul, the recurrence runs in one SIMD call (lstm_forward /
 * lstm_backward in simd/lstm.c), and the weight gradients are again large matmuls.
 *
 * It is installed as the LSTM layer's `call`, so every LSTM tfjs-layers builds (and each half
 * of a Bidirectional) uses it when it can: on wasm with our SIMD module, tanh activation,
 * sigmoid or hardSigmoid gates, no dropout, not stateful, no initial state or returned state.
 * Anything else runs tfjs's own code. Masks and goBackwards follow tfjs: a masked step carries
 * both h and c, and a backwards layer returns its sequence in processing order.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { heapTensor, upstream } from './layerCall';
import { installFusedRecurrent, stepMask, type SequenceOptions } from './recurrentCall';
import type { SimdKernels } from './simdKernels';
import { offsetOf, type WasmBackend } from './wasmBackend';

let fusedCalls: (() => number) | undefined;

/** How many LSTM layer calls took the whole-sequence path (tests check it was used). */
export function fusedLstmCalls(): number {
  return fusedCalls?.() ?? 0;
}

/** Patches tfjs-layers' LSTM class (idempotent). */
export function installFusedLstm(): void {
  fusedCalls ??= installFusedRecurrent(tfl.layers.lstm({ units: 1 }), 4, lstmSequence);
}

/**
 * The LSTM layer's output for x [n, T, d], kernel W [d, 4u], recurrent kernel U [u, 4u],
 * bias b [4u] (gates i, f, c, o); differentiable in x, W, U and b.
 */
function lstmSequence(
  backend: WasmBackend,
  simd: SimdKernels,
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  mask: tf.Tensor | null,
  o: SequenceOptions,
): tf.Tensor {
  const [n, T, d] = x.shape as [number, number, number];
  const u = o.units;
  const maskF = stepMask(mask, n, T, o.goBackwards);
  const off = (t: tf.Tensor): number => offsetOf(backend, t);
  const f = tf.customGrad((...args: (tf.Tensor | ((s: tf.Tensor[]) => void))[]) => {
    const [xIn, w, uk, b] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const save = args[4] as (s: tf.Tensor[]) => void;
    const xs = o.goBackwards ? tf.reverse(xIn, 1) : xIn;
    const x2d = tf.reshape(xs, [n * T, d]);
    const gx = tf.add(tf.matMul(x2d, w), b);
    const hs = heapTensor(backend, [n, T, u]);
    const hprev = heapTensor(backend, [n, T, u]);
    const cprev = heapTensor(backend, [n, T, u]);
    const gates = heapTensor(backend, [n, T, 4 * u]);
    const tc = heapTensor(backend, [n, T, u]);
    const scratch = heapTensor(backend, [n * u]);
    simd.lstm_forward(off(gx), off(uk), maskF ? off(maskF) : 0, off(hs), off(hprev), off(cprev), off(gates), off(tc),
      off(scratch), n, T, u, o.hard ? 1 : 0);
    scratch.dispose();
    // Saved tensors are kept (as clones) by the tape until the backward pass; the mask too.
    save([x2d, w, uk, hprev, cprev, gates, tc, ...(maskF ? [maskF] : [])]);
    const value = o.returnSequences ? hs : tf.reshape(tf.slice(hs, [0, T - 1, 0], [n, 1, u]), [n, u]);
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const g = upstream(dy);
        const [sx2d, sw, suk, shprev, scprev, sgates, stc] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const smask = saved[7];
        const ukT = tf.transpose(suk);
        const dgx = heapTensor(backend, [n, T, 4 * u]);
        const scr = heapTensor(backend, [3 * n * u]);
        simd.lstm_backward(off(ukT), smask ? off(smask) : 0, off(scprev), off(sgates), off(stc), off(g), o.returnSequences ? 0 : 1,
          off(dgx), off(scr), n, T, u, o.hard ? 1 : 0);
        const dgx2d = tf.reshape(dgx, [n * T, 4 * u]);
        const dW = tf.matMul(sx2d, dgx2d, true, false);
        const db = tf.sum(dgx2d, 0);
        const dU = tf.matMul(tf.reshape(shprev, [n * T, u]), dgx2d, true, false);
        let dx = tf.reshape(tf.matMul(dgx2d, sw, false, true), [n, T, d]);
        if (o.goBackwards) dx = tf.reverse(dx, 1);
        return [dx, dW, dU, db];
      },
    };
  });
  const out = f(x, kernel, recurrentKernel, bias);
  maskF?.dispose();
  return out;
}
