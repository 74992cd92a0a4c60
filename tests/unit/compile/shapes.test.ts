/**
 * The table test the block library stands on: for every case, the shape and parameter count
 * inferGraph reports for each node equal those of the compiled tfjs model, both symbolically and
 * in a real forward pass on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataFacts } from '../../../engine/graph/types';
import { compileGraph } from '../../../engine/compile/compile';
import { compileChecked } from './compileChecked';
import type { Graph } from '../../../engine/graph/document';
import { inferGraph } from '../../../engine/graph/validate';
import { chain, docOf, INDEX, ONEHOT, type Step } from '../graph/fixtures';
import { SHAPE_CASES } from './cases';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function batchFor(facts: DataFacts, n: number): tf.Tensor {
  const shape = [n, ...(facts.inputShape ?? [])];
  if (facts.inputDtype === 'int32') return tf.randomUniform(shape, 0, facts.vocabSize ?? 2, 'int32', 1);
  return tf.randomUniform(shape, 0, 1, 'float32', 1);
}

function checkCase(graph: Graph, facts: DataFacts) {
  const analysis = inferGraph(graph, facts);
  expect(analysis.issues).toEqual([]);
  const { model, outputs: outs } = compileChecked(docOf(graph), facts, { seed: 42 });
  const ids = [...outs.keys()];
  for (const id of ids) {
    expect(outs.get(id)!.shape, `symbolic shape of ${id}`).toEqual(analysis.nodeTypes[id]!.shape);
    // The compiler names the layer holding a node's weights after the node.
    expect(model.getLayer(id).countParams(), `params of ${id}`).toBe(analysis.costs[id]!.params);
  }
  // A real forward pass through a model that exposes every node.
  const probe = tfl.model({ inputs: model.inputs, outputs: ids.map((id) => outs.get(id)!) });
  const x = batchFor(facts, 3);
  const ys = probe.predict(x) as tf.Tensor[];
  ids.forEach((id, i) => {
    expect(ys[i]!.shape, `runtime shape of ${id}`).toEqual([3, ...analysis.nodeTypes[id]!.shape.slice(1)]);
  });
  tf.dispose([x, ...ys]);
  expect(model.outputs).toHaveLength(1);
  expect(model.outputs[0]!.shape).toEqual(analysis.nodeTypes[graph.nodes.find((n) => n.type === 'Output')!.id]!.shape);
  model.dispose();
}

describe('inferShape equals the compiled tfjs model', () => {
  for (const c of SHAPE_CASES) {
    it(c.name, () => checkCase(chain(c.steps), c.facts));
  }
});

describe('compileGraph', () => {
  it("refuses an analysis with issues: checking it is the caller's job", () => {
    const bad = chain([['Input'], ['Dense'], ['Output']]);
    const analysis = inferGraph(bad, ONEHOT);
    expect(analysis.issues[0]).toMatchObject({ code: 'rank-mismatch', nodeId: 'n1' });
    expect(() => compileGraph(bad, analysis, ONEHOT, { seed: 1 })).toThrow(/check it first/);
  });

  it('is seeded: same seed, same weights; other seed, other weights', () => {
    const g = chain([['Input'], ['Conv1D', { filters: 4 }], ['Flatten'], ['Dense', { units: 5 }], ['Output']] as Step[]);
    const w = (seed: number) => {
      const m = compileChecked(docOf(g), ONEHOT, { seed }).model;
      const values = m.getWeights().map((t) => Array.from(t.dataSync()));
      m.dispose();
      return values;
    };
    expect(w(7)).toEqual(w(7));
    expect(w(7)[0]).not.toEqual(w(8)[0]);
  });

  it('loads pretrained embedding vectors and refuses ones of the wrong size', () => {
    const g = chain([['Input', { dtype: 'int32' }], ['Embedding', { outputDim: 3, trainable: false }], ['GlobalMaxPool1D'], ['Output']] as Step[]);
    const weights = Float32Array.from({ length: 500 * 3 }, (_, i) => i / 1000);
    const m = compileChecked(docOf(g), INDEX, { seed: 1, pretrained: { n1: { weights, dims: [500, 3] } } }).model;
    expect(Array.from(m.getLayer('n1').getWeights()[0]!.dataSync())).toEqual(Array.from(weights));
    expect(m.getLayer('n1').trainableWeights).toHaveLength(0);
    m.dispose();
    const wrong = compileGraph(g, inferGraph(g, INDEX), INDEX, { seed: 1, pretrained: { n1: { weights: new Float32Array(500 * 4), dims: [500, 4] } } });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.issues[0]).toMatchObject({ code: 'data-mismatch', nodeId: 'n1', message: expect.stringMatching(/500 × 4/) });
  });
});
