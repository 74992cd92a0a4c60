/**
 * UnsortedSegmentSum for the cpu backend: the embedding gradient in one pass over the rows.
 * tfjs's own makes a pass per segment (per vocabulary id), which for a 20,000-word vocabulary
 * is 20,000 passes a step. float32 values and int32 ids; anything else goes to tfjs's.
 */
import * as tf from '@tensorflow/tfjs-core';

interface CpuBackend {
  data: { get(dataId: unknown): { values: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

export function makeUnsortedSegmentSumCpu(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => {
    const backend = args.backend as CpuBackend;
    const x = args.inputs['x'] as tf.TensorInfo;
    const ids = args.inputs['segmentIds'] as tf.TensorInfo;
    const numSegments = (args.attrs as { numSegments: number }).numSegments;
    if (x.dtype !== 'float32' || ids.dtype !== 'int32') return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    const count = tf.util.sizeFromShape(ids.shape);
    const inner = tf.util.sizeFromShape(x.shape.slice(ids.shape.length));
    const xv = backend.data.get(x.dataId).values as Float32Array;
    const iv = backend.data.get(ids.dataId).values as Int32Array;
    const out = new Float32Array(numSegments * inner);
    for (let i = 0; i < count; i++) {
      const id = iv[i] as number;
      if (id < 0 || id >= numSegments) continue;
      const s = i * inner;
      const d = id * inner;
      for (let j = 0; j < inner; j++) out[d + j] = (out[d + j] as number) + (xv[s + j] as number);
    }
    return backend.makeTensorInfo([numSegments, ...x.shape.slice(ids.shape.length)], 'float32', out);
  }) as unknown as tf.KernelFunc;
}
