/**
 * GlobalAveragePooling1D and GlobalAveragePooling2D (channels last) on the wasm backend as one
 * pass each way (mean_middle, mean_middle_grad). tfjs backpropagates mean(x, axes) as a ones
 * tensor of x's whole shape built in JavaScript, a Multiply and a RealDiv, plus Reshapes: a
 * residual CNN's [64, 7, 7, 32] paid ~0.4 ms a step for the ones alone. Installed as each layer's
 * `call`; channels-first, non-float inputs and other backends run tfjs-layers' own code.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { currentSimd, heapTensor, lazyGradOp, replaceLayerCall, singleInput, type LayerCall } from './layerCall';
import { offsetOf } from './wasmBackend';

/** The field of tfjs-layers' global pooling layers this path reads. */
interface PoolLike {
  dataFormat?: string;
}

let original1d: LayerCall<PoolLike> | undefined;
let original2d: LayerCall<PoolLike> | undefined;
let fusedCalls = 0;

/** How many global average pooling calls took the fused path (tests check it was used). */
export function fusedGlobalAvgPoolCalls(): number {
  return fusedCalls;
}

export function installFusedGlobalAvgPool(): void {
  original1d ??= replaceLayerCall(tfl.layers.globalAveragePooling1d({}), function (this: PoolLike, inputs, kwargs) {
    return fusedCall(this, inputs, kwargs, 3, original1d as LayerCall<PoolLike>);
  });
  original2d ??= replaceLayerCall(tfl.layers.globalAveragePooling2d({}), function (this: PoolLike, inputs, kwargs) {
    return fusedCall(this, inputs, kwargs, 4, original2d as LayerCall<PoolLike>);
  });
}

function fusedCall(
  layer: PoolLike,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown>,
  rank: 3 | 4,
  original: LayerCall<PoolLike>,
): tf.Tensor | tf.Tensor[] {
  const x = singleInput(inputs);
  const usable = x !== undefined && x.dtype === 'float32' && x.rank === rank && x.size > 0 && (rank === 3 || layer.dataFormat !== 'channelsFirst');
  const wasm = usable ? currentSimd() : null;
  if (wasm === null || x === undefined) return original.call(layer, inputs, kwargs);
  fusedCalls++;
  const { backend, simd } = wasm;
  const outer = x.shape[0] as number;
  const channels = x.shape[rank - 1] as number;
  const positions = x.size / outer / channels;
  const off = (t: tf.TensorInfo): number => offsetOf(backend, t);
  return lazyGradOp([x], () => {
    const y = heapTensor(backend, [outer, channels]);
    simd.mean_middle(off(x), off(y), outer, positions, channels);
    return {
      value: y,
      grads: (dy: tf.Tensor) => [
        () => {
          const dx = heapTensor(backend, [...x.shape]);
          simd.mean_middle_grad(off(dy), off(dx), outer, positions, channels);
          return dx;
        },
      ],
    };
  });
}
