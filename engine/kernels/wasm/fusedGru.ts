/**
 * A whole-sequence GRU for the wasm backend. tfjs-layers runs a GRU as ~40 small kernels per
 * time step, forward and backward, each with the engine's bookkeeping: for length 30 that is
 * thousands of kernel calls a step, most of the GRU's time. Here the input projection x·W is
 * one large matmul, the recurrence runs in one SIMD call (gru_forward / gru_backward in
 * simd/kernels.c), and the weight gradients are again large matmuls.
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
import { heapTensor, upstream } from './layerCall';
import { installFusedRecurrent, stepMask, type SequenceOptions } from './recurrentCall';
import type { SimdKernels } from './simdKernels';
import { offsetOf, type WasmBackend } from './wasmBackend';

let fusedCalls: (() => number) | undefined;

/** How many GRU layer calls took the whole-sequence path (tests check it was used). */
export function fusedGruCalls(): number {
  return fusedCalls?.() ?? 0;
}

/** Patches tfjs-layers' GRU class (idempotent). */
export function installFusedGru(): void {
  fusedCalls ??= installFusedRecurrent(tfl.layers.gru({ units: 1 }), 3, gruSequence);
}

/**
 * The GRU layer's output for x [n, T, d], kernel W [d, 3u], recurrent kernel U [u, 3u],
 * bias b [3u]; differentiable in x, W, U and b.
 */
function gruSequence(
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
  const f = tf.customGrad((...args: (tf.Tensor | ((s: tf.Tensor[]) => void))[]) => {
    const [xIn, w, uk, b] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const save = args[4] as (s: tf.Tensor[]) => void;
    const xs = o.goBackwards ? tf.reverse(xIn, 1) : xIn;
    const x2d = tf.reshape(xs, [n * T, d]);
    const gx = tf.add(tf.matMul(x2d, w), b);
    const hs = heapTensor(backend, [n, T, u]);
    const hprev = heapTensor(backend, [n, T, u]);
    const z = heapTensor(backend, [n, T, u]);
    const r = heapTensor(backend, [n, T, u]);
    const hh = heapTensor(backend, [n, T, u]);
    const rh = heapTensor(backend, [n, T, u]);
    const scratch = heapTensor(backend, [n * 3 * u]);
    const off = (t: tf.Tensor): number => offsetOf(backend, t);
    simd.gru_forward(off(gx), off(uk), maskF ? off(maskF) : 0, off(hs), off(hprev), off(z), off(r), off(hh), off(rh),
      off(scratch), n, T, u, o.hard ? 1 : 0);
    scratch.dispose();
    // Saved tensors are kept (as clones) by the tape until the backward pass; the mask too.
    save([x2d, w, uk, hprev, z, r, hh, rh, ...(maskF ? [maskF] : [])]);
    const value = o.returnSequences ? hs : tf.reshape(tf.slice(hs, [0, T - 1, 0], [n, 1, u]), [n, u]);
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const g = upstream(dy);
        const [sx2d, sw, suk, shprev, sz, sr, shh, srh] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const smask = saved[8];
        const ukT = tf.transpose(suk);
        const dgx = heapTensor(backend, [n, T, 3 * u]);
        const scr = heapTensor(backend, [n * 3 * u]);
        simd.gru_backward(off(ukT), smask ? off(smask) : 0, off(shprev), off(sz), off(sr), off(shh), off(g), o.returnSequences ? 0 : 1,
          off(dgx), off(scr), n, T, u, o.hard ? 1 : 0);
        const dgx2d = tf.reshape(dgx, [n * T, 3 * u]);
        const dW = tf.matMul(sx2d, dgx2d, true, false);
        const db = tf.sum(dgx2d, 0);
        const dU = tf.concat([
          tf.matMul(tf.reshape(shprev, [n * T, u]), tf.slice(dgx2d, [0, 0], [n * T, 2 * u]), true, false),
          tf.matMul(tf.reshape(srh, [n * T, u]), tf.slice(dgx2d, [0, 2 * u], [n * T, u]), true, false),
        ], 1);
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
