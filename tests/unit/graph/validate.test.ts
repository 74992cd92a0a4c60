import { describe, expect, it } from 'vitest';
import type { DataFacts, GraphIssue } from '../../../engine/graph/types';
import { inferGraph, validateDocument } from '../../../engine/graph/validate';
import { chain, docOf, graphOf, INDEX, ONEHOT, SURNAME_CNN, type Step } from './fixtures';

function issuesOf(steps: Step[], facts: DataFacts = ONEHOT): GraphIssue[] {
  return inferGraph(chain(steps), facts).issues;
}

function only(issues: GraphIssue[]): GraphIssue {
  expect(issues, JSON.stringify(issues, null, 1)).toHaveLength(1);
  return issues[0]!;
}

describe('inferGraph on good graphs', () => {
  it('infers the surname CNN', () => {
    const a = inferGraph(chain(SURNAME_CNN), ONEHOT);
    expect(a.issues).toEqual([]);
    expect(a.order).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6']);
    expect(a.nodeTypes.n0?.shape).toEqual([null, 17, 77]);
    expect(a.nodeTypes.n1?.shape).toEqual([null, 15, 256]);
    expect(a.nodeTypes.n2?.shape).toEqual([null, 7, 256]);
    expect(a.nodeTypes.n3?.shape).toEqual([null, 3, 256]);
    expect(a.nodeTypes.n4?.shape).toEqual([null, 1, 256]);
    expect(a.nodeTypes.n5?.shape).toEqual([null, 256]);
    expect(a.nodeTypes.n6?.shape).toEqual([null, 18]);
    expect(a.edgeTypes.e1?.shape).toEqual([null, 17, 77]);
    expect(a.costs.n1).toEqual({ params: 3 * 77 * 256 + 256, macs: 15 * 3 * 77 * 256 });
    expect(a.costs.n6).toEqual({ params: 256 * 18 + 18, macs: 256 * 18 });
  });

  it('infers Embedding on token ids', () => {
    const a = inferGraph(
      chain([['Input', { dtype: 'int32' }], ['Embedding', { outputDim: 50 }], ['GlobalMaxPool1D'], ['Dense', { units: 8 }], ['Dropout'], ['Output']]),
      INDEX,
    );
    expect(a.issues).toEqual([]);
    expect(a.nodeTypes.n1).toEqual({ shape: [null, 30, 50], dtype: 'float32' });
    expect(a.nodeTypes.n5?.shape).toEqual([null, 4]);
    expect(a.costs.n1?.params).toBe(500 * 50);
  });

  it('validateDocument reports nodes in order with totals', () => {
    const r = validateDocument(docOf(chain(SURNAME_CNN)), ONEHOT);
    expect(r.ok).toBe(true);
    expect(r.nodes.map((n) => n.type)).toEqual(['Input', 'Conv1D', 'Conv1D', 'Conv1D', 'Conv1D', 'Flatten', 'Output']);
    expect(r.nodes[1]!.params).toMatchObject({ filters: 256, padding: 'valid', useBias: true });
    expect(r.totals.params).toBe(r.nodes.reduce((s, n) => s + n.paramCount, 0));
    expect(r.totals.params).toBe(3 * 77 * 256 + 256 + 3 * (3 * 256 * 256 + 256) + 256 * 18 + 18);
  });

  it('validateDocument checks a document without data on its own: explicit shapes pass, "auto" needs data', () => {
    const { data: _data, ...bare } = docOf(chain([['Input', { shape: [28, 28, 1] }], ['Flatten'], ['Dense', { units: 10 }], ['Output', { units: 10 }]]));
    // Facts of the built-in surnames (as a host that read them would pass) are not this document's.
    const r = validateDocument(bare, { inputShape: [21, 88], inputDtype: 'float32', vocabSize: 88, numClasses: 18 });
    expect(r.errors).toEqual([]);
    expect(r.nodes[0]!.outputShape).toEqual([null, 28, 28, 1]);
    const { data: _d, ...auto } = docOf(chain(SURNAME_CNN));
    const issues = validateDocument(auto, ONEHOT).errors;
    expect(issues.map((i) => [i.code, i.nodeId])).toEqual([['data-mismatch', 'n0']]);
    expect(issues[0]!.message).toMatch(/no data is bound yet/);
  });
});

describe('every kind of user mistake is a value naming node and port', () => {
  it('empty-graph', () => {
    expect(only(issuesOf([])).code).toBe('empty-graph');
  });

  it('unknown-type', () => {
    const i = only(issuesOf([['Input'], ['Conv3D'], ['Output']]).filter((x) => x.code !== 'missing-input'));
    expect(i).toMatchObject({ code: 'unknown-type', nodeId: 'n1' });
    expect(i.message).toContain('Conv3D');
  });

  it('unknown-param, with the param name', () => {
    const i = only(issuesOf([['Input'], ['Conv1D', { filter: 8 }], ['Flatten'], ['Output']]));
    expect(i).toMatchObject({ code: 'unknown-param', nodeId: 'n1' });
    expect(i.message).toContain('"filter"');
    expect(i.hint).toContain('filters');
  });

  it('bad-param: out of range or wrong type, with the param name', () => {
    const i = only(issuesOf([['Input'], ['Conv1D', { kernelSize: 0 }], ['Flatten'], ['Output']]));
    expect(i).toMatchObject({ code: 'bad-param', nodeId: 'n1' });
    expect(i.message).toContain('"kernelSize" = 0');
    expect(i.hint).toBeTruthy();
    expect(only(issuesOf([['Input'], ['Flatten'], ['Dropout', { rate: 1.5 }], ['Output']])).message).toContain('"rate"');
    expect(only(issuesOf([['Input'], ['Flatten'], ['Dense', { activation: 'swish' }], ['Output']])).message).toContain('"activation"');
  });

  it('missing-input', () => {
    const g = graphOf({ x: ['Input'], f: ['Flatten'], y: ['Output'] }, [['f', 'y']]);
    const i = only(inferGraph(g, ONEHOT).issues);
    expect(i).toMatchObject({ code: 'missing-input', nodeId: 'f', port: 'in' });
  });

  it('too-many-inputs names the extra wire', () => {
    const g = graphOf({ x: ['Input'], a: ['Flatten'], b: ['Flatten'], d: ['Dense'], y: ['Output'] }, [
      ['x', 'a'],
      ['x', 'b'],
      ['a', 'd'],
      ['b', 'd'],
      ['d', 'y'],
    ]);
    const i = only(inferGraph(g, ONEHOT).issues);
    expect(i).toMatchObject({ code: 'too-many-inputs', nodeId: 'd', port: 'in', edgeId: 'w3' });
    expect(i.hint).toMatch(/Residual|Concat/);
  });

  it('cycle marks the wires of the loop, not those after it', () => {
    const g = graphOf({ x: ['Input'], f: ['Flatten'], a: ['Dense'], b: ['Dense'], c: ['Dense'], y: ['Output'] }, [
      ['x', 'f'],
      ['b', 'a'],
      ['a', 'b'],
      ['a', 'c'],
      ['c', 'y'],
    ]);
    const issues = inferGraph(g, ONEHOT).issues;
    const cycles = issues.filter((i) => i.code === 'cycle');
    expect(cycles.map((i) => i.edgeId).sort()).toEqual(['w1', 'w2']);
    expect(issues.filter((i) => i.code !== 'cycle')).toEqual([]);
    // A self-loop is a cycle too.
    const self = graphOf({ x: ['Input'], f: ['Flatten'], y: ['Output'] }, [
      ['x', 'f'],
      ['f', 'f'],
      ['f', 'y'],
    ]);
    expect(inferGraph(self, ONEHOT).issues.filter((i) => i.code === 'cycle')).toHaveLength(1);
  });

  it('dangling-edge', () => {
    const g = graphOf({ x: ['Input'], f: ['Flatten'], y: ['Output'] }, [
      ['x', 'f'],
      ['f', 'y'],
      ['ghost', 'y'],
    ]);
    const i = only(inferGraph(g, ONEHOT).issues);
    expect(i).toMatchObject({ code: 'dangling-edge', edgeId: 'w2', nodeId: 'y', port: 'in' });
    expect(i.message).toContain('ghost');
  });

  it('unknown-port', () => {
    const g = graphOf({ x: ['Input'], f: ['Flatten'], y: ['Output'] }, [
      ['x', 'f'],
      ['f', 'y'],
      ['f', 'x'],
    ]);
    expect(only(inferGraph(g, ONEHOT).issues)).toMatchObject({ code: 'unknown-port', nodeId: 'x', edgeId: 'w2' });
  });

  it('duplicate-id for nodes and for edges', () => {
    const g = chain([['Input'], ['Flatten'], ['Output']]);
    const dupNode = { ...g, nodes: [...g.nodes, { ...g.nodes[1]! }] };
    expect(only(inferGraph(dupNode, ONEHOT).issues)).toMatchObject({ code: 'duplicate-id', nodeId: 'n1' });
    const dupEdge = { ...g, edges: [...g.edges, { ...g.edges[0]! }] };
    expect(only(inferGraph(dupEdge, ONEHOT).issues)).toMatchObject({ code: 'duplicate-id', edgeId: 'e1' });
  });

  it('rank-mismatch: Conv1D after a flat vector says so', () => {
    const i = only(issuesOf([['Input'], ['Flatten'], ['Conv1D'], ['Flatten'], ['Output']]));
    expect(i).toMatchObject({ code: 'rank-mismatch', nodeId: 'n2', port: 'in', edgeId: 'e2' });
    expect(i.message).toMatch(/Conv1D needs a sequence.*flat vector \[null, 1309\]/);
  });

  it('rank-mismatch: Dense after a sequence says to Flatten or pool', () => {
    const i = only(issuesOf([['Input'], ['Conv1D'], ['Dense'], ['Output']]));
    expect(i).toMatchObject({ code: 'rank-mismatch', nodeId: 'n2', port: 'in', edgeId: 'e2' });
    expect(i.message).toMatch(/Dense needs a flat vector.*sequence \[null, 15, 64\]/);
    expect(i.hint).toMatch(/Flatten/);
    expect(i.hint).toMatch(/GlobalMaxPool1D/);
  });

  it('dtype-mismatch: Embedding fed floats', () => {
    const i = only(issuesOf([['Input'], ['Embedding'], ['GlobalMaxPool1D'], ['Output']]));
    expect(i).toMatchObject({ code: 'dtype-mismatch', nodeId: 'n1', port: 'in', edgeId: 'e1' });
    expect(i.hint).toMatch(/index/);
  });

  it('dtype-mismatch: token ids into a Conv1D', () => {
    const i = only(issuesOf([['Input', { dtype: 'int32', shape: [30, 1] }], ['Conv1D'], ['Flatten'], ['Output']], {}));
    expect(i).toMatchObject({ code: 'dtype-mismatch', nodeId: 'n1' });
  });

  it('shape-too-small: a window that does not fit', () => {
    const i = only(issuesOf([['Input'], ['Conv1D', { kernelSize: 20 }], ['Flatten'], ['Output']]));
    expect(i).toMatchObject({ code: 'shape-too-small', nodeId: 'n1', port: 'in' });
    expect(i.message).toContain('17');
  });

  it('no-output and several-outputs', () => {
    expect(only(issuesOf([['Input'], ['Flatten'], ['Dense']])).code).toBe('no-output');
    const g = graphOf({ x: ['Input'], f: ['Flatten'], y1: ['Output'], y2: ['Output'] }, [
      ['x', 'f'],
      ['f', 'y1'],
      ['f', 'y2'],
    ]);
    expect(only(inferGraph(g, ONEHOT).issues)).toMatchObject({ code: 'several-outputs', nodeId: 'y2' });
  });

  it('data-mismatch: auto params without data, and an Input that disagrees with the data', () => {
    const none = issuesOf([['Input'], ['Flatten'], ['Output']], {});
    expect(none.map((i) => [i.code, i.nodeId])).toEqual([['data-mismatch', 'n0']]);
    const wrongDtype = only(issuesOf([['Input', { dtype: 'int32' }], ['Flatten'], ['Output']]));
    expect(wrongDtype).toMatchObject({ code: 'data-mismatch', nodeId: 'n0' });
    const wrongShape = only(issuesOf([['Input', { shape: [20, 77] }], ['Flatten'], ['Output']]));
    expect(wrongShape.message).toContain('[17, 77]');
    const smallVocab = only(issuesOf([['Input', { dtype: 'int32' }], ['Embedding', { inputDim: 100 }], ['GlobalMaxPool1D'], ['Output']], INDEX));
    expect(smallVocab).toMatchObject({ code: 'data-mismatch', nodeId: 'n1' });
    expect(smallVocab.message).toContain('500');
    const wrongUnits = only(issuesOf([['Input'], ['Flatten'], ['Output', { units: 5 }]]));
    expect(wrongUnits).toMatchObject({ code: 'data-mismatch', nodeId: 'n2' });
  });

  it('masked sequences only reach blocks that take a mask', () => {
    const i = only(issuesOf([['Input', { dtype: 'int32' }], ['Embedding', { maskZero: true }], ['Conv1D'], ['GlobalMaxPool1D'], ['Output']], INDEX));
    expect(i).toMatchObject({ code: 'dtype-mismatch', nodeId: 'n2', edgeId: 'e2' });
    expect(i.message).toContain('maskZero');
  });

  it('does not pile up follow-on issues downstream of the first', () => {
    const issues = issuesOf([['Input'], ['Flatten'], ['Conv1D'], ['Conv1D'], ['Dense'], ['Output']]);
    expect(issues.map((i) => i.nodeId)).toEqual(['n2']);
  });
});

describe('speed', () => {
  it('validates a 1,000-node graph quickly', () => {
    const steps: Step[] = [['Input']];
    for (let i = 0; i < 499; i++) steps.push(['Conv1D', { filters: 16, kernelSize: 1 }], ['Dropout', { rate: 0.1 }]);
    steps.push(['Output']);
    const g = chain(steps);
    expect(inferGraph(g, ONEHOT).issues.map((i) => i.code)).toEqual(['rank-mismatch']);
    inferGraph(g, ONEHOT);
    const t0 = performance.now();
    const runs = 10;
    for (let i = 0; i < runs; i++) inferGraph(g, ONEHOT);
    const ms = (performance.now() - t0) / runs;
    console.log(`inferGraph, ${g.nodes.length} nodes: ${ms.toFixed(2)} ms`);
    expect(ms).toBeLessThan(200); // a loose bound against accidental quadratic work; the benchmark holds the 20 ms goal
  });
});

describe('issues of the merge, pooling, image and shape blocks', () => {
  it('Residual of two shapes names the wire and says what to put on the skip path', () => {
    const g = graphOf(
      {
        x: ['Input', { shape: [17, 256] }],
        a: ['Conv1D', { filters: 256, kernelSize: 3, strides: 2, padding: 'same' }],
        add: ['Residual'],
        f: ['Flatten'],
        y: ['Output'],
      },
      [
        ['x', 'a'],
        ['x', 'add'],
        ['a', 'add'],
        ['add', 'f'],
        ['f', 'y'],
      ],
    );
    const i = only(inferGraph(g, { numClasses: 3 }).issues);
    expect(i).toMatchObject({ code: 'shape-mismatch', nodeId: 'add', port: 'in', edgeId: 'w2' });
    expect(i.message).toContain('[null, 17, 256], [null, 9, 256]');
    expect(i.hint).toContain('the inputs of a residual add must have one shape; put a Conv1D with kernelSize 1 and strides 2 on the skip path');
  });

  it('Residual needs two inputs', () => {
    const i = only(issuesOf([['Input'], ['Residual'], ['Flatten'], ['Output']]));
    expect(i).toMatchObject({ code: 'missing-input', nodeId: 'n1', port: 'in' });
    expect(i.message).toContain('at least 2');
  });

  it('Concat of mismatched inputs, and a bad axis', () => {
    const g = graphOf(
      { x: ['Input'], a: ['Conv1D', { filters: 8 }], b: ['Conv1D', { filters: 8, kernelSize: 1 }], c: ['Concat'], f: ['Flatten'], y: ['Output'] },
      [
        ['x', 'a'],
        ['x', 'b'],
        ['a', 'c'],
        ['b', 'c'],
        ['c', 'f'],
        ['f', 'y'],
      ],
    );
    expect(only(inferGraph(g, ONEHOT).issues)).toMatchObject({ code: 'shape-mismatch', nodeId: 'c', edgeId: 'w3' });
    const bad = graphOf({ x: ['Input'], c: ['Concat', { axis: 3 }], f: ['Flatten'], y: ['Output'] }, [
      ['x', 'c'],
      ['x', 'c'],
      ['c', 'f'],
      ['f', 'y'],
    ]);
    expect(only(inferGraph(bad, ONEHOT).issues)).toMatchObject({ code: 'bad-param', nodeId: 'c' });
    const ok = graphOf({ x: ['Input'], c: ['Concat', { axis: 1 }], f: ['Flatten'], y: ['Output'] }, [
      ['x', 'c'],
      ['x', 'c'],
      ['c', 'f'],
      ['f', 'y'],
    ]);
    const a = inferGraph(ok, ONEHOT);
    expect(a.issues).toEqual([]);
    expect(a.nodeTypes.c?.shape).toEqual([null, 34, 77]);
  });

  it('a pool that shrinks a dimension below 1', () => {
    const i = only(
      issuesOf([['Input'], ['MaxPool1D', { poolSize: 3 }], ['MaxPool1D', { poolSize: 3 }], ['MaxPool1D', { poolSize: 3 }], ['Flatten'], ['Output']]),
    );
    expect(i).toMatchObject({ code: 'shape-too-small', nodeId: 'n3', port: 'in', edgeId: 'e3' });
    expect(i.message).toMatch(/needs at least 3.*got 1/);
  });

  it('Conv2D after a sequence, GlobalAvgPool1D after an image', () => {
    const i = only(issuesOf([['Input'], ['Conv2D'], ['Flatten'], ['Output']]));
    expect(i).toMatchObject({ code: 'rank-mismatch', nodeId: 'n1' });
    expect(i.hint).toMatch(/Conv1D|1D version/);
    const j = only(issuesOf([['Input'], ['GlobalAvgPool1D'], ['Output']], { inputShape: [4, 4, 3], inputDtype: 'float32', numClasses: 2 }));
    expect(j).toMatchObject({ code: 'rank-mismatch', nodeId: 'n1' });
  });

  it('Conv1D and Conv2D dilation is fine, but not together with strides > 1', () => {
    expect(issuesOf([['Input', { shape: [8, 8, 3] }], ['Conv2D', { dilationRate: 2 }], ['Flatten'], ['Output']], { numClasses: 2 })).toEqual([]);
    const i = only(issuesOf([['Input', { shape: [8, 8, 3] }], ['Conv2D', { dilationRate: [1, 2], strides: 2 }], ['Flatten'], ['Output']], { numClasses: 2 }));
    expect(i).toMatchObject({ code: 'bad-param', nodeId: 'n1' });
    expect(i.message).toContain('dilationRate');
    expect(issuesOf([['Input'], ['Conv1D', { dilationRate: 2 }], ['Flatten'], ['Output']])).toEqual([]);
    expect(only(issuesOf([['Input'], ['Conv1D', { dilationRate: 2, strides: 2 }], ['Flatten'], ['Output']])).code).toBe('bad-param');
  });

  it('Reshape that changes the number of values', () => {
    const i = only(issuesOf([['Input'], ['Reshape', { targetShape: [10, 10] }], ['Flatten'], ['Output']]));
    expect(i).toMatchObject({ code: 'shape-mismatch', nodeId: 'n1' });
    expect(i.message).toContain('1309');
    expect(only(issuesOf([['Input'], ['Reshape', { targetShape: [-1, -1] }], ['Flatten'], ['Output']])).code).toBe('bad-param');
  });

  it('recurrent blocks need a sequence and float input', () => {
    expect(only(issuesOf([['Input'], ['Flatten'], ['GRU'], ['Output']]))).toMatchObject({ code: 'rank-mismatch', nodeId: 'n2' });
    expect(only(issuesOf([['Input', { dtype: 'int32' }], ['LSTM'], ['Output']], INDEX))).toMatchObject({ code: 'dtype-mismatch', nodeId: 'n1' });
  });

  it('softmax over one unit is refused', () => {
    const i = only(issuesOf([['Input'], ['Flatten'], ['Output', { units: 1 }]], { ...ONEHOT, numClasses: undefined }));
    expect(i).toMatchObject({ code: 'bad-param', nodeId: 'n2' });
  });
});

describe('whole-model checks', () => {
  it('one Input only', () => {
    const g = graphOf({ a: ['Input'], b: ['Input'], c: ['Concat'], f: ['Flatten'], y: ['Output'] }, [
      ['a', 'c'],
      ['b', 'c'],
      ['c', 'f'],
      ['f', 'y'],
    ]);
    expect(only(inferGraph(g, ONEHOT).issues)).toMatchObject({ code: 'data-mismatch', nodeId: 'b' });
  });

  it('Output activation and loss must go together', () => {
    const i = only(issuesOf([['Input'], ['Flatten'], ['Output', { activation: 'sigmoid' }]]));
    expect(i).toMatchObject({ code: 'bad-param', nodeId: 'n2' });
    expect(i.message).toContain('binaryCrossentropy');
    expect(issuesOf([['Input'], ['Flatten'], ['Output', { activation: 'sigmoid', loss: 'binaryCrossentropy' }]])).toEqual([]);
  });

  it('a masked sequence into Dense reports the rank first', () => {
    const i = only(issuesOf([['Input', { dtype: 'int32' }], ['Embedding', { maskZero: true }], ['Dense'], ['Output']], INDEX));
    expect(i).toMatchObject({ code: 'rank-mismatch', nodeId: 'n2' });
  });
});
