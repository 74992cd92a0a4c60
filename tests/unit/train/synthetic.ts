/** A tiny synthetic classification task and model for the training-loop tests. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import type { DataSummary } from '../../../engine/api';
import { TrainingSchema, type TrainingSpec } from '../../../engine/graph/document';
import { mulberry32 } from '../../../engine/data/prng';
import type { BatchArrays, SplitName, TrainData } from '../../../engine/train/trainData';

/**
 * Three Gaussian blobs in 4 dimensions; `sizes` examples per split. Example i is of class
 * `classOf(i)` (default i mod 3); `spread` is the blobs' standard deviation.
 */
export function blobs(
  sizes: Record<SplitName, number> = { train: 300, dev: 60, test: 60 },
  seed = 7,
  opts: { classOf?: (i: number) => number; spread?: number } = {},
): TrainData {
  const dims = 4;
  const classes = 3;
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centers = [
    [2, 0, 0, 1],
    [-2, 1, 0, -1],
    [0, -2, 2, 0],
  ];
  const make = (n: number) => {
    const x = new Float32Array(n * dims);
    const label = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = opts.classOf ? opts.classOf(i) : i % classes;
      label[i] = c;
      for (let d = 0; d < dims; d++) x[i * dims + d] = centers[c]![d]! + gauss() * (opts.spread ?? 0.8);
    }
    return { x, label };
  };
  const splits = { train: make(sizes.train), dev: make(sizes.dev), test: make(sizes.test) };
  const trainClassCounts = [0, 0, 0];
  for (const c of splits.train.label) trainClassCounts[c]!++;
  const summary: DataSummary = {
    source: 'synthetic blobs',
    rows: sizes.train + sizes.dev + sizes.test,
    classes: ['a', 'b', 'c'],
    classCounts: [0, 0, 0],
    trainClassCounts,
    vocabSize: 0,
    maxLength: 0,
    inputShape: [dims],
    inputDtype: 'float32',
    split: sizes,
    sample: [],
  };
  return {
    summary,
    inputShape: [dims],
    inputDtype: 'float32',
    numClasses: classes,
    size: (split) => sizes[split],
    fill(split, indices, out?: BatchArrays) {
      const n = indices.length;
      const arrays = out ?? { x: new Float32Array(n * dims), y: new Float32Array(n * classes) };
      arrays.y.fill(0);
      const s = splits[split];
      for (let i = 0; i < n; i++) {
        const j = indices[i]!;
        for (let d = 0; d < dims; d++) arrays.x[i * dims + d] = s.x[j * dims + d]!;
        arrays.y[i * classes + s.label[j]!] = 1;
      }
      return arrays;
    },
  };
}

/** Dense 16 relu (→ BatchNorm when asked) → Dropout (unless `dropout` is 0) → Dense 3 softmax. */
export function tinyModel(seed = 1, opts: { batchNorm?: boolean; dropout?: number } = {}): tfl.LayersModel {
  const input = tfl.input({ shape: [4] });
  let h = tfl.layers.dense({ units: 16, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed }) }).apply(input) as tfl.SymbolicTensor;
  if (opts.batchNorm) h = tfl.layers.batchNormalization().apply(h) as tfl.SymbolicTensor;
  const rate = opts.dropout ?? 0.1;
  const d = rate > 0 ? (tfl.layers.dropout({ rate }).apply(h) as tfl.SymbolicTensor) : h;
  const out = tfl.layers
    .dense({ units: 3, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) })
    .apply(d) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

export function trainingSpec(overrides: Record<string, unknown> = {}): TrainingSpec {
  return TrainingSchema.parse({ batchSize: 16, seed: 3, optimizer: { type: 'adam', lr: 0.01 }, ...overrides });
}

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}
