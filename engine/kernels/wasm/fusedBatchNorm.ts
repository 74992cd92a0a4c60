/**
 * BatchNormalization in training mode on the wasm backend as two SIMD passes (statistics and
 * normalisation) forward and one backward, instead of tfjs's moments + batchNorm and their
 * gradients (~25 small kernels, each with the engine's per-kernel bookkeeping). Installed as
 * the layer's `call`; inference, other axes, layers without center/scale, and other backends
 * run tfjs-layers' own code. The moving mean and variance are updated exactly as tfjs-layers
 * does it.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { currentSimd, heapTensor, replaceLayerCall, singleInput, upstream, type LayerCall } from './layerCall';
import type { SimdKernels } from './simdKernels';
import { chunkRows, threadsForPasses, type ThreadedGemm } from './threadedGemm';
import { offsetOf } from './wasmBackend';

interface LayerVar {
  read(): tf.Tensor;
  write(v: tf.Tensor): void;
}

interface BatchNormLike {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: LayerVar | null;
  beta: LayerVar | null;
  movingMean: LayerVar;
  movingVariance: LayerVar;
}

type Call = LayerCall<BatchNormLike>;

/** At most this many chunks of rows, whose partial sums the kernels keep in scratch (BN_CHUNKS in simd/kernels.c). */
const CHUNKS = 16;
/** What a sum pass adds up (BN_SUM, BN_DEV2, BN_GRAD in simd/kernels.c). */
const SUM = 0;
const DEV2 = 1;
const GRAD = 2;

/** The chunks of rows the sums run over: bn_chunk in simd/kernels.c (R / 16 rounded up, at least 8). */
function chunkCount(rows: number): number {
  const chunk = Math.max(8, Math.ceil(rows / CHUNKS));
  return Math.ceil(rows / chunk);
}

/**
 * bn_forward's passes on two threads (pointers into the shared heap; scratch as bn_forward's):
 * the partial sums by chunks of rows, their totals here, the normalisation by rows. The chunks
 * and the order of their totals are bn_forward's, so are the bits.
 */
function forwardTwoThreads(
  t: ThreadedGemm,
  simd: SimdKernels,
  x: number,
  gamma: number,
  beta: number,
  y: number,
  mean: number,
  variance: number,
  scratch: number,
  rows: number,
  channels: number,
  eps: number,
): void {
  const k = scratch;
  const partial = scratch + 2 * channels * 4;
  const chunks = chunkCount(rows);
  t.runChunks('bn_sum_chunks', [SUM, x, 0, 0, partial, rows, channels], chunks, 1, 0);
  simd.bn_mean(partial, mean, rows, channels);
  t.runChunks('bn_sum_chunks', [DEV2, x, 0, mean, partial, rows, channels], chunks, 1, 0);
  simd.bn_forward_coeffs(partial, gamma, beta, mean, variance, k, rows, channels, eps);
  t.runChunks('bn_apply_rows', [0, x, 0, 0, k, y, channels], rows, chunkRows(rows), 0);
}

/** bn_backward's passes on two threads, as forwardTwoThreads does bn_forward's. */
function backwardTwoThreads(
  t: ThreadedGemm,
  simd: SimdKernels,
  x: number,
  dy: number,
  gamma: number,
  mean: number,
  variance: number,
  dx: number,
  dgamma: number,
  dbeta: number,
  scratch: number,
  rows: number,
  channels: number,
  eps: number,
): void {
  const k = scratch;
  const partial = scratch + 3 * channels * 4;
  t.runChunks('bn_sum_chunks', [GRAD, x, dy, mean, partial, rows, channels], chunkCount(rows), 1, 0);
  simd.bn_backward_coeffs(partial, gamma, variance, dgamma, dbeta, k, rows, channels, eps);
  t.runChunks('bn_apply_rows', [1, x, dy, mean, k, dx, channels], rows, chunkRows(rows), 0);
}

let original: Call | undefined;
let fusedCalls = 0;

/** How many BatchNormalization calls took the fused path (tests check it was used). */
export function fusedBatchNormCalls(): number {
  return fusedCalls;
}

export function installFusedBatchNorm(): void {
  original ??= replaceLayerCall(tfl.layers.batchNormalization({}), fusedCall);
}

function fusedCall(this: BatchNormLike, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
  const fallback = original as Call;
  const x = singleInput(inputs);
  const training = kwargs?.['training'] === true;
  const usable =
    training &&
    x !== undefined &&
    x.dtype === 'float32' &&
    x.rank >= 2 &&
    (this.axis === -1 || this.axis === x.rank - 1) &&
    this.center &&
    this.scale &&
    this.gamma !== null &&
    this.beta !== null;
  const wasm = usable ? currentSimd() : null;
  if (wasm === null || x === undefined) return fallback.call(this, inputs, kwargs);
  fusedCalls++;
  const { backend, simd } = wasm;
  const channels = x.shape[x.rank - 1] as number;
  const rows = x.size / channels;
  const eps = this.epsilon;
  const off = (t: tf.Tensor): number => offsetOf(backend, t);
  return tf.tidy(() => {
    let stats: [tf.Tensor, tf.Tensor] | undefined;
    const f = tf.customGrad((...args: (tf.Tensor | ((s: tf.Tensor[]) => void))[]) => {
      const [xIn, gamma, beta] = args as [tf.Tensor, tf.Tensor, tf.Tensor];
      const save = args[3] as (s: tf.Tensor[]) => void;
      const y = heapTensor(backend, [...xIn.shape]);
      const mean = heapTensor(backend, [channels]);
      const variance = heapTensor(backend, [channels]);
      const scratch = heapTensor(backend, [(2 + CHUNKS) * channels]);
      // Both threads where x is large and the heap shared (threadsForPasses), else one.
      const t = threadsForPasses(xIn.size, rows);
      if (t !== null) forwardTwoThreads(t, simd, off(xIn), off(gamma), off(beta), off(y), off(mean), off(variance), off(scratch), rows, channels, eps);
      else simd.bn_forward(off(xIn), off(gamma), off(beta), off(y), off(mean), off(variance), off(scratch), rows, channels, eps);
      scratch.dispose();
      save([xIn, gamma, mean, variance]);
      stats = [tf.keep(mean), tf.keep(variance)];
      return {
        value: y,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const g = upstream(dy);
          const [sx, sg, sm, sv] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
          const dx = heapTensor(backend, [...sx.shape]);
          const dgamma = heapTensor(backend, [channels]);
          const dbeta = heapTensor(backend, [channels]);
          const scr = heapTensor(backend, [(3 + 2 * CHUNKS) * channels]);
          const t = threadsForPasses(sx.size, rows);
          if (t !== null)
            backwardTwoThreads(t, simd, off(sx), off(g), off(sg), off(sm), off(sv), off(dx), off(dgamma), off(dbeta), off(scr), rows, channels, eps);
          else simd.bn_backward(off(sx), off(g), off(sg), off(sm), off(sv), off(dx), off(dgamma), off(dbeta), off(scr), rows, channels, eps);
          scr.dispose();
          return [dx, dgamma, dbeta];
        },
      };
    });
    const y = f(x, (this.gamma as LayerVar).read(), (this.beta as LayerVar).read());
    const [mean, variance] = stats as [tf.Tensor, tf.Tensor];
    // tfjs-layers' doMovingAverage: v ← v − (v − batch value)·(1 − momentum), in one pass.
    for (const [variable, value] of [
      [this.movingMean, mean],
      [this.movingVariance, variance],
    ] as const) {
      const next = heapTensor(backend, [channels]);
      simd.moving_average(off(variable.read()), off(value), off(next), channels, 1 - this.momentum);
      variable.write(next);
    }
    tf.dispose([mean, variance]);
    return y;
  });
}
