/**
 * A Dense layer (linear, relu or elu, with a bias) as one op forward and one backward on the wasm
 * backend. tfjs-layers asks for tfjs's fused matMul, but tfjs-core fuses only outside a gradient
 * (shouldFuse), so in training a Dense layer ran as BatchMatMul, Add and the activation, and
 * backpropagated as ~6 more kernels (Step, Multiply, Sum, Reshape, two products), each with the
 * engine's per-op bookkeeping. Here: forward our product with the bias and activation applied in
 * the same pass over its output (bias_act_forward); backward dz and dbias in one pass
 * (bias_act_backward), then dx = dz·Wᵀ and dW = xᵀ·dz, each only if the backward pass asks for
 * it (lazyGradOp). Installed as Dense's `call`; anything
 * else (other activations, no bias, inputs of rank ≠ 2, other backends) runs tfjs-layers' code.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { currentSimd, heapTensor, lazyGradOp, replaceLayerCall, singleInput, type LayerCall } from './layerCall';
import { biasActForward, MIN_MATMUL_MACS } from './threadedGemm';
import { matmul, offsetOf } from './wasmBackend';

interface LayerVar {
  read(): tf.Tensor;
}

/** The fields of tfjs-layers' Dense this path reads. */
interface DenseLike {
  kernel: LayerVar;
  bias: LayerVar | null;
  activation: { getClassName(): string };
  invokeCallHook?(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): void;
}

const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, elu: 2 };

let original: LayerCall<DenseLike> | undefined;
let fusedCalls = 0;

/** How many Dense calls took the fused path (tests check it was used). */
export function fusedDenseCalls(): number {
  return fusedCalls;
}

export function installFusedDense(): void {
  original ??= replaceLayerCall(tfl.layers.dense({ units: 1 }), fusedCall);
}

function fusedCall(this: DenseLike, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
  const x = singleInput(inputs);
  const act = ACTIVATIONS[this.activation.getClassName()];
  const usable = x !== undefined && x.dtype === 'float32' && x.rank === 2 && act !== undefined && this.bias !== null;
  const wasm = usable ? currentSimd() : null;
  if (wasm === null || x === undefined || act === undefined) return (original as LayerCall<DenseLike>).call(this, inputs, kwargs);
  fusedCalls++;
  this.invokeCallHook?.(inputs, kwargs);
  return tf.tidy(() => denseOp(wasm, x, this.kernel.read(), (this.bias as LayerVar).read(), act));
}

/**
 * act(x·kernel + bias) for x [m, k] as one op each way (see above): the Dense layer's path, and
 * the loss head's logits (lossHead.ts) with act 0 (linear). Null when not on wasm with our kernels.
 */
export function linearOp(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor | null {
  const wasm = x.dtype === 'float32' && x.rank === 2 ? currentSimd() : null;
  return wasm === null ? null : denseOp(wasm, x, kernel, bias, 0);
}

function denseOp(wasm: NonNullable<ReturnType<typeof currentSimd>>, x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, act: number): tf.Tensor {
  const { backend, simd } = wasm;
  const off = (t: tf.TensorInfo): number => offsetOf(backend, t);
  const [m, k] = x.shape as [number, number];
  const n = kernel.shape[1] as number;
  if (kernel.rank !== 2 || kernel.shape[0] !== k || bias.size !== n) {
    throw new Error(`Dense: input [${x.shape}] does not fit kernel [${kernel.shape}] and bias [${bias.shape}]`);
  }
  return lazyGradOp([x, kernel, bias], (save) => {
    const z = matmul(backend, x, kernel, m, k, n, MIN_MATMUL_MACS);
    biasActForward(simd, off(z), off(bias), off(z), m, n, act);
    const y = tf.engine().makeTensorFromTensorInfo({ dataId: z.dataId, shape: [m, n], dtype: 'float32' });
    save([x, kernel, y]);
    return {
      value: y,
      grads: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw, sy] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        // Linear (the loss head's logits): dz is dy itself, dbias its column sums.
        const dz = act === 0 ? dy : heapTensor(backend, [m, n]);
        const dbias = heapTensor(backend, [n]);
        if (act === 0) simd.sum_leading(off(dy), off(dbias), m, n);
        else simd.bias_act_backward(off(sy), off(dy), off(dz), off(dbias), m, n, act);
        return [() => tf.matMul(dz, sw, false, true), () => tf.matMul(sx, dz, true, false), () => dbias];
      },
    };
  });
}
