/** A sweep in the Document: its targets' paths, its checks against the graph, and applying a configuration. */
import { describe, expect, it } from 'vitest';
import { DocumentSchema, nodeId, type Document, type SweepSpec } from '../../../engine/graph/document';
import { parseDocument, serializeDocument } from '../../../engine/graph/load';
import { applyConfig, defaultSweep, parseTargetPath, readTarget, targetLabel, targetPath, validateSweep, withSweep } from '../../../engine/graph/sweep';

const doc: Document = DocumentSchema.parse({
  format: 'modelwright',
  schemaVersion: 2,
  name: 'MLP',
  graph: {
    nodes: [
      { id: 'chars', type: 'Input', params: { shape: 'auto' } },
      { id: 'flatten', type: 'Flatten', params: {} },
      { id: 'hidden', type: 'Dense', params: { units: 300, activation: 'relu' } },
      { id: 'drop.1', type: 'Dropout', params: {} },
      { id: 'output', type: 'Output', params: {} },
    ],
    edges: [],
  },
});

const sweepOf = (params: SweepSpec['params']): SweepSpec => ({ ...defaultSweep(), params });
const node = (id: string, param: string) => ({ node: nodeId(id), param });

describe('sweep targets', () => {
  it('are written as paths and read back, a node id with dots included', () => {
    for (const t of [
      { training: 'optimizer.lr' as const },
      { training: 'batchSize' as const },
      node('hidden', 'units'),
      node('drop.1', 'rate'),
      node('a.params.b', 'rate'),
    ]) {
      const parsed = parseTargetPath(targetPath(t));
      expect(parsed).toEqual({ ok: true, target: t });
    }
    expect(targetPath({ training: 'optimizer.lr' })).toBe('training.optimizer.lr');
    expect(targetPath(node('drop.1', 'rate'))).toBe('graph.nodes.drop.1.params.rate');
    expect(targetLabel({ training: 'optimizer.beta1' })).toBe('beta1');
    expect(targetLabel(node('hidden', 'units'))).toBe('hidden.units');
    const bad = parseTargetPath('training.optimizer.amsgrad');
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.message).toMatch(/not a training setting a sweep can vary.*training\.optimizer\.lr/);
    expect(parseTargetPath('graph.nodes.x.rate').ok).toBe(false);
  });
});

describe('validateSweep', () => {
  it('accepts a sweep whose targets exist and whose ranges fit', () => {
    const sweep = sweepOf([
      { target: { training: 'optimizer.lr' }, scale: 'log', min: 1e-4, max: 0.1 },
      { target: { training: 'optimizer.beta1' }, scale: 'oneMinusLog', min: 0.8, max: 0.999 },
      { target: node('hidden', 'units'), scale: 'intLog', min: 32, max: 512 },
      { target: node('drop.1', 'rate'), scale: 'linear', min: 0, max: 0.6 },
      { target: node('hidden', 'activation'), scale: 'choice', choices: ['relu', 'tanh'] },
      { target: { training: 'batchSize' }, scale: 'choice', choices: [32, 64] },
    ]);
    expect(validateSweep(doc, sweep)).toEqual([]);
  });

  it('names the node that does not exist and the param a block lacks', () => {
    const issues = validateSweep(
      doc,
      sweepOf([
        { target: node('dropout9', 'rate'), scale: 'linear', min: 0, max: 0.5 },
        { target: node('drop.1', 'units'), scale: 'int', min: 1, max: 5 },
      ]),
    );
    expect(issues.map((i) => [i.code, i.index, i.nodeId])).toEqual([
      ['unknown-node', 0, 'dropout9'],
      ['unknown-param', 1, 'drop.1'],
    ]);
    expect(issues[0]!.message).toMatch(/node "dropout9".*no node "dropout9"/);
    expect(issues[1]!.message).toBe('Node "drop.1" is a Dropout, which has no param "units" (it has rate).');
    expect(issues[1]!.path).toBe('graph.nodes.drop.1.params.units');
  });

  it('refuses ranges a scale cannot sample, values a param does not take, a target twice, and no params', () => {
    const codes = (params: SweepSpec['params']) => validateSweep(doc, sweepOf(params)).map((i) => i.code);
    expect(codes([{ target: { training: 'optimizer.lr' }, scale: 'log', min: 0, max: 0.1 }])).toEqual(['bad-range']);
    expect(codes([{ target: { training: 'optimizer.lr' }, scale: 'log', min: 0.1, max: 0.01 }])).toEqual(['bad-range']);
    expect(codes([{ target: { training: 'optimizer.beta1' }, scale: 'oneMinusLog', min: 0.9, max: 1 }])).toEqual(['bad-range']);
    expect(codes([{ target: node('hidden', 'units'), scale: 'int', min: 1.5, max: 8 }])).toEqual(['bad-range']);
    expect(codes([{ target: node('drop.1', 'rate'), scale: 'linear', min: 0, max: 1.5 }])).toEqual(['bad-value']);
    expect(codes([{ target: { training: 'optimizer.lr' }, scale: 'log', min: 1e-3, max: 20 }])).toEqual(['bad-value']);
    expect(codes([{ target: node('hidden', 'activation'), scale: 'choice', choices: ['relu', 'swish'] }])).toEqual(['bad-value']);
    expect(codes([{ target: node('hidden', 'units'), scale: 'linear', min: 16, max: 64 }])).toEqual([]);
    expect(
      codes([
        { target: { training: 'optimizer.lr' }, scale: 'log', min: 1e-4, max: 0.1 },
        { target: { training: 'optimizer.lr' }, scale: 'log', min: 1e-3, max: 0.1 },
      ]),
    ).toEqual(['duplicate-target']);
    expect(codes([])).toEqual(['no-params']);
  });
});

describe('applyConfig', () => {
  it('writes training settings and block params, keeps everything else, and changes nothing for the values already there', () => {
    const out = applyConfig(doc, {
      'training.optimizer.lr': 0.003,
      'graph.nodes.drop.1.params.rate': 0.25,
      'graph.nodes.hidden.params.units': 128,
      'training.batchSize': 32,
    });
    expect(out.training.optimizer.lr).toBe(0.003);
    expect(out.training.optimizer.beta1).toBe(doc.training.optimizer.beta1);
    expect(out.training.batchSize).toBe(32);
    expect(out.graph.nodes.find((n) => n.id === 'drop.1')!.params).toEqual({ rate: 0.25 });
    expect(out.graph.nodes.find((n) => n.id === 'hidden')!.params).toEqual({ units: 128, activation: 'relu' });
    expect(out.graph.nodes.find((n) => n.id === 'chars')).toBe(doc.graph.nodes[0]);
    expect(doc.training.optimizer.lr).toBe(0.001);
    expect(applyConfig(doc, { 'training.optimizer.lr': 0.001, 'graph.nodes.hidden.params.units': 300 })).toBe(doc);
    expect(readTarget(doc, node('drop.1', 'rate'))).toBe(0.5);
    expect(readTarget(out, { training: 'optimizer.lr' })).toBe(0.003);
  });
});

describe('a sweep in a v2 file', () => {
  it('loads with its defaults, survives a save, and a structurally wrong one is refused with its path', () => {
    const withOne = withSweep(doc, { ...defaultSweep({ trials: 6, seed: 9 }) });
    const text = serializeDocument(withOne);
    const again = parseDocument(text);
    expect(again.ok && again.doc.sweep).toEqual(withOne.sweep);
    const minimal = JSON.parse(text) as Record<string, unknown>;
    minimal.sweep = { params: [{ target: { training: 'optimizer.lr' }, scale: 'log', min: 0.001, max: 0.1 }] };
    const parsed = parseDocument(JSON.stringify(minimal));
    expect(parsed.ok && parsed.doc.sweep).toMatchObject({ method: 'random', trials: 12, seed: 1, halving: { enabled: true, minEpochs: 1, reduction: 3 } });
    minimal.sweep = { params: [{ target: { training: 'optimizer.lr' }, scale: 'cubic', min: 0.001, max: 0.1 }] };
    const wrong = parseDocument(JSON.stringify(minimal));
    expect(wrong.ok ? '' : wrong.error).toContain('sweep.params[0]');
    expect(withSweep(withOne, undefined).sweep).toBeUndefined();
    expect('sweep' in withSweep(withOne, undefined)).toBe(false);
  });
});
