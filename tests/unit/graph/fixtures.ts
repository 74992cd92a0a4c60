/** Small builders for documents and graphs in tests. */
import { DocumentSchema, type Document, type Graph } from '../../../engine/graph/document';

export type Step = [type: string, params?: Record<string, unknown>];

/** A graph that wires the steps one after the other; node ids are n0, n1, …, edges e1, e2, …. */
export function chain(steps: readonly Step[]): Graph {
  const nodes = steps.map(([type, params], i) => ({ id: `n${i}`, type, params: params ?? {}, ui: { x: 240 * i, y: 0 } }));
  const edges = steps.slice(1).map((_, i) => ({ id: `e${i + 1}`, source: `n${i}`, sourcePort: 'out', target: `n${i + 1}`, targetPort: 'in' }));
  return DocumentSchema.shape.graph.parse({ nodes, edges });
}

/** A graph from explicit nodes and [source, target, port?] wires. */
export function graphOf(nodes: Record<string, Step>, wires: readonly [string, string, string?][]): Graph {
  return DocumentSchema.shape.graph.parse({
    nodes: Object.entries(nodes).map(([id, [type, params]]) => ({ id, type, params: params ?? {} })),
    edges: wires.map(([source, target, port], i) => ({ id: `w${i}`, source, target, targetPort: port ?? 'in' })),
  });
}

/** A document around `graph`, bound to the default data (the built-in surnames). */
export function docOf(graph: Graph): Document {
  return DocumentSchema.parse({ format: 'modelwright', schemaVersion: 1, graph, data: {} });
}

/** Facts for one-hot surnames: 17 chars × 77 symbols, 18 classes. */
/** The classic surname CNN: four Conv1D 256 k3 ELU (strides 1, 2, 2, 1), flattened into the output. */
export const SURNAME_CNN: readonly Step[] = [
  ['Input', { shape: 'auto' }],
  ['Conv1D', { filters: 256, kernelSize: 3, activation: 'elu' }],
  ['Conv1D', { filters: 256, kernelSize: 3, strides: 2, activation: 'elu' }],
  ['Conv1D', { filters: 256, kernelSize: 3, strides: 2, activation: 'elu' }],
  ['Conv1D', { filters: 256, kernelSize: 3, activation: 'elu' }],
  ['Flatten'],
  ['Output'],
];

export const ONEHOT = { inputShape: [17, 77], inputDtype: 'float32', vocabSize: 77, numClasses: 18 } as const;
/** Facts for token ids: length 30, vocabulary 500, 4 classes. */
export const INDEX = { inputShape: [30], inputDtype: 'int32', vocabSize: 500, numClasses: 4 } as const;

/** Input [8, 4] → a residual block (conv, BatchNorm, conv, add the skip) → Flatten → Output. */
export function residualGraph(): Graph {
  const at = (x: number, y = 0) => ({ x, y });
  return DocumentSchema.shape.graph.parse({
    nodes: [
      { id: 'x', type: 'Input', params: { shape: [8, 4] }, ui: at(0) },
      { id: 'conv_a', type: 'Conv1D', params: { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }, ui: at(240) },
      { id: 'bn', type: 'BatchNorm', params: {}, ui: at(480) },
      { id: 'conv_b', type: 'Conv1D', params: { filters: 4, kernelSize: 3, padding: 'same' }, ui: at(720) },
      { id: 'add', type: 'Residual', params: {}, ui: at(960) },
      { id: 'flat', type: 'Flatten', params: {}, ui: at(1200) },
      { id: 'out', type: 'Output', params: { units: 3 }, ui: at(1440) },
    ],
    edges: [
      { id: 'e1', source: 'x', target: 'conv_a' },
      { id: 'e2', source: 'conv_a', target: 'bn' },
      { id: 'e3', source: 'bn', target: 'conv_b' },
      { id: 'e4', source: 'conv_b', target: 'add' },
      { id: 'e5', source: 'x', target: 'add' },
      { id: 'e6', source: 'add', target: 'flat' },
      { id: 'e7', source: 'flat', target: 'out' },
    ],
  });
}
