/**
 * BatchMatMul and _FusedMatMul for the wasm backend with the transpose flags taken out:
 * tfjs-wasm's XNNPACK path is fast only for a[M,K]·b[K,N], and 10–65× slower with either flag
 * set — which is exactly what every Dense and recurrent gradient asks for (xᵀ·dy, dy·Wᵀ). We
 * transpose the operand into a scratch buffer with SIMD and call tfjs's own kernel untransposed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { simdKernelsFor, type SimdKernels } from './simdKernels';
import { allocF32, free, offsetOf, view, type KernelArgs, type WasmBackend } from './wasmBackend';

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

export function makeMatMulWasm(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean } & tf.NamedAttrMap;
    const a = args.inputs['a'] as tf.TensorInfo;
    const b = args.inputs['b'] as tf.TensorInfo;
    const simd = simdKernelsFor(backend);
    const call = (inputs: tf.NamedTensorInfoMap, at: tf.NamedAttrMap) =>
      original({ inputs, backend: args.backend, attrs: at } as unknown as Parameters<tf.KernelFunc>[0]);
    if ((!attrs.transposeA && !attrs.transposeB) || simd === null || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return call(args.inputs, args.attrs ?? {});
    }
    const temps: tf.TensorInfo[] = [];
    let a2 = a;
    let b2 = b;
    if (attrs.transposeA) temps.push((a2 = transposeLast2(backend, simd, a)));
    if (attrs.transposeB) temps.push((b2 = transposeLast2(backend, simd, b)));
    const out = call({ ...args.inputs, a: a2, b: b2 }, { ...attrs, transposeA: false, transposeB: false });
    free(backend, ...temps);
    return out;
  }) as unknown as tf.KernelFunc;
}
