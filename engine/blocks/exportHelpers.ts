/**
 * Helpers the blocks' export forms share: activations in Python and in ONNX, TensorFlow's
 * "same" padding, and weight rearrangement. Pure: no tfjs, no files.
 */
import type { ActivationName } from './common';
import type { FormResult, OnnxContext, OnnxForm, PyTorchForm, WeightTransform, WeightValue } from './exportForms';

export function formOk<F>(form: F): FormResult<F> {
  return { ok: true, form };
}

/** `expr` with the activation `fn` applied, in PyTorch (softmax over the last axis, as tfjs). */
export function pyActivation(expr: string, fn: ActivationName): string {
  switch (fn) {
    case 'linear':
      return expr;
    case 'relu':
      return `torch.relu(${expr})`;
    case 'elu':
      return `F.elu(${expr})`;
    case 'selu':
      return `F.selu(${expr})`;
    case 'gelu':
      // tfjs's "gelu" is the exact one, x·Φ(x) with erf (not the tanh approximation).
      return `F.gelu(${expr})`;
    case 'tanh':
      return `torch.tanh(${expr})`;
    case 'sigmoid':
      return `torch.sigmoid(${expr})`;
    case 'softmax':
      return `torch.softmax(${expr}, dim=-1)`;
  }
}

/** Applies the activation `fn` to the ONNX value `x`; returns the result (x itself for linear). */
export function onnxActivation(g: OnnxContext['g'], x: string, fn: ActivationName): string {
  switch (fn) {
    case 'linear':
      return x;
    case 'relu':
      return g.op('Relu', [x])[0]!;
    case 'elu':
      return g.op('Elu', [x], { alpha: { float: 1 } })[0]!;
    case 'selu':
      return g.op('Selu', [x])[0]!;
    case 'gelu': {
      // x · 0.5 · (1 + erf(x / √2)): opset 13 has no Gelu operator.
      const scaled = g.op('Div', [x, g.floats('sqrt2', [], Float32Array.of(Math.SQRT2))])[0]!;
      const erf = g.op('Erf', [scaled])[0]!;
      const onePlus = g.op('Add', [erf, g.floats('one', [], Float32Array.of(1))])[0]!;
      const half = g.op('Mul', [x, g.floats('half', [], Float32Array.of(0.5))])[0]!;
      return g.op('Mul', [half, onePlus])[0]!;
    }
    case 'tanh':
      return g.op('Tanh', [x])[0]!;
    case 'sigmoid':
      return g.op('Sigmoid', [x])[0]!;
    case 'softmax':
      return g.op('Softmax', [x], { axis: { int: -1 } })[0]!;
  }
}

/** An ONNX form whose output is `output`. */
export function onnxOk(output: string, mask?: string): FormResult<OnnxForm> {
  return { ok: true, form: mask === undefined ? { output } : { output, mask } };
}

export type PyTorchResult = FormResult<PyTorchForm>;

/**
 * TensorFlow's "same" padding of one axis: [before, after] so that the output has
 * ceil(size / stride) steps; the odd cell goes after (so it is asymmetric when the total is odd).
 */
export function samePadding(size: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const out = Math.ceil(size / stride);
  const span = dilation * (kernel - 1) + 1;
  const total = Math.max((out - 1) * stride + span - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The padding of a convolution or pool along one axis for the block's `padding` param. */
export function axisPadding(padding: 'valid' | 'same' | 'causal', size: number, kernel: number, stride: number, dilation = 1): [number, number] {
  if (padding === 'valid') return [0, 0];
  if (padding === 'causal') return [dilation * (kernel - 1), 0];
  return samePadding(size, kernel, stride, dilation);
}

/** `value` reshaped (row-major) and then with its axes permuted, as `t` says. */
export function transformWeight(value: WeightValue, t: WeightTransform): WeightValue {
  const shape = t.reshape ?? value.shape;
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== value.values.length) throw new Error(`cannot reshape ${value.shape.join('×')} to ${shape.join('×')}`);
  if (!t.perm) return { shape: [...shape], values: value.values };
  const perm = t.perm;
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const out = new Float32Array(size);
  const index = new Array<number>(rank).fill(0);
  const strides = perm.map((p) => inStrides[p]!);
  for (let o = 0; o < size; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += index[i]! * strides[i]!;
    out[o] = value.values[src]!;
    for (let i = rank - 1; i >= 0; i--) {
      if (++index[i]! < outShape[i]!) break;
      index[i] = 0;
    }
  }
  return { shape: outShape, values: out };
}

/**
 * The gate blocks of a [rows, gates·units] weight (or a [gates·units] bias) reordered: gate `i`
 * of the result is gate `order[i]` of the input (tfjs's LSTM is i, f, c, o; ONNX's i, o, f, c).
 */
export function reorderGates(value: WeightValue, gates: number, order: readonly number[]): WeightValue {
  const cols = value.shape[value.shape.length - 1]!;
  const units = cols / gates;
  const rows = value.values.length / cols;
  const out = new Float32Array(value.values.length);
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < gates; g++) {
      const from = value.values.subarray(r * cols + order[g]! * units, r * cols + (order[g]! + 1) * units);
      out.set(from, r * cols + g * units);
    }
  }
  return { shape: value.shape, values: out };
}

/** A Python literal for a list of ints: `(1, 2)`; one int stays bare. */
export function pyInts(values: readonly number[]): string {
  return values.length === 1 ? String(values[0]) : `(${values.join(', ')})`;
}
