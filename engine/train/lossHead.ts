/**
 * Loss and accuracy for a compiled model. Where the output layer is a Dense (or Activation)
 * with softmax/sigmoid, the loss is computed from its logits (log-softmax / log-sigmoid), which
 * stays finite and keeps a useful gradient however wrong a prediction is. Any other output falls
 * back to clipped probabilities, as Keras does. Class weights, when given, make the categorical
 * loss the weighted mean sum(w_y · loss) / sum(w_y) (PyTorch's CrossEntropyLoss(weight=w)) and
 * the binary one mean(w_c · loss) over every output (BCEWithLogitsLoss(weight=w)).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
// The one-op paths on wasm with our kernels; each returns null elsewhere. Imported from their
// modules, not engine/kernels' index, which loads (and so registers) the wasm backend.
import { linearOp } from '../kernels/wasm/fusedDense';
import { countCorrectOp, softmaxCrossEntropyOp } from '../kernels/wasm/fusedLoss';

export type LossKind = 'categoricalCrossentropy' | 'binaryCrossentropy';

/** One forward pass: the batch-mean loss and the number of correct predictions (scalars). */
export interface LossHead {
  readonly kind: LossKind;
  /** True when the loss is computed from logits rather than clipped probabilities. */
  readonly fromLogits: boolean;
  /** The weight of each class in the loss, or null when they weigh alike. */
  readonly classWeights: readonly number[] | null;
  /**
   * `output` is the model's output before the loss (logits, or probabilities): its arg-max is
   * the predicted class.
   */
  lossAndCorrect(x: tf.Tensor, y: tf.Tensor, training: boolean): { loss: tf.Scalar; correct: tf.Scalar; output: tf.Tensor };
  /**
   * What a batch's mean loss is averaged with across batches, from its one-hot labels (`n` rows
   * of `y`): the sum of its examples' class weights for the weighted categorical loss, else `n`.
   */
  batchWeight(y: Float32Array, n: number): number;
  /** Frees the class-weight tensor the head holds. */
  dispose(): void;
}

const EPS = 1e-7;

/** Number of rows whose arg-max prediction matches the arg-max label. */
function countCorrect(pred: tf.Tensor, y: tf.Tensor): tf.Scalar {
  const fused = countCorrectOp(pred, y);
  if (fused !== null) return fused;
  const rank = pred.rank;
  return tf.sum(tf.cast(tf.equal(tf.argMax(pred, rank - 1), tf.argMax(y, rank - 1)), 'float32')) as tf.Scalar;
}

/**
 * Batch-mean loss from logits as one custom-gradient op. The forward pass runs the same ops as
 * the plain formula; the backward pass is the closed form (softmax(z) − y)·dy/rows, or
 * (sigmoid(z) − y)·dy/size for the binary loss, in 4 kernels instead of the ~13 tfjs records for
 * logSoftmax, the product, sum, negation and mean (each a kernel call with the engine's
 * bookkeeping, on every training step). With class weights w the categorical gradient is
 * (softmax(z) − y)·(w_y / Σw_y)·dy and the binary one (sigmoid(z) − y)·w·dy/size.
 * Labels and weights are constants: no gradient flows to them.
 */
function lossFromLogits(kind: LossKind, logits: tf.Tensor, y: tf.Tensor, w: tf.Tensor1D | null): tf.Scalar {
  // On wasm the categorical loss is one op each way (engine/kernels/wasm/fusedLoss.ts), the same math.
  const fused = kind === 'categoricalCrossentropy' ? softmaxCrossEntropyOp(logits, y, w) : null;
  if (fused !== null) return fused;
  const f = tf.customGrad((...args: (tf.Tensor | ((s: tf.Tensor[]) => void))[]) => {
    const z = args[0] as tf.Tensor;
    const save = args[1] as (s: tf.Tensor[]) => void;
    if (kind === 'categoricalCrossentropy') {
      const ls = tf.logSoftmax(z);
      const rowLoss = tf.neg(tf.sum(tf.mul(y, ls), -1));
      if (w) {
        const rowW = tf.sum(tf.mul(y, w), -1, true);
        const scale = tf.div(rowW, tf.sum(rowW));
        save([ls, scale]);
        return {
          value: tf.sum(tf.mul(tf.reshape(scale, rowLoss.shape), rowLoss)),
          gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
            const g = Array.isArray(dy) ? (dy[0] as tf.Tensor) : dy;
            return [tf.mul(tf.sub(tf.exp(saved[0]!), y), tf.mul(saved[1]!, g))];
          },
        };
      }
      save([ls]);
      return {
        value: tf.mean(rowLoss),
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const g = Array.isArray(dy) ? (dy[0] as tf.Tensor) : dy;
          const s = saved[0] as tf.Tensor;
          const rows = s.size / (s.shape[s.rank - 1] ?? 1);
          return [tf.mul(tf.sub(tf.exp(s), y), tf.div(g, rows))];
        },
      };
    }
    // max(z, 0) - z*y + log(1 + exp(-|z|))
    save([z]);
    const elementLoss = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
    return {
      value: tf.mean(w ? tf.mul(elementLoss, w) : elementLoss),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const g = Array.isArray(dy) ? (dy[0] as tf.Tensor) : dy;
        const s = saved[0] as tf.Tensor;
        const d = tf.mul(tf.sub(tf.sigmoid(s), y), tf.div(g, s.size));
        return [w ? tf.mul(d, w) : d];
      },
    };
  });
  return f(logits) as tf.Scalar;
}

function lossFromProbs(kind: LossKind, probs: tf.Tensor, y: tf.Tensor, w: tf.Tensor1D | null): tf.Scalar {
  if (kind === 'categoricalCrossentropy') {
    const p = tf.clipByValue(probs, EPS, 1);
    const rowLoss = tf.neg(tf.sum(tf.mul(y, tf.log(p)), -1));
    if (!w) return tf.mean(rowLoss) as tf.Scalar;
    const rowW = tf.sum(tf.mul(y, w), -1);
    return tf.div(tf.sum(tf.mul(rowW, rowLoss)), tf.sum(rowW)) as tf.Scalar;
  }
  const p = tf.clipByValue(probs, EPS, 1 - EPS);
  const ll = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))));
  return tf.mean(tf.neg(w ? tf.mul(ll, w) : ll)) as tf.Scalar;
}

function activationName(layer: tfl.layers.Layer): string | undefined {
  const config = layer.getConfig() as { activation?: unknown };
  return typeof config.activation === 'string' ? config.activation : undefined;
}

/** The symbolic tensor feeding `layer`, when it has exactly one inbound tensor. */
function singleInput(layer: tfl.layers.Layer): tfl.SymbolicTensor | undefined {
  try {
    const input = layer.input;
    return Array.isArray(input) ? (input.length === 1 ? input[0] : undefined) : input;
  } catch {
    return undefined;
  }
}

type LogitsFn = (x: tf.Tensor, training: boolean) => tf.Tensor;

/**
 * A function computing the output layer's logits with the model's own variables, or undefined
 * when the output is not a recognised softmax/sigmoid head.
 */
function logitsFunction(model: tfl.LayersModel, kind: LossKind): LogitsFn | undefined {
  if (model.outputs.length !== 1 || model.inputs.length !== 1) return undefined;
  const out = model.outputs[0]!.sourceLayer;
  const wanted = kind === 'categoricalCrossentropy' ? 'softmax' : 'sigmoid';
  if (activationName(out) !== wanted) return undefined;
  const input = singleInput(out);
  if (!input) return undefined;
  const features = tfl.model({ inputs: model.inputs, outputs: input });
  const className = out.getClassName();
  if (className === 'Activation') {
    return (x, training) => features.apply(x, { training }) as tf.Tensor;
  }
  if (className === 'Dense') {
    const useBias = (out.getConfig() as { useBias?: boolean }).useBias !== false;
    const [kernel, bias] = out.weights;
    if (!kernel || (useBias && !bias) || input.shape.length !== 2) return undefined;
    return (x, training) => {
      const h = features.apply(x, { training }) as tf.Tensor2D;
      const fused = useBias && bias ? linearOp(h, kernel.read(), bias.read()) : null;
      if (fused !== null) return fused;
      const z = tf.matMul(h, kernel.read() as tf.Tensor2D);
      return useBias && bias ? tf.add(z, bias.read()) : z;
    };
  }
  return undefined;
}

/**
 * Builds the loss head for `model`. `probe` is one batch of inputs used to check that the
 * logits path reproduces the model's own output; if it does not, probabilities are used.
 * `classWeights` (one per output class) weight the loss; the head holds them as a tensor until
 * `dispose`.
 */
export function createLossHead(model: tfl.LayersModel, kind: LossKind, probe?: tf.Tensor, classWeights: readonly number[] | null = null): LossHead {
  let logits = logitsFunction(model, kind);
  if (logits && probe) {
    const agrees = tf.tidy(() => {
      const fromModel = model.apply(probe, { training: false }) as tf.Tensor;
      const z = logits!(probe, false);
      const mine = kind === 'categoricalCrossentropy' ? tf.softmax(z) : tf.sigmoid(z);
      return tf.max(tf.abs(tf.sub(fromModel, mine))).dataSync()[0]! < 1e-4;
    });
    if (!agrees) logits = undefined;
  }
  const weights = classWeights ? Float32Array.from(classWeights) : null;
  const w = weights ? tf.keep(tf.tensor1d(weights, 'float32')) : null;
  const k = weights?.length ?? 0;
  const common = {
    kind,
    classWeights: weights ? Array.from(classWeights!) : null,
    batchWeight(y: Float32Array, n: number): number {
      if (!weights || kind !== 'categoricalCrossentropy') return n;
      let sum = 0;
      for (let i = 0, end = n * k; i < end; i++) sum += y[i]! * weights[i % k]!;
      return sum;
    },
    dispose() {
      w?.dispose();
    },
  };
  if (logits) {
    const f = logits;
    return {
      ...common,
      fromLogits: true,
      lossAndCorrect(x, y, training) {
        const z = f(x, training);
        return { loss: lossFromLogits(kind, z, y, w), correct: countCorrect(z, y), output: z };
      },
    };
  }
  return {
    ...common,
    fromLogits: false,
    lossAndCorrect(x, y, training) {
      const p = model.apply(x, { training }) as tf.Tensor;
      return { loss: lossFromProbs(kind, p, y, w), correct: countCorrect(p, y), output: p };
    },
  };
}
