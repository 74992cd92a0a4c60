/** Graphs whose every node's inferred shape must equal what tfjs builds. */
import type { DataFacts } from '../../../engine/graph/types';
import { INDEX, ONEHOT, SURNAME_CNN, type Step } from '../graph/fixtures';

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
    steps: [...SURNAME_CNN],
    facts: ONEHOT,
  },
  ...conv1dCases,
  {
    name: 'Embedding + GlobalMaxPool1D + Dense + Dropout',
    steps: [
      ['Input', { dtype: 'int32' }],
      ['Embedding', { outputDim: 12 }],
      ['GlobalMaxPool1D'],
      ['Dense', { units: 7, l2: 0.01 }],
      ['Dropout', { rate: 0.3 }],
      ['Output'],
    ],
    facts: INDEX,
  },
  {
    name: 'MLP with a sigmoid output',
    steps: [['Input'], ['Flatten'], ['Dense', { units: 32, activation: 'tanh' }], ['Output', { units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy' }]],
    facts: { ...ONEHOT, numClasses: 2 },
  },
];

const IMAGE = { inputShape: [12, 10, 3], inputDtype: 'float32', numClasses: 5 } as const;
const SEQ = { inputShape: [9, 6], inputDtype: 'float32', numClasses: 3 } as const;

const conv2dCases: ShapeCase[] = [];
for (const padding of ['valid', 'same'] as const) {
  for (const [kernelSize, strides, dilationRate] of [
    [1, 1, 1],
    [3, 1, 1],
    [3, 2, 1],
    [[3, 2], [2, 1], 1],
    [[2, 3], [1, 3], 1],
    [3, 1, 2],
    [[3, 2], 1, [1, 3]],
    [[2, 4], 1, [4, 2]],
  ] as const) {
    conv2dCases.push({
      name: `Conv2D k${JSON.stringify(kernelSize)} s${JSON.stringify(strides)} d${JSON.stringify(dilationRate)} ${padding}`,
      steps: [['Input'], ['Conv2D', { filters: 4, kernelSize, strides, dilationRate, padding }], ['Flatten'], ['Output']],
      facts: IMAGE,
    });
  }
}

const poolCases: ShapeCase[] = [];
for (const type of ['MaxPool1D', 'AvgPool1D'] as const) {
  for (const padding of ['valid', 'same'] as const) {
    for (const pool of [{ poolSize: 2 }, { poolSize: 3 }, { poolSize: 3, strides: 1 }, { poolSize: 2, strides: 3 }, { poolSize: 17 }]) {
      poolCases.push({
        name: `${type} ${JSON.stringify(pool)} ${padding}`,
        steps: [['Input'], [type, { ...pool, padding }], ['Flatten'], ['Output']],
        facts: ONEHOT,
      });
    }
  }
}
for (const type of ['MaxPool2D', 'AvgPool2D'] as const) {
  for (const padding of ['valid', 'same'] as const) {
    for (const pool of [{ poolSize: 2 }, { poolSize: [3, 2] }, { poolSize: 3, strides: 1 }, { poolSize: 2, strides: [1, 3] }]) {
      poolCases.push({
        name: `${type} ${JSON.stringify(pool)} ${padding}`,
        steps: [['Input'], [type, { ...pool, padding }], ['Flatten'], ['Output']],
        facts: IMAGE,
      });
    }
  }
}

const rnnCases: ShapeCase[] = [];
for (const type of ['GRU', 'LSTM', 'SimpleRNN'] as const) {
  for (const bidirectional of [false, true]) {
    rnnCases.push({
      name: `${type}${bidirectional ? ' bidirectional' : ''} (sequences, then last state)`,
      steps: [
        ['Input'],
        [type, { units: 5, returnSequences: true, bidirectional }],
        [type, { units: 4, bidirectional, dropout: 0.1, recurrentDropout: 0.1 }],
        ['Output'],
      ],
      facts: SEQ,
    });
  }
}

SHAPE_CASES.push(
  ...conv2dCases,
  ...poolCases,
  ...rnnCases,
  { name: 'NiN 1D', steps: [['Input'], ['NiN', { filters: 7 }], ['GlobalAvgPool1D'], ['Output']], facts: ONEHOT },
  { name: 'NiN 2D + GlobalMaxPool2D', steps: [['Input'], ['NiN', { filters: 7, activation: 'gelu' }], ['GlobalMaxPool2D'], ['Output']], facts: IMAGE },
  { name: 'GlobalAvgPool2D', steps: [['Input'], ['GlobalAvgPool2D'], ['Output']], facts: IMAGE },
  {
    name: 'BatchNorm on a sequence, an image and a vector',
    steps: [['Input'], ['BatchNorm', { momentum: 0.9 }], ['Flatten'], ['BatchNorm', { epsilon: 1e-5 }], ['Output']],
    facts: ONEHOT,
  },
  { name: 'BatchNorm 2D', steps: [['Input'], ['BatchNorm'], ['GlobalAvgPool2D'], ['Output']], facts: IMAGE },
  {
    name: 'Activation of every kind',
    steps: [
      ['Input'],
      ...(['relu', 'elu', 'selu', 'gelu', 'tanh', 'sigmoid', 'softmax', 'linear'] as const).map((fn): Step => ['Activation', { fn }]),
      ['Flatten'],
      ['Output'],
    ],
    facts: ONEHOT,
  },
  {
    name: 'Reshape with -1 and exact',
    steps: [['Input'], ['Reshape', { targetShape: [-1, 7] }], ['Reshape', { targetShape: [17, 77, 1] }], ['Conv2D', { filters: 2 }], ['Flatten'], ['Output']],
    facts: ONEHOT,
  },
  {
    name: 'Embedding maskZero + GRU',
    steps: [
      ['Input', { dtype: 'int32' }],
      ['Embedding', { outputDim: 8, maskZero: true }],
      ['Dropout', { rate: 0.1 }],
      ['GRU', { units: 6, bidirectional: true }],
      ['Output'],
    ],
    facts: INDEX,
  },
);
