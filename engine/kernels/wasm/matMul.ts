/**
 * BatchMatMul and _FusedMatMul for the wasm backend on our GEMM (wasmBackend.ts matmul: SIMD,
 * fused multiply-add where the engine has it, two threads when large). tfjs-wasm's XNNPACK path
 * re-packs b whenever b is a new tensor, which in training is every step (every weight after
 * its update, every gradient), and is 10–65× slower with either transpose flag set — exactly
 * what every Dense and recurrent gradient asks for (xᵀ·dy, dy·Wᵀ). Transposed operands are
 * transposed into a scratch buffer with SIMD first. _FusedMatMul's bias and linear / relu / elu
 * activation are applied in one pass (bias_act_forward). Batched products (leading dims > 1),
 * other activations and non-float inputs keep tfjs's kernel, with the flags still taken out.
 */
import * as tf from '@tensorflow/tfjs-core';
import { simdKernelsFor, type SimdKernels } from './simdKernels';
import { biasActForward, MIN_MATMUL_MACS } from './threadedGemm';
import { allocF32, free, matmul, offsetOf, view, type KernelArgs, type WasmBackend } from './wasmBackend';

/** bias_act_forward's activation codes. */
const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, elu: 2 };

/** t[..., r, c] → [..., c, r] in a new buffer (batch = product of the leading dims). */
function transposeLast2(backend: WasmBackend, simd: SimdKernels, t: tf.TensorInfo): tf.TensorInfo {
  const rank = t.shape.length;
  const r = t.shape[rank - 2] as number;
  const c = t.shape[rank - 1] as number;
  const lead = t.shape.slice(0, -2);
  const batch = tf.util.sizeFromShape(lead);
  const outShape = [...lead, c, r];
  const out = allocF32(backend, outShape, false);
  const src = offsetOf(backend, t);
  const dst = offsetOf(backend, out);
  for (let b = 0; b < batch; b++) simd.transpose2d(src + b * r * c * 4, dst + b * r * c * 4, r, c);
  return view(out, outShape);
}

interface MatMulAttrs {
  transposeA?: boolean;
  transposeB?: boolean;
  activation?: string;
}

/**
 * The product's m, k, n (operands already untransposed) and _FusedMatMul's bias and activation
 * code, when our path can compute it: one product (no batch), a float32 bias of n values or
 * none, linear / relu / elu. Null otherwise.
 */
function oursFor(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  inputs: tf.NamedTensorInfoMap,
  attrs: MatMulAttrs,
): { m: number; k: number; n: number; bias: tf.TensorInfo | undefined; act: number } | null {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (tf.util.sizeFromShape(a.shape.slice(0, -2)) !== 1 || tf.util.sizeFromShape(b.shape.slice(0, -2)) !== 1) return null;
  const m = a.shape[ra - 2] as number;
  const k = a.shape[ra - 1] as number;
  const n = b.shape[rb - 1] as number;
  if (inputs['preluActivationWeights'] !== undefined) return null;
  const act = ACTIVATIONS[attrs.activation ?? 'linear'];
  if (act === undefined) return null;
  const bias = inputs['bias'] as tf.TensorInfo | undefined;
  if (bias === undefined) return act === 0 ? { m, k, n, bias, act } : null;
  if (bias.dtype !== 'float32' || tf.util.sizeFromShape(bias.shape) !== n) return null;
  return { m, k, n, bias, act };
}

export function makeMatMulWasm(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const attrs = args.attrs as MatMulAttrs & tf.NamedAttrMap;
    const a = args.inputs['a'] as tf.TensorInfo;
    const b = args.inputs['b'] as tf.TensorInfo;
    const simd = simdKernelsFor(backend);
    const call = (inputs: tf.NamedTensorInfoMap, at: tf.NamedAttrMap) =>
      original({ inputs, backend: args.backend, attrs: at } as unknown as Parameters<tf.KernelFunc>[0]);
    if (simd === null || a.dtype !== 'float32' || b.dtype !== 'float32') return call(args.inputs, args.attrs ?? {});
    const temps: tf.TensorInfo[] = [];
    let a2 = a;
    let b2 = b;
    if (attrs.transposeA) temps.push((a2 = transposeLast2(backend, simd, a)));
    if (attrs.transposeB) temps.push((b2 = transposeLast2(backend, simd, b)));
    const fused = oursFor(a2, b2, args.inputs, attrs);
    if (fused === null) {
      const out = call({ ...args.inputs, a: a2, b: b2 }, { ...attrs, transposeA: false, transposeB: false });
      free(backend, ...temps);
      return out;
    }
    const { m, k, n, bias, act } = fused;
    const out = matmul(backend, a2, b2, m, k, n, MIN_MATMUL_MACS);
    free(backend, ...temps);
    if (bias !== undefined) biasActForward(simd, offsetOf(backend, out), offsetOf(backend, bias), offsetOf(backend, out), m, n, act);
    // tfjs's kernel keeps the inputs' rank: [m, n] for matrices, [1, …, m, n] for batches of one.
    const lead = Math.max(a.shape.length, b.shape.length) - 2;
    return view(out, [...(new Array(lead).fill(1) as number[]), m, n]);
  }) as unknown as tf.KernelFunc;
}
