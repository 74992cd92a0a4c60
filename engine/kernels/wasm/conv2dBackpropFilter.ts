/**
 * Conv2DBackpropFilter for the wasm backend (tfjs 4.22 ships none): the filter gradient as one
 * matrix multiply on the backend's own XNNPACK matmul, which is fast only without transpose
 * flags, so we build the transposed layouts ourselves:
 *   cols[P, K] = im2col(x)  (P = N·OH·OW output positions, K = KH·KW·Cin)
 *   dWᵀ[Cout, K] = dyᵀ[Cout, P] · cols[P, K];  dW[K, Cout] = transpose(dWᵀ)
 * NHWC only (tfjs-layers always hands convolutions NHWC).
 */
import * as tf from '@tensorflow/tfjs-core';
import { allocF32, offsetOf, runWasmKernel, type WasmBackend } from './wasmBackend';

interface Attrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

export function conv2dBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const x = args.inputs['x'] as tf.TensorInfo;
  const dy = args.inputs['dy'] as tf.TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Attrs;
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm: NCHW is not supported');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outHeight: oh, outWidth: ow, outChannels: cout,
    filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const p = n * oh * ow;
  const k = kh * kw * cin;

  const cols = allocF32(backend, [1, p, k], false);
  im2col(backend, x, cols, { n, h, w, cin, oh, ow, kh, kw, sh, sw, top, left });
  const dy2 = { dataId: dy.dataId, shape: [p, cout], dtype: dy.dtype };
  const dyT = runWasmKernel(backend, 'Transpose', { x: dy2 }, { perm: [1, 0] });
  const dyT3 = { dataId: dyT.dataId, shape: [1, cout, p], dtype: dyT.dtype };
  const dwT = runWasmKernel(backend, 'BatchMatMul', { a: dyT3, b: cols }, { transposeA: false, transposeB: false });
  backend.disposeData(cols.dataId);
  backend.disposeData(dyT.dataId);
  const dwT2 = { dataId: dwT.dataId, shape: [cout, k], dtype: dwT.dtype };
  const dw = runWasmKernel(backend, 'Transpose', { x: dwT2 }, { perm: [1, 0] });
  backend.disposeData(dwT.dataId);
  return { dataId: dw.dataId, shape: [...filterShape], dtype: 'float32' };
}

interface Geometry {
  n: number; h: number; w: number; cin: number; oh: number; ow: number;
  kh: number; kw: number; sh: number; sw: number; top: number; left: number;
}

/** cols[(b·OH + oy)·OW + ox, (ky·KW + kx)·Cin + c] = x[b, oy·sh − top + ky, ox·sw − left + kx, c], 0 outside. */
function im2col(backend: WasmBackend, x: tf.TensorInfo, cols: tf.TensorInfo, g: Geometry): void {
  const heap = backend.wasm.HEAPF32;
  const xOff = offsetOf(backend, x) >> 2;
  let d = offsetOf(backend, cols) >> 2;
  const { n, h, w, cin, oh, ow, kh, kw, sh, sw, top, left } = g;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - top + ky;
          const rowIn = iy >= 0 && iy < h;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw - left + kx;
            if (rowIn && ix >= 0 && ix < w) {
              const s = xOff + ((b * h + iy) * w + ix) * cin;
              heap.copyWithin(d, s, s + cin);
            } else {
              heap.fill(0, d, d + cin);
            }
            d += cin;
          }
        }
      }
    }
  }
}
