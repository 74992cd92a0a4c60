/**
 * MaxPooling2D and MaxPooling1D (channels last) on the wasm backend as one op each way. The
 * forward keeps each output's winning window position (a byte an output) as it pools
 * (max_pool_forward_images), so the backward sends each gradient there
 * (max_pool_grad_index_images) without searching x's windows again, as tfjs's MaxPoolGrad (and
 * ours, maxPoolGrad.ts) must. Both run on both threads by whole images where the work repays
 * it. tfjs-wasm's own MaxPool (XNNPACK) is one thread. The winner is the first largest tap, as
 * in maxPoolGrad.ts and tfjs's cpu backend. Installed as the two layers' `poolingFunction`;
 * channels-first, non-float inputs, windows of more than 255 taps and other backends run
 * tfjs-layers' own code.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { currentSimd, heapTensor, lazyGradOp } from './layerCall';
import { poolArgs } from './maxPoolGrad';
import { threadsForWork } from './threadedGemm';
import { offsetOf, type WasmBackend } from './wasmBackend';
import type { SimdKernels } from './simdKernels';

type PoolingFunction = (this: unknown, x: tf.Tensor, poolSize: [number, number], strides: [number, number], padding: string, dataFormat: string) => tf.Tensor;

let fusedCalls = 0;
let installed = false;

/** How many max-pooling calls took the fused path (tests check it was used). */
export function fusedMaxPoolCalls(): number {
  return fusedCalls;
}

export function installFusedMaxPool(): void {
  if (installed) return;
  installed = true;
  // MaxPooling1D pools its input expanded to [n, steps, 1, c] through the same function.
  for (const probe of [tfl.layers.maxPooling2d({ poolSize: 2 }), tfl.layers.maxPooling1d({ poolSize: 2 })]) {
    const proto = Object.getPrototypeOf(probe) as { poolingFunction: PoolingFunction };
    const original = proto.poolingFunction;
    proto.poolingFunction = function (x, poolSize, strides, padding, dataFormat) {
      const wasm = x.dtype === 'float32' && x.rank === 4 && dataFormat !== 'channelsFirst' && poolSize[0] * poolSize[1] <= 255 ? currentSimd() : null;
      if (wasm === null) return original.call(this, x, poolSize, strides, padding, dataFormat);
      fusedCalls++;
      return maxPoolOp(wasm.backend, wasm.simd, x, poolSize, strides ?? [1, 1], padding === 'same' ? 'same' : 'valid');
    };
  }
}

function maxPoolOp(
  backend: WasmBackend,
  simd: SimdKernels,
  x: tf.Tensor,
  poolSize: [number, number],
  strides: [number, number],
  pad: 'same' | 'valid',
): tf.Tensor {
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], poolSize, strides, 1, pad);
  const geometry = poolArgs(info);
  const n = info.batchSize;
  const outShape = [n, info.outHeight, info.outWidth, info.outChannels];
  const outSize = tf.util.sizeFromShape(outShape);
  const off = (t: tf.TensorInfo): number => offsetOf(backend, t);
  // A compare and a select per window tap, counted as 8 multiply-adds each against the two-thread threshold (as maxPoolGrad.ts).
  const work = outSize * info.filterHeight * info.filterWidth * 8;
  const run = (kernel: 'max_pool_forward_images' | 'max_pool_grad_index_images', a: number, b: number, c: number): void => {
    const t = threadsForWork(n, work);
    if (t !== null && t.inPlace) {
      t.begin();
      t.runChunks(kernel, [a, b, c, ...geometry], n, Math.max(1, Math.floor(n / 16)), 0);
    } else {
      simd[kernel](0, a, b, c, ...geometry, 0, n);
    }
  };
  // In a tidy, so that the winners' own tensor goes (the op keeps a saved copy for the gradient).
  return tf.tidy(() =>
    lazyGradOp([x], (save) => {
      const y = heapTensor(backend, outShape);
      const idx = tf.engine().makeTensorFromTensorInfo(backend.makeOutput(outShape, 'bool'));
      run('max_pool_forward_images', off(x), off(y), off(idx));
      save([idx]);
      return {
        value: y,
        grads: (dy: tf.Tensor, saved: tf.Tensor[]) => [
          () => {
            const dx = heapTensor(backend, [...x.shape]);
            run('max_pool_grad_index_images', off(saved[0] as tf.Tensor), off(dy), off(dx));
            return dx;
          },
        ],
      };
    }),
  );
}
