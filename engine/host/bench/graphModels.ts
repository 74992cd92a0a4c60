/**
 * The bench's 2D rows (issue 13): block graphs, as a user wires them on the canvas, compiled by
 * the engine's own compiler, so the row times exactly what a user's run would build. The digits
 * LeNet is the network of `assets/examples/digits-lenet.json`; the residual CNN puts Conv2D,
 * BatchNorm on 4D tensors, Residual, a 1×1 NiN and GlobalAvgPool2D in one small model.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { compileGraph } from '../../compile/compile';
import { GraphSchema } from '../../graph/document';
import type { DataFacts } from '../../graph/types';
import { inferGraph } from '../../graph/validate';

type Chain = [id: string, type: string, params: Record<string, unknown>][];

/** A graph from a chain of blocks, each fed by the one before unless `extra` adds edges. */
function chainGraph(chain: Chain, extra: [source: string, target: string][] = []): unknown {
  const nodes = chain.map(([id, type, params], i) => ({ id, type, params, ui: { x: i * 240, y: 0 } }));
  const pairs: [string, string][] = [...chain.slice(1).map(([id], i): [string, string] => [chain[i]![0], id]), ...extra];
  const edges = pairs.map(([source, target], i) => ({ id: `e${i + 1}`, source, sourcePort: 'out', target, targetPort: 'in' }));
  return { nodes, edges };
}

const conv = (filters: number, kernelSize: number, padding: 'same' | 'valid'): Record<string, unknown> => ({
  filters,
  kernelSize,
  strides: 1,
  padding,
  dilationRate: 1,
  activation: 'relu',
  useBias: true,
});
const pool = { poolSize: 2, padding: 'valid' };
const output = { units: 'auto', activation: 'softmax', loss: 'categoricalCrossentropy' };

export const GRAPH_MODELS = {
  /** Input [28,28,1] → Conv2D 6 5×5 same → MaxPool 2 → Conv2D 16 5×5 valid → MaxPool 2 → Flatten → Dense 120, 84 → 10. */
  'digits-lenet': chainGraph([
    ['image', 'Input', { shape: 'auto', dtype: 'float32' }],
    ['conv1', 'Conv2D', conv(6, 5, 'same')],
    ['pool1', 'MaxPool2D', pool],
    ['conv2', 'Conv2D', conv(16, 5, 'valid')],
    ['pool2', 'MaxPool2D', pool],
    ['flatten', 'Flatten', {}],
    ['fc1', 'Dense', { units: 120, activation: 'relu' }],
    ['fc2', 'Dense', { units: 84, activation: 'relu' }],
    ['digit', 'Output', output],
  ]),
  /** Input [28,28,1] → Conv2D 16 3×3 + BN → (Conv2D 16 3×3 + BN) + skip → MaxPool 2 → NiN 32 → GlobalAvgPool2D → 10. */
  'digits-resnet': chainGraph(
    [
      ['image', 'Input', { shape: 'auto', dtype: 'float32' }],
      ['stem', 'Conv2D', conv(16, 3, 'same')],
      ['stem_bn', 'BatchNorm', { momentum: 0.9, epsilon: 0.001 }],
      ['conv', 'Conv2D', conv(16, 3, 'same')],
      ['conv_bn', 'BatchNorm', { momentum: 0.9, epsilon: 0.001 }],
      ['add', 'Residual', {}],
      ['pool', 'MaxPool2D', pool],
      ['nin', 'NiN', { filters: 32, activation: 'relu' }],
      ['gap', 'GlobalAvgPool2D', {}],
      ['digit', 'Output', output],
    ],
    [['stem_bn', 'add']],
  ),
} as const;

export type GraphModelName = keyof typeof GRAPH_MODELS;

/** Validates and compiles one of GRAPH_MODELS for `facts`; a graph that does not check is a bug here and throws. */
export function compileGraphModel(name: GraphModelName, facts: DataFacts, seed = 1337): tfl.LayersModel {
  const graph = GraphSchema.parse(GRAPH_MODELS[name]);
  const analysis = inferGraph(graph, facts);
  if (analysis.issues.length) throw new Error(`${name}: ${analysis.issues.map((i) => `${i.nodeId ?? ''} ${i.message}`).join('; ')}`);
  const compiled = compileGraph(graph, analysis, facts, { seed });
  if (!compiled.ok) throw new Error(`${name}: ${compiled.issues.map((i) => i.message).join('; ')}`);
  return compiled.model;
}
