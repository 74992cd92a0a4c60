/**
 * Dropout that draws a new mask every training step, reproducibly. tfjs-layers' Dropout hands
 * its `seed` to tf.dropout on every call, and tf.dropout seeds a fresh generator with it, so a
 * seeded layer (every Dropout block is seeded, so that a seeded run is reproducible) dropped the
 * same units on every step: a fixed thinner network, not dropout. Here each seeded layer keeps a
 * generator of its own, started from its seed, and every training call draws from it: a new
 * mask each step, the same sequence of masks for the same seed. An unseeded layer's generator
 * starts from Math.random.
 *
 * On wasm with our kernels (and no noiseShape) the mask is drawn straight into the heap and the
 * layer is one op each way (y = x·m, dx = dy·m, m = keep ? 1/(1 − rate) : 0), instead of tfjs's
 * randomUniform (a JavaScript generator behind ~5 ops: add, floor, div, mul) and its gradient.
 * Elsewhere tf.dropout runs with a seed drawn from the layer's generator. Installed as
 * Dropout's `call` on every backend (backend.ts), before any model is built.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { currentSimd, heapTensor, lazyGradOp, singleInput } from './wasm/layerCall';
import { heapF32, offsetOf } from './wasm/wasmBackend';

/** The fields of tfjs-layers' Dropout this path reads, and the generator it is given. */
interface DropoutLike {
  rate: number;
  seed?: number;
  noiseShape?: number[] | null;
  invokeCallHook?(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): void;
  /** Our generator's state (a 32-bit integer), set on the first training call. */
  mwDropoutState?: number;
}

let installed = false;
let fusedCalls = 0;

/** How many Dropout calls took the one-op wasm path (tests check it was used). */
export function fusedDropoutCalls(): number {
  return fusedCalls;
}

/** mulberry32's step: the next state and a uniform draw in [0, 1). */
function draw(state: number): [number, number] {
  const s = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(s ^ (s >>> 15), 1 | s);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return [s, ((t ^ (t >>> 14)) >>> 0) / 4294967296];
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
    this.mwDropoutState ??= this.seed !== undefined && this.seed !== null ? this.seed | 0 : (Math.random() * 4294967296) | 0;
    const rate = this.rate;
    const wasm = x.dtype === 'float32' && (this.noiseShape === undefined || this.noiseShape === null) ? currentSimd() : null;
    if (wasm === null) {
      const [next, u] = draw(this.mwDropoutState);
      this.mwDropoutState = next;
      const seed = Math.floor(u * 2147483647);
      const noiseShape = this.noiseShape ?? undefined;
      return tf.tidy(() => tf.dropout(x, rate, noiseShape, seed));
    }
    fusedCalls++;
    const { backend, simd } = wasm;
    const scale = 1 / (1 - rate);
    const off = (t: tf.TensorInfo): number => offsetOf(backend, t);
    // In a tidy, so that the mask's own tensor goes (the op keeps a saved copy for the gradient).
    return tf.tidy(() =>
      lazyGradOp([x], (save) => {
        const mask = heapTensor(backend, [...x.shape]);
        const m = heapF32(backend, mask, mask.size);
        let state = this.mwDropoutState as number;
        for (let i = 0; i < m.length; i++) {
          const [next, u] = draw(state);
          state = next;
          m[i] = u >= rate ? scale : 0;
        }
        this.mwDropoutState = state;
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
