/**
 * The whole-sequence path shared by our GRU and LSTM (fusedGru.ts, fusedLstm.ts): when a
 * tfjs-layers call can take it, the input projection x·W + b as one matmul, the layer's own
 * recurrence (a Recurrence: one SIMD call forward, one backward), and the weight and input
 * gradients as matmuls, with tfjs's masking and goBackwards semantics.
 */
import * as tf from '@tensorflow/tfjs-core';
import { currentSimd, heapTensor, replaceLayerCall, singleInput, upstream, type LayerCall } from './layerCall';
import type { SimdKernels } from './simdKernels';
import { threadsForWork } from './threadedGemm';
import { offsetOf, type WasmBackend } from './wasmBackend';

/** The fields of a tfjs-layers GRUCell / LSTMCell the fused paths read. */
export interface RecurrentCellLike {
  units: number;
  dropout: number;
  recurrentDropout: number;
  useBias: boolean;
  activation: { getClassName(): string };
  recurrentActivation: { getClassName(): string };
  kernel: { read(): tf.Tensor };
  recurrentKernel: { read(): tf.Tensor };
  bias?: { read(): tf.Tensor } | null;
}

/** The fields of a tfjs-layers GRU / LSTM layer the fused paths read. */
export interface RecurrentLayerLike {
  cell: RecurrentCellLike;
  stateful: boolean;
  returnState: boolean;
  returnSequences: boolean;
  goBackwards: boolean;
}

/** How the layer runs: its units, gates, direction and what it returns. */
export interface SequenceOptions {
  units: number;
  /** Gates are hardSigmoid (else sigmoid). */
  hard: boolean;
  goBackwards: boolean;
  returnSequences: boolean;
}

/**
 * The step-by-step part of a recurrent layer, as our SIMD kernels do it over the whole sequence.
 * The projection x·W + b before it and the weight gradients after it are large matmuls that
 * recurrentSequence does the same way for every layer kind.
 */
export interface Recurrence {
  /** Gate blocks along the last axis of W, U and the bias (GRU 3, LSTM 4). */
  gates: number;
  /**
   * The states hs [n, T, u] from gx [n, T, g·u] = x·W + b (in processing order), the recurrent
   * kernel U [u, g·u] and the step mask [n, T] (or null); and what the backward pass needs.
   * Without returnSequences it may also give the last state [n, u] itself (else it is sliced
   * from hs, which on wasm is a JavaScript copy).
   */
  forward(gx: tf.Tensor, uk: tf.Tensor, mask: tf.Tensor | null, o: SequenceOptions): { hs: tf.Tensor; saved: tf.Tensor[]; last?: tf.Tensor | null };
  /**
   * dL/dgx [n, T, g·u] and dL/dU from what forward saved, Uᵀ, the mask and dy: dL/dhs [n, T, u]
   * (returnSequences) or dL/dh_T [n, u].
   */
  backward(saved: tf.Tensor[], ukT: tf.Tensor, mask: tf.Tensor | null, dy: tf.Tensor, o: SequenceOptions): { dgx: tf.Tensor; dU: tf.Tensor };
}

/**
 * A recurrent layer's output for x [n, T, d], kernel W [d, g·u], recurrent kernel U [u, g·u],
 * bias [g·u] and tfjs's mask, differentiable in x, W, U and the bias: one matmul for the
 * projection, `rec` for the recurrence, matmuls for the gradients. A backwards layer runs on x
 * reversed in time and returns its sequence in processing order, as tfjs's does.
 */
function recurrentSequence(
  rec: Recurrence,
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  mask: tf.Tensor | null,
  o: SequenceOptions,
): tf.Tensor {
  const [n, T, d] = x.shape as [number, number, number];
  const u = o.units;
  const gu = rec.gates * u;
  const maskF = stepMask(mask, n, T, o.goBackwards);
  const f = tf.customGrad((...args: (tf.Tensor | ((s: tf.Tensor[]) => void))[]) => {
    const [xIn, w, uk, b] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const save = args[4] as (s: tf.Tensor[]) => void;
    const xs = o.goBackwards ? tf.reverse(xIn, 1) : xIn;
    const x2d = tf.reshape(xs, [n * T, d]);
    const gx = tf.reshape(tf.add(tf.matMul(x2d, w), b), [n, T, gu]);
    const { hs, saved, last } = rec.forward(gx, uk, maskF, o);
    // Saved tensors are kept (as clones) by the tape until the backward pass; the mask too.
    save([x2d, w, uk, ...saved, ...(maskF ? [maskF] : [])]);
    const value = o.returnSequences ? hs : (last ?? tf.reshape(tf.slice(hs, [0, T - 1, 0], [n, 1, u]), [n, u]));
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], all: tf.Tensor[]) => {
        const [sx2d, sw, suk] = all as [tf.Tensor, tf.Tensor, tf.Tensor];
        const own = all.slice(3, 3 + saved.length);
        const smask = maskF ? (all[3 + saved.length] as tf.Tensor) : null;
        const { dgx, dU } = rec.backward(own, tf.transpose(suk), smask, upstream(dy), o);
        const dgx2d = tf.reshape(dgx, [n * T, gu]);
        const dW = tf.matMul(sx2d, dgx2d, true, false);
        const db = tf.sum(dgx2d, 0);
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

/**
 * Makes the whole-sequence path the `call` of every layer of `probe`'s class (a GRU or LSTM)
 * wherever fusedRecurrentArgs allows, tfjs's own call elsewhere; `recurrence` builds the layer's
 * step-by-step part for the wasm backend and our kernels. Returns how many calls took the fused
 * path so far (tests check it was used).
 */
export function installFusedRecurrent(probe: object, recurrence: (backend: WasmBackend, simd: SimdKernels) => Recurrence): () => number {
  let calls = 0;
  const original: LayerCall<RecurrentLayerLike> = replaceLayerCall(probe, function fusedCall(this: RecurrentLayerLike, inputs, kwargs) {
    const r = fusedRecurrentArgs(this, inputs, kwargs);
    if (r === null) return original.call(this, inputs, kwargs);
    calls++;
    const cell = this.cell;
    const rec = recurrence(r.backend, r.simd);
    return tf.tidy(() =>
      recurrentSequence(rec, r.x, cell.kernel.read(), cell.recurrentKernel.read(), cellBias(cell, rec.gates), r.mask, {
        units: cell.units,
        hard: r.hard,
        goBackwards: this.goBackwards,
        returnSequences: this.returnSequences,
      }),
    );
  });
  return () => calls;
}

/** What a fused recurrent call runs on. */
interface FusedRecurrentArgs {
  backend: WasmBackend;
  simd: SimdKernels;
  /** The input, [n, T, d] float32. */
  x: tf.Tensor;
  /** tfjs's mask for the call (Embedding maskZero), if any. */
  mask: tf.Tensor | null;
  /** Gates are hardSigmoid (else sigmoid). */
  hard: boolean;
}

/**
 * The fused path's arguments when this call can take it: on wasm with our SIMD module, one
 * float32 [n, T, d] input, tanh activation, sigmoid or hardSigmoid gates, no dropout, not
 * stateful, no initial or returned state. Null otherwise (the caller runs tfjs's own code).
 */
function fusedRecurrentArgs(layer: RecurrentLayerLike, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): FusedRecurrentArgs | null {
  const x = singleInput(inputs);
  const cell = layer.cell;
  const rec = cell.recurrentActivation.getClassName();
  const usable =
    x !== undefined &&
    x.rank === 3 &&
    x.dtype === 'float32' &&
    !layer.stateful &&
    !layer.returnState &&
    kwargs?.['initialState'] == null &&
    !(cell.dropout > 0) &&
    !(cell.recurrentDropout > 0) &&
    cell.activation.getClassName() === 'tanh' &&
    (rec === 'sigmoid' || rec === 'hardSigmoid');
  const wasm = usable ? currentSimd() : null;
  if (wasm === null || x === undefined) return null;
  const mask = (kwargs?.['mask'] as tf.Tensor | null | undefined) ?? null;
  return { ...wasm, x, mask, hard: rec === 'hardSigmoid' };
}

/** The cell's bias, or zeros of `gates`·units where it has none. */
function cellBias(cell: RecurrentCellLike, gates: number): tf.Tensor {
  return cell.useBias && cell.bias ? cell.bias.read() : tf.zeros([gates * cell.units]);
}

/**
 * The mask as 0/1 floats [n, T] in processing order (reversed for a backwards layer): a masked
 * step carries the previous state. Null without a mask. The caller disposes it.
 */
function stepMask(mask: tf.Tensor | null, n: number, T: number, goBackwards: boolean): tf.Tensor | null {
  if (mask === null) return null;
  return tf.tidy(() => {
    const m = tf.cast(tf.cast(tf.reshape(mask, [n, T]), 'bool'), 'float32');
    return goBackwards ? tf.reverse(m, 1) : m;
  });
}

/**
 * Batch rows a claim when a recurrence runs on both threads (fusedLstm.ts, fusedGru.ts): about
 * eight claims, in multiples of the recurrent product's 4-row tiles.
 */
export function rowsPerClaim(n: number): number {
  return Math.max(4, Math.ceil(n / 8 / 4) * 4);
}

/** The recurrences' row kernels: (scratch, ...args, r0, r1) over batch rows [r0, r1). */
export type RecurrenceRowKernel = 'lstm_forward_rows' | 'lstm_backward_rows' | 'gru_forward_rows' | 'gru_backward_rows';

/**
 * Runs a recurrence's row kernel over batch rows [0, n) with `scratchPerRow` floats of scratch a
 * row. Batch rows are independent over the whole sequence, so where the heap is shared and the
 * work (`macs`, the recurrent products' multiply-adds) repays the wake-up, both threads take whole
 * rows, rowsPerClaim(n) a claim, with no step-by-step handshake; else this thread runs them all.
 * The bits are the same however the rows are split (tests/unit/kernels/threads.test.ts).
 */
export function runRecurrenceRows(
  backend: WasmBackend,
  simd: SimdKernels,
  kernel: RecurrenceRowKernel,
  args: readonly number[],
  n: number,
  macs: number,
  scratchPerRow: number,
): void {
  const threads = threadsForWork(n, macs);
  if (threads !== null && threads.inPlace) {
    const chunk = rowsPerClaim(n);
    threads.begin();
    threads.runChunks(kernel, args, n, chunk, chunk * scratchPerRow);
    return;
  }
  const scratch = heapTensor(backend, [n * scratchPerRow]);
  (simd[kernel] as (...a: number[]) => void)(offsetOf(backend, scratch), ...args, 0, n);
  scratch.dispose();
}
