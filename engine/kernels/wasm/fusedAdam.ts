/**
 * Adam in one SIMD pass per variable on the wasm backend. tfjs's AdamOptimizer runs ~12
 * element-wise kernels per variable, each a full pass over memory; over a 2M-parameter
 * embedding that was ~25 ms of a 58 ms step, and one fused pass takes ~2.
 *
 * It is installed as `AdamOptimizer.prototype.applyGradients`, so every Adam the app creates
 * (tf.train.adam, tfjs-layers' 'adam') gets it, with the optimizer's own state (moments,
 * beta powers, iterations) kept exactly where tfjs keeps it: checkpoints, getWeights and
 * setWeights keep working. On any other backend, or for anything but float32, it runs tfjs's
 * own code. The moments are updated in place, but only in buffers no other tensor shares. The
 * weights always get a new buffer: tfjs-wasm caches XNNPACK operators, with the weights packed
 * inside, per weight tensor, so a weight changed in place would keep its old value in every
 * convolution and matmul (and a clone taken for restore-best must keep its values too).
 */
import * as tf from '@tensorflow/tfjs-core';
import { simdKernelsFor } from './simdKernels';
import { offsetOf, type WasmBackend } from './wasmBackend';
import { adamUpdate } from './threadedGemm';

interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

interface Moment {
  originalName: string;
  variable: tf.Variable;
}

/** The AdamOptimizer fields tfjs keeps protected. */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: (Moment | undefined)[];
  accumulatedSecondMoment: (Moment | undefined)[];
  incrementIterations(): void;
}

type ApplyGradients = (this: tf.AdamOptimizer, g: tf.NamedTensorMap | NamedTensor[]) => void;

let original: ApplyGradients | undefined;

/** Patches tfjs's AdamOptimizer (idempotent). */
export function installFusedAdam(): void {
  const proto = tf.AdamOptimizer.prototype as unknown as { applyGradients: ApplyGradients };
  if (original !== undefined) return;
  original = proto.applyGradients;
  proto.applyGradients = fusedApplyGradients;
}

interface RefCounting {
  refCount(dataId: unknown): number;
}

/** Makes `v` the only owner of its buffer (copying it if shared), so it can be updated in place. */
function own(v: tf.Variable, backend: RefCounting): void {
  if (backend.refCount(v.dataId) <= 1) return;
  tf.tidy(() => v.assign(tf.add(v, tf.scalar(0))));
}

function fusedApplyGradients(this: tf.AdamOptimizer, variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
  const fallback = original as ApplyGradients;
  if (tf.getBackend() !== 'wasm') return fallback.call(this, variableGradients);
  const backend = tf.backend() as unknown as WasmBackend & RefCounting;
  const simd = simdKernelsFor(backend);
  if (simd === null) return fallback.call(this, variableGradients);
  const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
  const grads = names.map((name, i) => (Array.isArray(variableGradients) ? variableGradients[i]?.tensor : variableGradients[name]));
  const vars = names.map((name) => tf.engine().registeredVariables[name]);
  if (grads.some((g, i) => g !== undefined && g !== null && (g.dtype !== 'float32' || vars[i]?.dtype !== 'float32'))) {
    return fallback.call(this, variableGradients);
  }

  const s = this as unknown as AdamState;
  // accBeta1 = beta1^t at step t (tfjs starts it at beta1), so these are tfjs's own corrections.
  const c1 = 1 - (s.accBeta1.dataSync()[0] as number);
  const c2 = 1 - (s.accBeta2.dataSync()[0] as number);
  // lr·m̂/(√v̂+ε) = (lr·√c2/c1)·m/(√v + ε·√c2), so one pass needs no per-element correction.
  const lrT = (s.learningRate * Math.sqrt(c2)) / c1;
  const epsT = s.epsilon * Math.sqrt(c2);
  names.forEach((name, i) => {
    const value = vars[i];
    if (value === undefined) throw new Error(`Adam: no variable named ${name}`);
    if (s.accumulatedFirstMoment[i] == null) {
      s.accumulatedFirstMoment[i] = { originalName: `${name}/m`, variable: tf.tidy(() => tf.variable(tf.zerosLike(value), false)) };
    }
    if (s.accumulatedSecondMoment[i] == null) {
      s.accumulatedSecondMoment[i] = { originalName: `${name}/v`, variable: tf.tidy(() => tf.variable(tf.zerosLike(value), false)) };
    }
    const g = grads[i];
    if (g === undefined || g === null) return;
    const m = (s.accumulatedFirstMoment[i] as Moment).variable;
    const v = (s.accumulatedSecondMoment[i] as Moment).variable;
    own(m, backend);
    own(v, backend);
    const next = backend.makeOutput([...value.shape], 'float32');
    adamUpdate(
      simd,
      offsetOf(backend, value),
      offsetOf(backend, next),
      offsetOf(backend, m),
      offsetOf(backend, v),
      offsetOf(backend, g),
      value.size,
      lrT,
      s.beta1,
      s.beta2,
      epsT,
    );
    const t = tf.engine().makeTensorFromTensorInfo(next);
    value.assign(t);
    t.dispose();
  });
  tf.tidy(() => {
    s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
    s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
  });
  s.incrementIterations();
}
