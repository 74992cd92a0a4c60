/**
 * The networks of issue 4, built twice from one spec: in tfjs (here) and in PyTorch
 * (torchScript.ts), so the benchmark compares the same work.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { compileGraphModel, type GraphModelName } from './graphModels';

export type BenchModelName = 'surname-cnn' | 'embedding-resnet' | 'embedding-gru' | 'embedding-lstm' | 'agnews-cnn' | GraphModelName;

export interface BenchModelSpec {
  name: BenchModelName;
  title: string;
  /** Input: one-hot characters [length, vocab] (float), token ids [length] (int), or an image [H, W, C] (float). */
  input: { kind: 'onehot' | 'ids' | 'image'; length: number; vocab: number; image?: [number, number, number] };
  classes: number;
  /** Issue 16's goal: at most this many times PyTorch's ms/step (recurrent nets 1×, convolutional ones 1.25×). */
  goal: number;
}

export const BENCH_MODELS: readonly BenchModelSpec[] = [
  {
    name: 'surname-cnn',
    title: 'surname CNN: one-hot [17×77] → Conv1D 256 k3 ELU ×4 (s 1,2,2,1) → Dense 18',
    input: { kind: 'onehot', length: 17, vocab: 77 },
    classes: 18,
    goal: 1.25,
  },
  {
    name: 'embedding-resnet',
    title: 'Embedding 77→64 + Conv/BatchNorm/residual/NiN 128 + GlobalMaxPool + Dropout → Dense 18',
    input: { kind: 'ids', length: 17, vocab: 77 },
    classes: 18,
    goal: 1.25,
  },
  { name: 'embedding-gru', title: 'Embedding 5000→100 + GRU 64 → Dense 4, length 30', input: { kind: 'ids', length: 30, vocab: 5000 }, classes: 4, goal: 1 },
  { name: 'embedding-lstm', title: 'Embedding 5000→100 + LSTM 64 → Dense 4, length 30', input: { kind: 'ids', length: 30, vocab: 5000 }, classes: 4, goal: 1 },
  {
    name: 'agnews-cnn',
    title: 'AG News CNN: Embedding 20000→100 + Conv1D 100 k3 s2 ELU ×3 + GlobalAvgPool → Dense 4, length 40',
    input: { kind: 'ids', length: 40, vocab: 20000 },
    classes: 4,
    goal: 1.25,
  },
  {
    name: 'digits-lenet',
    title: 'digits LeNet (block graph): [28×28×1] → Conv2D 6 5×5 same → MaxPool → Conv2D 16 5×5 → MaxPool → Dense 120, 84 → 10',
    input: { kind: 'image', length: 0, vocab: 0, image: [28, 28, 1] },
    classes: 10,
    goal: 1.25,
  },
  {
    name: 'digits-resnet',
    title: 'residual 2D CNN (block graph): [28×28×1] → Conv2D 16 + BatchNorm, residual Conv2D 16 + BatchNorm → MaxPool → NiN 32 → GlobalAvgPool2D → 10',
    input: { kind: 'image', length: 0, vocab: 0, image: [28, 28, 1] },
    classes: 10,
    goal: 1.25,
  },
];

type ST = tfl.SymbolicTensor;
const L = tfl.layers;

export function buildTfjsModel(spec: BenchModelSpec): tfl.LayersModel {
  const { kind, length, vocab } = spec.input;
  if (spec.name === 'digits-lenet' || spec.name === 'digits-resnet') {
    return compileGraphModel(spec.name, { inputShape: spec.input.image!, inputDtype: 'float32', numClasses: spec.classes });
  }
  const input = kind === 'onehot' ? tfl.input({ shape: [length, vocab] }) : tfl.input({ shape: [length], dtype: 'int32' });
  let h: ST = input;
  switch (spec.name) {
    case 'surname-cnn':
      for (const strides of [1, 2, 2, 1]) h = L.conv1d({ filters: 256, kernelSize: 3, strides, activation: 'elu' }).apply(h) as ST;
      h = L.flatten().apply(h) as ST;
      break;
    case 'embedding-resnet': {
      h = L.embedding({ inputDim: vocab, outputDim: 64 }).apply(h) as ST;
      h = L.conv1d({ filters: 128, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(h) as ST;
      const a = L.batchNormalization().apply(h) as ST;
      let r = L.conv1d({ filters: 128, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(a) as ST;
      r = L.batchNormalization().apply(r) as ST;
      h = L.add().apply([a, r]) as ST;
      h = L.conv1d({ filters: 128, kernelSize: 1, activation: 'relu' }).apply(h) as ST;
      h = L.globalMaxPooling1d().apply(h) as ST;
      h = L.dropout({ rate: 0.5 }).apply(h) as ST;
      break;
    }
    case 'embedding-gru':
      h = L.embedding({ inputDim: vocab, outputDim: 100 }).apply(h) as ST;
      h = L.gru({ units: 64 }).apply(h) as ST;
      break;
    case 'embedding-lstm':
      h = L.embedding({ inputDim: vocab, outputDim: 100 }).apply(h) as ST;
      h = L.lstm({ units: 64 }).apply(h) as ST;
      break;
    case 'agnews-cnn':
      h = L.embedding({ inputDim: vocab, outputDim: 100 }).apply(h) as ST;
      for (let i = 0; i < 3; i++) h = L.conv1d({ filters: 100, kernelSize: 3, strides: 2, activation: 'elu' }).apply(h) as ST;
      h = L.globalAveragePooling1d().apply(h) as ST;
      break;
  }
  const out = L.dense({ units: spec.classes, activation: 'softmax' }).apply(h) as ST;
  return tfl.model({ inputs: input, outputs: out });
}

/** A deterministic random batch: inputs and one-hot labels. */
export function makeBatch(spec: BenchModelSpec, batch: number, seed: number): { x: tf.Tensor; y: tf.Tensor } {
  let s = seed >>> 0;
  const next = (m: number): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % m;
  };
  const { kind, length, vocab } = spec.input;
  const ys = new Float32Array(batch * spec.classes);
  for (let i = 0; i < batch; i++) ys[i * spec.classes + next(spec.classes)] = 1;
  const y = tf.tensor2d(ys, [batch, spec.classes]);
  if (kind === 'image') {
    const shape = spec.input.image!;
    const xs = new Float32Array(batch * shape[0] * shape[1] * shape[2]);
    for (let i = 0; i < xs.length; i++) xs[i] = next(256) / 255;
    return { x: tf.tensor4d(xs, [batch, ...shape]), y };
  }
  if (kind === 'onehot') {
    const xs = new Float32Array(batch * length * vocab);
    for (let i = 0; i < batch * length; i++) xs[i * vocab + next(vocab)] = 1;
    return { x: tf.tensor3d(xs, [batch, length, vocab]), y };
  }
  const ids = new Int32Array(batch * length);
  for (let i = 0; i < ids.length; i++) ids[i] = next(vocab);
  return { x: tf.tensor2d(ids, [batch, length], 'int32'), y };
}
