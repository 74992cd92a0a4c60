/**
 * The loss head's categorical cross-entropy from logits and its accuracy count on the wasm
 * backend, each as one op. On tfjs ops the loss is ~10 kernels forward (logSoftmax's max, sub,
 * exp, sum, log; the label product, sum, negation, mean) and 4 backward, the count 5 (two
 * argMax, equal, cast, sum): every one a kernel call with the engine's bookkeeping, on every
 * step of every model, for a [batch, classes] of a few hundred values. Here each is one loop
 * over the logits where they lie on the heap, with the same math (lossHead.ts's closed-form
 * gradient (softmax(z) − y)·scale·dy, tfjs's first-largest arg-max).
 */
import * as tf from '@tensorflow/tfjs-core';
import { currentSimd, heapTensor, lazyGradOp } from './layerCall';
import { heapF32 } from './wasmBackend';

/** Rows and classes of a float32 [..., classes] tensor. */
function rowsOf(t: tf.Tensor): [rows: number, classes: number] {
  const classes = t.shape[t.rank - 1] ?? 1;
  return [t.size / classes, classes];
}

/**
 * The batch-mean categorical cross-entropy of logits z [..., c] against labels y, or with class
 * weights w the weighted mean Σ scale_r·loss_r, scale_r = (y_r·w) / Σ(y·w). Differentiable in z
 * only (labels and weights are constants). Null where this path does not apply (another
 * backend, not float32, shapes that differ).
 */
export function softmaxCrossEntropyOp(z: tf.Tensor, y: tf.Tensor, w: tf.Tensor1D | null): tf.Scalar | null {
  const wasm = z.dtype === 'float32' && y.dtype === 'float32' && tf.util.arraysEqual(z.shape, y.shape) && z.rank >= 1 ? currentSimd() : null;
  if (wasm === null) return null;
  const { backend } = wasm;
  const [rows, classes] = rowsOf(z);
  if (w !== null && (w.dtype !== 'float32' || w.size !== classes)) return null;
  return lazyGradOp([z], (save) => {
    // Per row: the softmax (kept for the gradient), the loss, and its scale in the mean. The
    // heap views are taken after the allocation (an unshared heap that grows detaches them).
    const p = heapTensor(backend, [...z.shape]);
    const zv = heapF32(backend, z, z.size);
    const yv = heapF32(backend, y, y.size);
    const wv = w ? heapF32(backend, w, classes) : null;
    const pv = heapF32(backend, p, p.size);
    const scale = new Float64Array(rows);
    const losses = new Float64Array(rows);
    let total = 0;
    let weightSum = 0;
    for (let r = 0, o = 0; r < rows; r++, o += classes) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, zv[o + c]!);
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(zv[o + c]! - max);
      const lse = max + Math.log(sum);
      let loss = 0;
      let rowW = 0;
      for (let c = 0; c < classes; c++) {
        const ls = zv[o + c]! - lse;
        pv[o + c] = Math.exp(ls);
        loss -= yv[o + c]! * ls;
        if (wv) rowW += yv[o + c]! * wv[c]!;
      }
      losses[r] = loss;
      scale[r] = rowW;
      weightSum += rowW;
    }
    for (let r = 0; r < rows; r++) {
      scale[r] = wv ? scale[r]! / weightSum : 1 / rows;
      total += scale[r]! * losses[r]!;
    }
    const value = heapTensor(backend, []);
    heapF32(backend, value, 1)[0] = total;
    save([p, y]);
    return {
      value,
      grads: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        () => {
          const [sp, sy] = saved as [tf.Tensor, tf.Tensor];
          const dz = heapTensor(backend, [...sp.shape]);
          const g = heapF32(backend, dy, 1)[0]!;
          const spv = heapF32(backend, sp, sp.size);
          const yv2 = heapF32(backend, sy, sy.size);
          const dzv = heapF32(backend, dz, dz.size);
          for (let r = 0, o = 0; r < rows; r++, o += classes) {
            const k = scale[r]! * g;
            for (let c = 0; c < classes; c++) dzv[o + c] = (spv[o + c]! - yv2[o + c]!) * k;
          }
          return dz;
        },
      ],
    };
  }) as tf.Scalar;
}

/** How many rows of z [..., c] have their first largest value where y's is, as a float32 scalar; null off this path. */
export function countCorrectOp(z: tf.Tensor, y: tf.Tensor): tf.Scalar | null {
  const wasm = z.dtype === 'float32' && y.dtype === 'float32' && tf.util.arraysEqual(z.shape, y.shape) && z.rank >= 1 ? currentSimd() : null;
  if (wasm === null) return null;
  const { backend } = wasm;
  const [rows, classes] = rowsOf(z);
  const zv = heapF32(backend, z, z.size);
  const yv = heapF32(backend, y, y.size);
  const argMax = (v: Float32Array, o: number): number => {
    let best = 0;
    for (let c = 1; c < classes; c++) if (v[o + c]! > v[o + best]!) best = c;
    return best;
  };
  let correct = 0;
  for (let r = 0, o = 0; r < rows; r++, o += classes) if (argMax(zv, o) === argMax(yv, o)) correct++;
  return tf.scalar(correct, 'float32');
}
