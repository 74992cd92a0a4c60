/**
 * tfjs-core's Node bundle ships without the chained tensor methods (`t.flatten()`, `t.toInt()`,
 * ...), which the umbrella `@tensorflow/tfjs` package installs as a side effect. tfjs-layers
 * calls a few of them (the Orthogonal initializer of GRU/LSTM, some metrics), so without them a
 * recurrent model fails to build with `rMat.flatten is not a function`. The ESM file that
 * installs them cannot be required from Node, so we install the same methods here.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Methods that are exactly `op(this, ...args)`. */
const PLAIN = (
  'abs acos acosh add all any argMax argMin asin asinh atan atan2 atanh avgPool batchToSpaceND ' +
  'batchNorm broadcastTo cast ceil clipByValue conv1d conv2d conv2dTranspose cos cosh cumprod ' +
  'cumsum depthToSpace depthwiseConv2d dilation2d div divNoNan dot elu equal erf euclideanNorm ' +
  'exp expandDims expm1 floor floorDiv gather greater greaterEqual isFinite isInf isNaN ' +
  'leakyRelu less lessEqual localResponseNormalization log log1p logSigmoid logSoftmax ' +
  'logSumExp logicalAnd logicalNot logicalOr logicalXor matMul max maxPool maximum mean min ' +
  'minimum mirrorPad mod mul neg norm notEqual oneHot onesLike pad pool pow prelu prod ' +
  'reciprocal relu relu6 reshape reverse round rsqrt selu separableConv2d sigmoid sign sin sinh ' +
  'slice softmax softplus spaceToBatchND split sqrt square squaredDifference squeeze step ' +
  'stridedSlice sub sum tan tanh tile topk transpose unique unsortedSegmentSum unstack zerosLike'
).split(' ');

type Method = (this: tf.Tensor, ...args: unknown[]) => unknown;

/** Installs the chained methods that are missing; returns how many it added. Idempotent. */
export function installChainedOps(): number {
  const proto = tf.Tensor.prototype as unknown as Record<string, Method | undefined>;
  const ops = tf as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>;
  let added = 0;
  const define = (name: string, fn: Method): void => {
    if (proto[name] !== undefined) return;
    Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });
    added++;
  };
  for (const name of PLAIN) {
    const op = ops[name];
    if (typeof op === 'function')
      define(name, function (this: tf.Tensor, ...args) {
        return op(this, ...args);
      });
  }
  define('flatten', function () {
    return tf.reshape(this, [this.size]);
  });
  define('as1D', function () {
    return tf.reshape(this, [this.size]);
  });
  define('asScalar', function () {
    return tf.reshape(this, []);
  });
  define('as2D', function (...s) {
    return tf.reshape(this, s as number[]);
  });
  define('as3D', function (...s) {
    return tf.reshape(this, s as number[]);
  });
  define('as4D', function (...s) {
    return tf.reshape(this, s as number[]);
  });
  define('as5D', function (...s) {
    return tf.reshape(this, s as number[]);
  });
  define('reshapeAs', function (x) {
    return tf.reshape(this, (x as tf.Tensor).shape);
  });
  define('asType', function (d) {
    return tf.cast(this, d as tf.DataType);
  });
  define('toFloat', function () {
    return tf.cast(this, 'float32');
  });
  define('toInt', function () {
    return tf.cast(this, 'int32');
  });
  define('toBool', function () {
    return tf.cast(this, 'bool');
  });
  define('concat', function (x, axis) {
    const rest = Array.isArray(x) ? (x as tf.Tensor[]) : [x as tf.Tensor];
    return tf.concat([this, ...rest], axis as number | undefined);
  });
  define('stack', function (x, axis) {
    const rest = Array.isArray(x) ? (x as tf.Tensor[]) : [x as tf.Tensor];
    return tf.stack([this, ...rest], axis as number | undefined);
  });
  define('where', function (cond, x) {
    return tf.where(cond as tf.Tensor, this, x as tf.Tensor);
  });
  return added;
}
