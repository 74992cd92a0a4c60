/**
 * What the whole-sequence GRU and LSTM (fusedGru.ts, fusedLstm.ts) share: the tfjs-layers
 * fields they read, when a layer call can take the fused path, and the step mask in the order
 * the recurrence runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { currentSimd, singleInput } from './layerCall';
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

/** What a fused recurrent call runs on. */
export interface FusedRecurrentArgs {
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
export function fusedRecurrentArgs(layer: RecurrentLayerLike, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): FusedRecurrentArgs | null {
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
export function cellBias(cell: RecurrentCellLike, gates: number): tf.Tensor {
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
