/**
 * Dropout that draws a new mask every training step, reproducibly. tfjs-layers' Dropout hands
 * its `seed` to tf.dropout on every call, and tf.dropout seeds a fresh generator with it, so a
 * seeded layer (every Dropout block is seeded, so that a seeded run is reproducible) dropped the
 * same units on every step: a fixed thinner network, not dropout. Here a training call's mask is
 * drawn from a generator started from (the layer's seed, its step): a new mask each step, the
 * same masks for the same seed and step on every backend, and a run resumed at step k draws
 * what the run that never stopped drew there (the training loop tells the layers its step,
 * dropoutStepper; between two such calls each training call is the next step). An unseeded
 * layer's seed is drawn from Math.random once.
 *
 * The mask (keep ? 1/(1 − rate) : 0, keep where the draw ≥ rate, as tf.dropout) is made in
 * JavaScript at the noise shape. On wasm with our kernels (no noiseShape) it goes straight into
 * the heap and the layer is one op each way (y = x·m, dx = dy·m), instead of tfjs's
 * randomUniform and ~5 ops; elsewhere it is a tensor and the layer x·m (tfjs's mul and its
 * gradient). Installed as Dropout's `call` on every backend (backend.ts, compile.ts), before any
 * model is built.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { MULBERRY_STEP, mulberry32 } from '../data/prng';
import { currentSimd, heapTensor, lazyGradOp, singleInput } from './wasm/layerCall';
import type { SimdKernels } from './wasm/simdKernels';
import { offsetOf } from './wasm/wasmBackend';

/** The fields of tfjs-layers' Dropout this path reads, and the generator it is given. */
interface DropoutLike {
  rate: number;
  seed?: number;
  invokeCallHook?(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): void;
  getClassName(): string;
  /** The mask's shape (null: the input's), with SpatialDropout1D's override (it subclasses Dropout). */
  getNoiseShape(input: tf.Tensor): number[] | null;
  /** The seed an unseeded layer drew, on its first training call. */
  mwDropoutSeed?: number;
  /** The step its next training call draws the mask of. */
  mwDropoutStep?: number;
}

let installed = false;
let fusedCalls = 0;

/** How many Dropout calls took the one-op wasm path (tests check it was used). */
export function fusedDropoutCalls(): number {
  return fusedCalls;
}

/** The generator's start for a layer's seed at a step: it mixes both, so that nearby seeds and steps start far apart. */
function maskStart(seed: number, step: number): number {
  return Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(step + 1, 0x85ebca6b);
}

/** The mask of `into.length` values for a layer's seed at a step: 1/(1 − rate) where kept, 0 where dropped. */
function maskValues(into: Float32Array, seed: number, step: number, rate: number): void {
  const random = mulberry32(maskStart(seed, step));
  // The first two draws only stir the start.
  random();
  random();
  const scale = 1 / (1 - rate);
  for (let i = 0; i < into.length; i++) into[i] = random() >= rate ? scale : 0;
}

/**
 * maskValues' mask written by the SIMD kernels into the heap at `at` (kernels.c dropout_mask),
 * four draws at a time: ~20 ns a value in JavaScript, a fraction of one there. A draw u/2³² is at
 * least rate exactly where the integer u is at least ⌈rate·2³²⌉ (the product by 2³² is exact).
 */
function maskValuesSimd(simd: SimdKernels, at: number, n: number, seed: number, step: number, rate: number): void {
  const cut = Math.ceil(rate * 4294967296);
  // The state after the two stirring draws; `| 0` wraps it as uint32 arithmetic does.
  const state = (maskStart(seed, step) + 2 * MULBERRY_STEP) | 0;
  // A rate within 2⁻³² of 1 keeps nothing: no draw reaches 2³².
  simd.dropout_mask(at, n, state, cut > 0xffffffff ? 0xffffffff : cut, cut > 0xffffffff ? 0 : 1 / (1 - rate));
}

/**
 * The Dropout layers of `model` (nested models included), found once, as a function that tells
 * them their next training call is `step`: the training loop calls it before each step, so a
 * resumed run draws the masks of the run that never stopped.
 */
export function dropoutStepper(model: tfl.LayersModel): (step: number) => void {
  const found: DropoutLike[] = [];
  const visit = (layers: tfl.layers.Layer[]): void => {
    for (const layer of layers) {
      if (layer.getClassName() === 'Dropout') found.push(layer as unknown as DropoutLike);
      const inner = (layer as unknown as { layers?: tfl.layers.Layer[] }).layers;
      if (Array.isArray(inner)) visit(inner);
    }
  };
  visit(model.layers);
  return (step) => {
    for (const layer of found) layer.mwDropoutStep = step;
  };
}

export function installSeededDropout(): void {
  if (installed) return;
  installed = true;
  const proto = Object.getPrototypeOf(tfl.layers.dropout({ rate: 0.5 })) as {
    call: (this: DropoutLike, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];
  };
  const original = proto.call;
  proto.call = function (this: DropoutLike, inputs, kwargs) {
    const x = singleInput(inputs);
    const training = kwargs?.['training'] === true;
    if (!training || x === undefined || !(this.rate > 0 && this.rate < 1)) return original.call(this, inputs, kwargs);
    this.invokeCallHook?.(inputs, kwargs);
    const seed = this.seed ?? (this.mwDropoutSeed ??= (Math.random() * 4294967296) | 0);
    const step = this.mwDropoutStep ?? 0;
    this.mwDropoutStep = step + 1;
    const rate = this.rate;
    const noiseShape = this.getNoiseShape(x) ?? null;
    const wasm = x.dtype === 'float32' && noiseShape === null ? currentSimd() : null;
    if (wasm === null) {
      return tf.tidy(() => {
        const shape = noiseShape ?? x.shape;
        const m = new Float32Array(tf.util.sizeFromShape(shape));
        maskValues(m, seed | 0, step, rate);
        return tf.mul(x, tf.tensor(m, shape, 'float32'));
      });
    }
    fusedCalls++;
    const { backend, simd } = wasm;
    const off = (t: tf.TensorInfo): number => offsetOf(backend, t);
    // In a tidy, so that the mask's own tensor goes (the op keeps a saved copy for the gradient).
    return tf.tidy(() =>
      lazyGradOp([x], (save) => {
        const mask = heapTensor(backend, [...x.shape]);
        maskValuesSimd(simd, off(mask), mask.size, seed | 0, step, rate);
        const y = heapTensor(backend, [...x.shape]);
        simd.binary_bcast(off(x), off(mask), off(y), x.size, x.size, 1);
        save([mask]);
        return {
          value: y,
          grads: (dy: tf.Tensor, saved: tf.Tensor[]) => [
            () => {
              const sm = saved[0] as tf.Tensor;
              const dx = heapTensor(backend, [...sm.shape]);
              simd.binary_bcast(off(dy), off(sm), off(dx), sm.size, sm.size, 1);
              return dx;
            },
          ],
        };
      }),
    );
  };
}
