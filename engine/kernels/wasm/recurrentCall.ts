/**
 * What the whole-sequence GRU and LSTM (fusedGru.ts, fusedLstm.ts) share: the tfjs-layers
 * fields they read, when a layer call can take the fused path, and the step mask in the order
 * the recurrence runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { currentSimd, replaceLayerCall, singleInput, type LayerCall } from './layerCall';
import type { SimdKernels } from './simdKernels';
import type { WasmBackend } from './wasmBackend';

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
 * A layer's whole-sequence output for x [n, T, d], kernel W [d, g·u], recurrent kernel
 * U [u, g·u], bias [g·u] and tfjs's mask; differentiable in x, W, U and the bias.
 */
export type SequenceFn = (
  backend: WasmBackend,
  simd: SimdKernels,
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  mask: tf.Tensor | null,
  o: SequenceOptions,
) => tf.Tensor;

/**
 * Makes `sequence` the `call` of every layer of `probe`'s class (a GRU or LSTM with `gates`
 * gate blocks) wherever fusedRecurrentArgs allows, tfjs's own call elsewhere. Returns how many
 * calls took the fused path so far (tests check it was used).
 */
export function installFusedRecurrent(probe: object, gates: number, sequence: SequenceFn): () => number {
  let calls = 0;
  const original: LayerCall<RecurrentLayerLike> = replaceLayerCall(probe, function fusedCall(this: RecurrentLayerLike, inputs, kwargs) {
    const r = fusedRecurrentArgs(this, inputs, kwargs);
    if (r === null) return original.call(this, inputs, kwargs);
    calls++;
    const cell = this.cell;
    return tf.tidy(() =>
      sequence(r.backend, r.simd, r.x, cell.kernel.read(), cell.recurrentKernel.read(), cellBias(cell, gates), r.mask, {
        units: cell.units, hard: r.hard, goBackwards: this.goBackwards, returnSequences: this.returnSequences,
      }));
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
    x !== undefined && x.rank === 3 && x.dtype === 'float32' &&
    !layer.stateful && !layer.returnState && kwargs?.['initialState'] == null &&
    !(cell.dropout > 0) && !(cell.recurrentDropout > 0) && cell.activation.getClassName() === 'tanh' &&
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
export function stepMask(mask: tf.Tensor | null, n: number, T: number, goBackwards: boolean): tf.Tensor | null {
  if (mask === null) return null;
  return tf.tidy(() => {
    const m = tf.cast(tf.cast(tf.reshape(mask, [n, T]), 'bool'), 'float32');
    return goBackwards ? tf.reverse(m, 1) : m;
  });
}
