/** Graphs whose every node's inferred shape must equal what tfjs builds. */
import type { DataFacts } from '../../../engine/blocks/defineBlock';
import { INDEX, ONEHOT, type Step } from '../graph/fixtures';

export interface ShapeCase {
  name: string;
  steps: Step[];
  facts: DataFacts;
}

const conv1dCases: ShapeCase[] = [];
for (const padding of ['valid', 'same', 'causal'] as const) {
  for (const [kernelSize, strides, dilationRate] of [
    [1, 1, 1],
    [3, 1, 1],
    [3, 2, 1],
    [5, 3, 1],
    [3, 1, 2],
    [4, 1, 3],
  ] as const) {
    conv1dCases.push({
      name: `Conv1D k${kernelSize} s${strides} d${dilationRate} ${padding}`,
      steps: [['Input'], ['Conv1D', { filters: 6, kernelSize, strides, dilationRate, padding, useBias: kernelSize !== 4 }], ['Flatten'], ['Output']],
      facts: ONEHOT,
    });
  }
}

export const SHAPE_CASES: ShapeCase[] = [
  {
    name: 'surname CNN',
    steps: [
      ['Input'],
      ['Conv1D', { filters: 256, kernelSize: 3, activation: 'elu' }],
      ['Conv1D', { filters: 256, kernelSize: 3, strides: 2, activation: 'elu' }],
      ['Conv1D', { filters: 256, kernelSize: 3, strides: 2, activation: 'elu' }],
      ['Conv1D', { filters: 256, kernelSize: 3, activation: 'elu' }],
      ['Flatten'],
      ['Output'],
    ],
    facts: ONEHOT,
  },
  ...conv1dCases,
  {
    name: 'Embedding + GlobalMaxPool1D + Dense + Dropout',
    steps: [['Input', { dtype: 'int32' }], ['Embedding', { outputDim: 12 }], ['GlobalMaxPool1D'], ['Dense', { units: 7, l2: 0.01 }], ['Dropout', { rate: 0.3 }], ['Output']],
    facts: INDEX,
  },
  {
    name: 'MLP with a sigmoid output',
    steps: [['Input'], ['Flatten'], ['Dense', { units: 32, activation: 'tanh' }], ['Output', { units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy' }]],
    facts: { ...ONEHOT, numClasses: 2 },
  },
];
