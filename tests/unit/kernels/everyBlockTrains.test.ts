// Every block in the registry trains on both built-in backends: each graph below is compiled
// from a Document, trained one SGD step on wasm and on cpu from the same seed, and the two must
// agree on the loss and on every updated weight — which checks every forward and gradient
// kernel the blocks use on wasm (ours and tfjs's) against the cpu reference.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { DataFacts } from '../../../engine/graph/types';
import { BLOCKS } from '../../../engine/blocks/registry';
import { initBackend } from '../../../engine/backend';
import { compileChecked } from '../compile/compileChecked';
import type { Graph } from '../../../engine/graph/document';
import { chain, docOf, graphOf } from '../graph/fixtures';
import { expectAllClose } from './compareBackends';

const SEQ: DataFacts = { inputShape: [13, 6], inputDtype: 'float32', numClasses: 3 };
const IDS: DataFacts = { inputShape: [10], inputDtype: 'int32', vocabSize: 25, numClasses: 3 };
const IMG: DataFacts = { inputShape: [8, 7, 2], inputDtype: 'float32', numClasses: 3 };

const CASES: { name: string; graph: Graph; facts: DataFacts }[] = [
  {
    name: 'Conv1D, pooling 1D, NiN, Flatten',
    graph: chain([
      ['Input'],
      ['Conv1D', { filters: 5, kernelSize: 3, strides: 2, activation: 'elu' }],
      ['MaxPool1D'],
      ['AvgPool1D', { poolSize: 1 }],
      ['NiN', { filters: 4 }],
      ['Flatten'],
      ['Output'],
    ]),
    facts: SEQ,
  },
  {
    name: 'Embedding, BatchNorm, GlobalMaxPool1D, Dense, Dropout, Activation',
    graph: chain([
      ['Input', { dtype: 'int32' }],
      ['Embedding', { outputDim: 6 }],
      ['Conv1D', { filters: 5, kernelSize: 3, padding: 'same' }],
      ['BatchNorm'],
      ['GlobalMaxPool1D'],
      ['Dense', { units: 7, activation: 'selu', l2: 0.01 }],
      ['Dropout', { rate: 0.3 }],
      ['Activation', { fn: 'gelu' }],
      ['Output'],
    ]),
    facts: IDS,
  },
  {
    name: 'GRU, LSTM',
    graph: chain([
      ['Input', { dtype: 'int32' }],
      ['Embedding', { outputDim: 5 }],
      ['GRU', { units: 4, returnSequences: true }],
      ['LSTM', { units: 3, bidirectional: true }],
      ['Output'],
    ]),
    facts: IDS,
  },
  {
    name: 'SimpleRNN, GlobalAvgPool1D',
    graph: chain([['Input'], ['SimpleRNN', { units: 4, returnSequences: true }], ['GlobalAvgPool1D'], ['Output']]),
    facts: SEQ,
  },
  {
    name: 'Conv2D, pooling 2D, GlobalAvgPool2D',
    graph: chain([
      ['Input'],
      ['Conv2D', { filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }],
      ['MaxPool2D'],
      ['AvgPool2D', { poolSize: 1 }],
      ['GlobalAvgPool2D'],
      ['Output'],
    ]),
    facts: IMG,
  },
  {
    name: 'GlobalMaxPool2D, Reshape',
    graph: chain([
      ['Input'],
      ['Reshape', { targetShape: [8, 14] }],
      ['Reshape', { targetShape: [8, 7, 2] }],
      ['Conv2D', { filters: 3, kernelSize: 2, strides: 2 }],
      ['GlobalMaxPool2D'],
      ['Output'],
    ]),
    facts: IMG,
  },
  {
    name: 'Residual, Concat',
    graph: graphOf(
      {
        x: ['Input'],
        a: ['Conv1D', { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }],
        b: ['Conv1D', { filters: 4, kernelSize: 3, padding: 'same' }],
        r: ['Residual'],
        c: ['Concat'],
        g: ['GlobalAvgPool1D'],
        o: ['Output'],
      },
      [
        ['x', 'a'],
        ['a', 'b'],
        ['a', 'r'],
        ['b', 'r'],
        ['r', 'c'],
        ['a', 'c'],
        ['c', 'g'],
        ['g', 'o'],
      ],
    ),
    facts: SEQ,
  },
];

function batchFor(facts: DataFacts, n: number): { x: tf.Tensor; y: tf.Tensor } {
  const shape = [n, ...(facts.inputShape as number[])];
  const x = facts.inputDtype === 'int32' ? tf.randomUniform(shape, 0, facts.vocabSize as number, 'int32', 5) : tf.randomUniform(shape, -1, 1, 'float32', 5);
  const classes = facts.numClasses as number;
  const y = tf.cast(
    tf.oneHot(
      tf.tensor1d(
        Array.from({ length: n }, (_, i) => i % classes),
        'int32',
      ),
      classes,
    ),
    'float32',
  );
  return { x, y };
}

/** One SGD step from a fresh seeded model: the loss before the step and every weight after it. */
async function oneStep(backend: 'wasm' | 'cpu', graph: Graph, facts: DataFacts): Promise<{ loss: number; weights: Float32Array[] }> {
  await initBackend({ prefer: backend });
  const model = compileChecked(docOf(graph), facts, { seed: 3 }).model;
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  const { x, y } = batchFor(facts, 6);
  const loss = (await model.trainOnBatch(x, y)) as number;
  const weights = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
  tf.dispose([x, y]);
  model.dispose();
  return { loss, weights };
}

describe('every block trains on wasm and on cpu, with the same result', () => {
  it('the cases cover every block in the registry', () => {
    const covered = new Set(CASES.flatMap((c) => c.graph.nodes.map((n) => n.type)));
    expect(BLOCKS.map((b) => b.type).filter((t) => !covered.has(t))).toEqual([]);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const cpu = await oneStep('cpu', c.graph, c.facts);
      const wasm = await oneStep('wasm', c.graph, c.facts);
      expect(Number.isFinite(wasm.loss)).toBe(true);
      expect(wasm.loss).toBeCloseTo(cpu.loss, 4);
      expectAllClose(wasm.weights, cpu.weights, 1e-4, 'weight');
    });
  }
});
