/**
 * The graphs the export tests run: every chain of the shape table (tests/unit/compile/cases.ts),
 * and graphs with merges, which a chain cannot have: Residual and Concat along the channels and
 * along the steps, Concat over padded (masked) sequences too. (A Residual of padded sequences is
 * left out: tfjs 4.22's Add layer makes a mask of the wrong shape and the recurrent layer after it
 * throws, in the app as here.)
 */
import type { Graph } from '../../../engine/graph/document';
import type { DataFacts } from '../../../engine/graph/types';
import { SHAPE_CASES } from '../compile/cases';
import { chain, graphOf, INDEX, ONEHOT, type Step } from '../graph/fixtures';

export interface ExportCase {
  name: string;
  graph: Graph;
  facts: DataFacts;
  /** Why ONNX refuses this graph, when it does. */
  onnxRefuses?: RegExp;
}

const conv = (filters: number, kernelSize: number, padding = 'same'): Step => ['Conv1D', { filters, kernelSize, padding, activation: 'tanh' }];
const tokens: Record<string, Step> = { x: ['Input', { dtype: 'int32' }], e: ['Embedding', { outputDim: 6, maskZero: true }], d: ['Dropout', { rate: 0.2 }] };

export const MERGE_CASES: ExportCase[] = [
  {
    name: 'Residual of three convolutions',
    graph: graphOf({ x: ['Input'], a: conv(8, 3), b: conv(8, 1), c: conv(8, 5), sum: ['Residual'], f: ['Flatten'], out: ['Output'] }, [
      ['x', 'a'],
      ['x', 'b'],
      ['x', 'c'],
      ['a', 'sum'],
      ['b', 'sum'],
      ['c', 'sum'],
      ['sum', 'f'],
      ['f', 'out'],
    ]),
    facts: ONEHOT,
  },
  {
    name: 'Concat along the channels',
    graph: graphOf({ x: ['Input'], a: conv(8, 3), b: conv(5, 1), cat: ['Concat', { axis: -1 }], pool: ['GlobalMaxPool1D'], out: ['Output'] }, [
      ['x', 'a'],
      ['x', 'b'],
      ['a', 'cat'],
      ['b', 'cat'],
      ['cat', 'pool'],
      ['pool', 'out'],
    ]),
    facts: ONEHOT,
  },
  {
    name: 'Concat along the steps',
    graph: graphOf({ x: ['Input'], a: conv(8, 3, 'valid'), b: conv(8, 1), cat: ['Concat', { axis: 1 }], pool: ['GlobalAvgPool1D'], out: ['Output'] }, [
      ['x', 'a'],
      ['x', 'b'],
      ['a', 'cat'],
      ['b', 'cat'],
      ['cat', 'pool'],
      ['pool', 'out'],
    ]),
    facts: ONEHOT,
  },
  {
    name: 'padded sequences joined on the channels, into a GRU',
    graph: graphOf({ ...tokens, cat: ['Concat', { axis: -1 }], rnn: ['GRU', { units: 5 }], out: ['Output'] }, [
      ['x', 'e'],
      ['e', 'd'],
      ['e', 'cat'],
      ['d', 'cat'],
      ['cat', 'rnn'],
      ['rnn', 'out'],
    ]),
    facts: INDEX,
  },
  {
    name: 'padded sequences joined end to end, into a SimpleRNN',
    graph: graphOf({ ...tokens, cat: ['Concat', { axis: 1 }], rnn: ['SimpleRNN', { units: 5 }], out: ['Output'] }, [
      ['x', 'e'],
      ['e', 'd'],
      ['e', 'cat'],
      ['d', 'cat'],
      ['cat', 'rnn'],
      ['rnn', 'out'],
    ]),
    facts: INDEX,
    onnxRefuses: /node "cat" \(Concat\) has no ONNX form: it joins padded sequences end to end/,
  },
];

export const EXPORT_CASES: ExportCase[] = [...SHAPE_CASES.map((c) => ({ name: c.name, graph: chain(c.steps), facts: c.facts })), ...MERGE_CASES];
