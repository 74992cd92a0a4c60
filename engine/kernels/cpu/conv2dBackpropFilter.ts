/**
 * Conv2DBackpropFilter for the pure-JS cpu backend, the fallback where WebAssembly is missing.
 * tfjs's own reads both tensors one element at a time through index arithmetic (36 s of a 43 s
 * surname-CNN step); this accumulates outer products of contiguous rows, skipping the zeros of
 * one-hot inputs, in well under a second. NHWC, dilation 1; anything else goes to tfjs's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { convGeometry, type ConvAttrs } from '../wasm/convGeometry';

interface CpuBackend {
  data: { get(dataId: unknown): { values: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

interface Attrs extends ConvAttrs {
  filterShape: [number, number, number, number];
}

export function makeConv2dBackpropFilterCpu(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => {
    const backend = args.backend as CpuBackend;
    const x = args.inputs['x'] as tf.TensorInfo;
    const dy = args.inputs['dy'] as tf.TensorInfo;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Attrs;
    if (dataFormat === 'NCHW' || x.dtype !== 'float32' || dy.dtype !== 'float32') return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    const g = convGeometry(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
    const xv = backend.data.get(x.dataId).values as Float32Array;
    const dyv = backend.data.get(dy.dataId).values as Float32Array;
    const dw = new Float32Array(g.k * g.cout);
    const { n, h, w, cin, oh, ow, kh, kw, sh, sw, top, left, cout } = g;
    for (let b = 0; b < n; b++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          const dyRow = ((b * oh + oy) * ow + ox) * cout;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sh - top + ky;
            if (iy < 0 || iy >= h) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sw - left + kx;
              if (ix < 0 || ix >= w) continue;
              const xRow = ((b * h + iy) * w + ix) * cin;
              const wBase = (ky * kw + kx) * cin;
              for (let c = 0; c < cin; c++) {
                const v = xv[xRow + c] as number;
                if (v === 0) continue;
                const o = (wBase + c) * cout;
                for (let co = 0; co < cout; co++) dw[o + co] = (dw[o + co] as number) + v * (dyv[dyRow + co] as number);
              }
            }
          }
        }
      }
    }
    return backend.makeTensorInfo([...filterShape], 'float32', dw);
  }) as unknown as tf.KernelFunc;
}
