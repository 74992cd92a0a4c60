/**
 * An Activation layer of relu or elu as one op each way on the wasm backend. tfjs runs relu's
 * gradient as Step(x) then Multiply(dy, step): two kernels, two passes and a tensor between
 * them, each with the engine's bookkeeping; a residual CNN's Activation blocks after each
 * BatchNorm paid that four times a step. Here the forward is one pass (act_forward) and the
 * backward one pass from the output (act_backward: dy where y > 0, as tfjs's Step; elu as
 * EluGrad). Installed as Activation's `call`; other activations, dtypes and backends run
 * tfjs-layers' code.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { currentSimd, heapTensor, lazyGradOp, replaceLayerCall, singleInput, type LayerCall } from './layerCall';
import { offsetOf } from './wasmBackend';

/** The fields of tfjs-layers' Activation this path reads. */
interface ActivationLike {
  activation: { getClassName(): string };
  invokeCallHook?(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): void;
}

/** act_forward / act_backward's codes (as bias_act's in kernels.c). */
const ACTIVATIONS: Record<string, number> = { relu: 1, elu: 2 };

let original: LayerCall<ActivationLike> | undefined;
let fusedCalls = 0;

/** How many Activation calls took the fused path (tests check it was used). */
export function fusedActivationCalls(): number {
  return fusedCalls;
}

export function installFusedActivation(): void {
  original ??= replaceLayerCall(tfl.layers.activation({ activation: 'relu' }), fusedCall);
}

function fusedCall(this: ActivationLike, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
  const x = singleInput(inputs);
  const act = ACTIVATIONS[this.activation.getClassName()];
  const usable = x !== undefined && x.dtype === 'float32' && act !== undefined;
  const wasm = usable ? currentSimd() : null;
  if (wasm === null || x === undefined || act === undefined) return (original as LayerCall<ActivationLike>).call(this, inputs, kwargs);
  fusedCalls++;
  this.invokeCallHook?.(inputs, kwargs);
  const { backend, simd } = wasm;
  const off = (t: tf.TensorInfo): number => offsetOf(backend, t);
  return lazyGradOp([x], (save) => {
    const y = heapTensor(backend, [...x.shape]);
    simd.act_forward(off(x), off(y), x.size, act);
    save([y]);
    return {
      value: y,
      grads: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        () => {
          const sy = saved[0] as tf.Tensor;
          const dx = heapTensor(backend, [...sy.shape]);
          simd.act_backward(off(sy), off(dy), off(dx), sy.size, act);
          return dx;
        },
      ],
    };
  });
}
