/**
 * Helpers the block files share: param schemas that recur, shape arithmetic, and the checks
 * that turn a wrong input into an issue a person understands. Pure: no tfjs values.
 */
import { z } from 'zod';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { InferResult } from './defineBlock';
import type { EdgeId } from '../graph/document';
import type { DType, GraphIssue, IssueCode, Shape, TensorType } from '../graph/types';
import { rankWord, type IssueHintKey, type IssueMessageKey, type IssueParams } from '../graph/issueWords';

/** Which sentences an issue's message and hint are, and the values they name (engine/graph/issueWords.ts). */
export interface IssueWords {
  key: IssueMessageKey;
  hintKey?: IssueHintKey;
  params?: IssueParams;
}

/** Activation functions a layer may apply (a subset of tfjs's, all exportable to PyTorch). */
export const ACTIVATIONS = ['linear', 'relu', 'elu', 'selu', 'gelu', 'tanh', 'sigmoid', 'softmax'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export function activationParam(defaultFn: ActivationName) {
  return z.enum(ACTIVATIONS).default(defaultFn).describe('Function applied to each output value; "linear" applies none.');
}

/** Help text and, where the value has one, a unit the inspector shows beside the field. */
function helpMeta(help: string, unit?: string): { description: string; unit?: string } {
  return unit ? { description: help, unit } : { description: help };
}

/** An integer param with a range, help text and optional unit (e.g. "steps", "channels"). */
export function intParam(min: number, max: number, def: number, help: string, unit?: string) {
  return z.number().int().min(min).max(max).default(def).meta(helpMeta(help, unit));
}

/** An integer, or a [height, width] pair, for 2D kernels, strides and pools. */
export function pairParam(min: number, max: number, def: number, help: string, unit?: string) {
  const n = z.number().int().min(min).max(max);
  return z
    .union([n, z.tuple([n, n])])
    .default(def)
    .meta(helpMeta(help, unit));
}

export function toPair(v: number | readonly [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/** Keras-style text of a shape: `[null, 17, 256]`. */
export function showShape(shape: Shape): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

/** The non-batch dims. Every dim but the batch axis is known in Modelwright graphs. */
export function dimsOf(t: TensorType): number[] {
  return t.shape.slice(1).map((d) => d ?? 0);
}

export function product(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}

/** Elements per example (everything but the batch axis). */
export function sizeOf(t: TensorType): number {
  return product(dimsOf(t));
}

export function ok(shape: Shape, dtype: DType = 'float32', masked = false): InferResult {
  return masked ? { ok: true, out: { shape, dtype, masked } } : { ok: true, out: { shape, dtype } };
}

/** An issue on one port; `words` say which sentences `message` and `hint` are, for other languages. */
export function fail(code: IssueCode, message: string, hint?: string, port = 'in', words?: IssueWords): InferResult {
  const issue: Omit<GraphIssue, 'nodeId'> = hint === undefined ? { code, port, message } : { code, port, message, hint };
  return { ok: false, issues: [words ? { ...issue, ...words } : issue] };
}

/** A shape mismatch on the wire that brought input `index` of a multi-input block. */
export function mismatchOnInput(ctx: { inputEdgeIds?: readonly EdgeId[] }, index: number, message: string, hint: string, words?: IssueWords): InferResult {
  const edgeId = ctx.inputEdgeIds?.[index];
  return { ok: false, issues: [{ code: 'shape-mismatch', port: 'in', ...(edgeId ? { edgeId } : {}), message, hint, ...words }] };
}

/** What a block got, for the sentences that say so: its rank and shape (each language words the rank). */
export function gotParams(t: TensorType): IssueParams {
  return { gotRank: rankWord(t.shape.length), rank: t.shape.length, gotShape: showShape(t.shape) };
}

/** Refuses int32 token ids where a float tensor is needed. */
export function needFloat(block: string, t: TensorType): InferResult | null {
  if (t.dtype === 'float32') return null;
  return fail(
    'dtype-mismatch',
    `${block} needs float values; it got int32 token ids ${showShape(t.shape)}.`,
    'Put an Embedding between the token ids and this block, or use one-hot encoding (data.encoding "onehot", Input dtype float32).',
    'in',
    { key: 'need-float', hintKey: 'need-float', params: { block, shape: showShape(t.shape) } },
  );
}

const FLAT_HINT = 'Put a Flatten or a GlobalMaxPool1D/GlobalAvgPool1D before it, or a GRU/LSTM with returnSequences off.';

/** What a shape of each rank is, in words, for messages. */
export function describeRank(t: TensorType): string {
  switch (t.shape.length) {
    case 2:
      return `a flat vector ${showShape(t.shape)}`;
    case 3:
      return `a sequence ${showShape(t.shape)} (batch, length, channels)`;
    case 4:
      return `an image ${showShape(t.shape)} (batch, height, width, channels)`;
    default:
      return `a rank-${t.shape.length} tensor ${showShape(t.shape)}`;
  }
}

/** Needs a flat [batch, features] input (Dense, Output). */
export function needVector(block: string, t: TensorType): InferResult | null {
  const dtype = needFloat(block, t);
  if (dtype) return dtype;
  if (t.shape.length === 2) return null;
  const params = { block, ...gotParams(t) };
  if (t.shape.length > 2) {
    return fail(
      'rank-mismatch',
      `${block} needs a flat vector [batch, features]; it got ${describeRank(t)} with no Flatten or pooling before it.`,
      FLAT_HINT,
      'in',
      {
        key: 'need-vector-unflattened',
        hintKey: 'flatten-or-pool',
        params,
      },
    );
  }
  return fail('rank-mismatch', `${block} needs a flat vector [batch, features]; it got ${describeRank(t)}.`, undefined, 'in', { key: 'need-vector', params });
}

/** Needs a [batch, length, channels] sequence (Conv1D, 1D pools, RNNs). */
export function needSequence(block: string, t: TensorType): InferResult | null {
  const dtype = needFloat(block, t);
  if (dtype) return dtype;
  if (t.shape.length === 3) return null;
  const params = { block, ...gotParams(t) };
  if (t.shape.length === 2) {
    return fail(
      'rank-mismatch',
      `${block} needs a sequence [batch, length, channels]; it got ${describeRank(t)}, which has no length axis.`,
      'Feed it from the Input (one-hot) or an Embedding, or Reshape the vector to [length, channels] first; do not Flatten before it.',
      'in',
      { key: 'need-sequence-flat', hintKey: 'sequence-from-vector', params },
    );
  }
  if (t.shape.length === 4) {
    return fail(
      'rank-mismatch',
      `${block} needs a sequence [batch, length, channels]; it got ${describeRank(t)}.`,
      'Use the 2D version of this block for images, or Reshape to [length, channels].',
      'in',
      { key: 'need-sequence', hintKey: 'sequence-from-image', params },
    );
  }
  return fail(
    'rank-mismatch',
    `${block} needs a sequence [batch, length, channels]; it got ${describeRank(t)}.`,
    'Reshape to [length, channels] first.',
    'in',
    {
      key: 'need-sequence',
      hintKey: 'sequence-reshape',
      params,
    },
  );
}

/** Needs a [batch, height, width, channels] image (Conv2D, 2D pools). */
export function needImage(block: string, t: TensorType): InferResult | null {
  const dtype = needFloat(block, t);
  if (dtype) return dtype;
  if (t.shape.length === 4) return null;
  const fromSequence = t.shape.length === 3;
  const hint = fromSequence
    ? 'Use the 1D version of this block for sequences, or Reshape to [height, width, channels] first.'
    : 'Reshape to [height, width, channels] first.';
  return fail('rank-mismatch', `${block} needs an image [batch, height, width, channels]; it got ${describeRank(t)}.`, hint, 'in', {
    key: 'need-image',
    hintKey: fromSequence ? 'image-from-sequence' : 'image-reshape',
    params: { block, ...gotParams(t) },
  });
}

/** Output length of a convolution or pool along one axis (Keras rules). */
export function windowOut(length: number, window: number, stride: number, dilation: number, padding: 'valid' | 'same' | 'causal'): number {
  if (padding === 'valid') {
    const span = dilation * (window - 1) + 1;
    return Math.floor((length - span) / stride) + 1;
  }
  return Math.ceil(length / stride);
}

const AXIS_WORDS = { length: 'the sequence length', height: 'the height', width: 'the width' } as const;

/** The issue for a window that does not fit: a dimension would shrink below 1. */
export function tooSmall(block: string, axis: keyof typeof AXIS_WORDS, length: number, window: number, dilation = 1): InferResult {
  const span = dilation * (window - 1) + 1;
  return fail(
    'shape-too-small',
    `${block} with a window of ${span} along ${AXIS_WORDS[axis]} needs at least ${span} there; it got ${length}, so its output would be empty.`,
    'Use padding "same", a smaller kernel or pool, or fewer strided/pooling blocks before this one.',
    'in',
    { key: 'window-too-small', hintKey: 'window-too-small', params: { block, axis, span, length } },
  );
}

/** Applies a tfjs layer to symbolic inputs; the cast is safe because inputs are symbolic. */
export function applyLayer(layer: { apply(x: SymbolicTensor | SymbolicTensor[]): unknown }, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  return layer.apply(x) as SymbolicTensor;
}

/** `{ name }` when the compiler gave one, so layers carry the node id. */
export function named(name: string | undefined): { name?: string } {
  return name ? { name } : {};
}
