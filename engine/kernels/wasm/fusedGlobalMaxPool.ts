/**
 * GlobalMaxPooling1D on the wasm backend as one SIMD pass forward (our Max over the middle axis)
 * and one backward. tfjs backpropagates max(x, 1) as Equal(x, y) → Cast → Multiply(dy, ·) plus
 * two Reshapes: three passes over [batch, steps, channels] and five kernels' bookkeeping
 * (~0.3 ms of a residual-CNN step); ours computes the same dy·(x == y), every tied maximum
 * getting dy as in tfjs. Installed as the layer's `call`; non-float inputs and other backends
 * run tfjs-layers' own code.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { currentSimd, heapTensor, replaceLayerCall, singleInput, upstream, type LayerCall } from './layerCall';
import { offsetOf } from './wasmBackend';

type Call = LayerCall<unknown>;

let original: Call | undefined;
let fusedCalls = 0;

/** How many GlobalMaxPooling1D calls took the fused path (tests check it was used). */
export function fusedGlobalMaxPoolCalls(): number {
  return fusedCalls;
}

export function installFusedGlobalMaxPool(): void {
  original ??= replaceLayerCall(tfl.layers.globalMaxPooling1d({}), fusedCall);
}

function fusedCall(this: unknown, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
  const fallback = original as Call;
  const x = singleInput(inputs);
  const usable = x !== undefined && x.dtype === 'float32' && x.rank === 3 && x.size > 0;
  const wasm = usable ? currentSimd() : null;
  if (wasm === null || x === undefined) return fallback.call(this, inputs, kwargs);
  fusedCalls++;
  const { backend, simd } = wasm;
  const [outer, steps, channels] = x.shape as [number, number, number];
  const off = (t: tf.Tensor): number => offsetOf(backend, t);
  const f = tf.customGrad((...args: (tf.Tensor | ((s: tf.Tensor[]) => void))[]) => {
    const xIn = args[0] as tf.Tensor;
    const save = args[1] as (s: tf.Tensor[]) => void;
    const y = heapTensor(backend, [outer, channels]);
    simd.max_middle(off(xIn), off(y), outer, steps, channels);
    save([xIn, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const g = upstream(dy);
        const [sx, sy] = saved as [tf.Tensor, tf.Tensor];
        const dx = heapTensor(backend, [outer, steps, channels]);
        simd.max_middle_grad(off(sx), off(sy), off(g), off(dx), outer, steps, channels);
        return dx;
      },
    };
  });
  return f(x);
}
