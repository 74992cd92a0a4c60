import { describe, expect, it } from 'vitest';
import type { Graph } from '../../../engine/graph/document';
import { ISSUE_HINTS, ISSUE_MESSAGES } from '../../../engine/graph/issueWords';
import type { DataFacts, GraphIssue, IssueCode } from '../../../engine/graph/types';
import { inferGraph } from '../../../engine/graph/validate';
import { LANGUAGES, createI18n } from '../../../renderer/i18n';
import { issueCodeName, issueText } from '../../../renderer/i18n/issueText';
import { engineErrorText } from '../../../renderer/i18n/engineErrors';
import type { EngineErrorCode } from '../../../engine/api';
import { chain, graphOf, INDEX, ONEHOT, type Step } from '../graph/fixtures';

/** Every issue code, checked by the compiler: a new code that is not here fails the typecheck. */
const CODES: Record<IssueCode, true> = {
  'unknown-type': true,
  'unknown-param': true,
  'bad-param': true,
  'missing-input': true,
  'too-many-inputs': true,
  cycle: true,
  'dangling-edge': true,
  'duplicate-id': true,
  'rank-mismatch': true,
  'shape-mismatch': true,
  'dtype-mismatch': true,
  'shape-too-small': true,
  'empty-graph': true,
  'no-output': true,
  'several-outputs': true,
  'unknown-port': true,
  'data-mismatch': true,
};

const wired = (nodes: Record<string, Step>, wires: [string, string, string?][]) => graphOf(nodes, wires);
const end: Step[] = [['Flatten'], ['Output']];

/** Broken graphs that, together, make the engine say every sentence it has (but the compiler's own, below). */
const CASES: [string, Graph, DataFacts][] = [
  ['empty', chain([]), ONEHOT],
  ['unknown type', chain([['Input'], ['Conv3D'], ...end]), ONEHOT],
  ['unknown param', chain([['Input'], ['Conv1D', { filter: 8 }], ...end]), ONEHOT],
  ['unknown param of a block without params', chain([['Input'], ['Conv1D'], ['Flatten', { x: 1 }], ['Output']]), ONEHOT],
  ['too big', chain([['Input'], ['Conv1D', { filters: 99999 }], ...end]), ONEHOT],
  ['too small', chain([['Input'], ['Conv1D', { filters: 0 }], ...end]), ONEHOT],
  ['not an integer', chain([['Input'], ['Conv1D', { filters: 2.5 }], ...end]), ONEHOT],
  ['not one of', chain([['Input'], ['Conv1D', { padding: 'full' }], ...end]), ONEHOT],
  ['wrong type', chain([['Input'], ['Conv1D', { useBias: 'yes' }], ...end]), ONEHOT],
  ['a union it does not take', chain([['Input', { shape: 7 }], ...end]), ONEHOT],
  [
    'duplicate node',
    { nodes: [...chain([['Input'], ...end]).nodes, { id: 'n0', type: 'Dense', params: {} }], edges: chain([['Input'], ...end]).edges } as Graph,
    ONEHOT,
  ],
  [
    'duplicate wire, dangling wires, bad ports',
    (() => {
      const g = chain([['Input'], ...end]);
      const e = g.edges[0]!;
      return {
        nodes: g.nodes,
        edges: [
          ...g.edges,
          e,
          { ...e, id: 'x1', source: 'ghost' },
          { ...e, id: 'x2', target: 'ghost' },
          { ...e, id: 'x3', sourcePort: 'side' },
          { ...e, id: 'x4', targetPort: 'side' },
          { ...e, id: 'x5', target: 'n0' },
        ],
      } as Graph;
    })(),
    ONEHOT,
  ],
  [
    'two wires into one port',
    wired({ a: ['Input'], b: ['Flatten'], c: ['Flatten'], d: ['Output'] }, [
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'd'],
      ['c', 'd'],
    ]),
    ONEHOT,
  ],
  ['nothing wired in', wired({ a: ['Input'], b: ['Flatten'], c: ['Output'] }, [['b', 'c']]), ONEHOT],
  [
    'residual with one wire',
    wired({ a: ['Input'], r: ['Residual'], f: ['Flatten'], o: ['Output'] }, [
      ['a', 'r'],
      ['r', 'f'],
      ['f', 'o'],
    ]),
    ONEHOT,
  ],
  [
    'two inputs, two outputs',
    wired({ a: ['Input'], b: ['Input'], f: ['Flatten'], g: ['Flatten'], o: ['Output'], p: ['Output'] }, [
      ['a', 'f'],
      ['b', 'g'],
      ['f', 'o'],
      ['g', 'p'],
    ]),
    ONEHOT,
  ],
  ['no output', chain([['Input'], ['Flatten']]), ONEHOT],
  [
    'cycle',
    wired({ a: ['Input'], b: ['Conv1D'], c: ['Residual'], f: ['Flatten'], o: ['Output'] }, [
      ['a', 'c'],
      ['c', 'b'],
      ['b', 'c'],
      ['c', 'f'],
      ['f', 'o'],
    ]),
    ONEHOT,
  ],
  ['ids into Dense', chain([['Input', { dtype: 'int32' }], ['Dense'], ['Output']]), INDEX],
  ['sequence into Dense', chain([['Input'], ['Dense'], ['Output']]), ONEHOT],
  ['vector into Conv1D, Dense on rank 1', chain([['Input', { shape: [5] }], ['Conv1D'], ...end]), { ...ONEHOT, inputShape: [5] }],
  ['image into Conv1D', chain([['Input', { shape: [8, 8, 1] }], ['Conv1D'], ...end]), { ...ONEHOT, inputShape: [8, 8, 1] }],
  ['sequence into Conv2D', chain([['Input'], ['Conv2D'], ...end]), ONEHOT],
  ['vector into Conv2D', chain([['Input', { shape: [5] }], ['Conv2D'], ...end]), { ...ONEHOT, inputShape: [5] }],
  ['rank 5 into Conv1D', chain([['Input', { shape: [2, 2, 2, 2] }], ['Conv1D'], ...end]), { ...ONEHOT, inputShape: [2, 2, 2, 2] }],
  ['vector into NiN', chain([['Input', { shape: [5] }], ['NiN'], ['Output']]), { ...ONEHOT, inputShape: [5] }],
  ['window too long', chain([['Input'], ['Conv1D', { kernelSize: 30 }], ...end]), ONEHOT],
  ['window too tall', chain([['Input', { shape: [2, 9, 1] }], ['Conv2D', { kernelSize: 3 }], ...end]), { ...ONEHOT, inputShape: [2, 9, 1] }],
  ['window too wide', chain([['Input', { shape: [9, 2, 1] }], ['MaxPool2D', { poolSize: 3 }], ...end]), { ...ONEHOT, inputShape: [9, 2, 1] }],
  ['strides and dilation', chain([['Input'], ['Conv1D', { strides: 2, dilationRate: 2 }], ...end]), ONEHOT],
  [
    'strides and dilation 2D',
    chain([['Input', { shape: [8, 8, 1] }], ['Conv2D', { strides: 2, dilationRate: 2 }], ...end]),
    { ...ONEHOT, inputShape: [8, 8, 1] },
  ],
  [
    'concat axis',
    wired({ a: ['Input'], c: ['Concat', { axis: 3 }], f: ['Flatten'], o: ['Output'] }, [
      ['a', 'c'],
      ['a', 'c'],
      ['c', 'f'],
      ['f', 'o'],
    ]),
    ONEHOT,
  ],
  [
    'concat shapes',
    wired({ a: ['Input'], p: ['MaxPool1D'], c: ['Concat'], f: ['Flatten'], o: ['Output'] }, [
      ['a', 'p'],
      ['a', 'c'],
      ['p', 'c'],
      ['c', 'f'],
      ['f', 'o'],
    ]),
    ONEHOT,
  ],
  ['one-hot into Embedding', chain([['Input'], ['Embedding'], ...end]), ONEHOT],
  ['float vector into Embedding', chain([['Input', { shape: [5] }], ['Embedding'], ...end]), { ...ONEHOT, inputShape: [5] }],
  ['ids of rank 2 into Embedding', chain([['Input', { dtype: 'int32', shape: [3, 4] }], ['Embedding'], ...end]), { ...INDEX, inputShape: [3, 4] }],
  ['no data for auto', chain([['Input', { dtype: 'int32', shape: [30] }], ['Embedding'], ...end]), {}],
  ['no data for anything', chain([['Input'], ...end]), {}],
  ['vocabulary larger', chain([['Input', { dtype: 'int32' }], ['Embedding', { inputDim: 100 }], ...end]), INDEX],
  ['int data, float Input', chain([['Input'], ...end]), INDEX],
  ['float data, int Input', chain([['Input', { dtype: 'int32' }], ...end]), ONEHOT],
  ['Input shape', chain([['Input', { shape: [17, 70] }], ...end]), ONEHOT],
  ['Output units', chain([['Input'], ['Flatten'], ['Output', { units: 4 }]]), ONEHOT],
  ['softmax with binary', chain([['Input'], ['Flatten'], ['Output', { loss: 'binaryCrossentropy' }]]), ONEHOT],
  ['sigmoid with categorical', chain([['Input'], ['Flatten'], ['Output', { activation: 'sigmoid' }]]), ONEHOT],
  ['softmax over one', chain([['Input'], ['Flatten'], ['Output', { units: 1 }]]), { ...ONEHOT, numClasses: undefined }],
  ['reshape two -1', chain([['Input'], ['Reshape', { targetShape: [-1, -1] }], ...end]), ONEHOT],
  ['reshape not a divisor', chain([['Input'], ['Reshape', { targetShape: [-1, 5] }], ...end]), ONEHOT],
  ['reshape size', chain([['Input'], ['Reshape', { targetShape: [17, 7] }], ...end]), ONEHOT],
  [
    'residual 1D shapes',
    wired({ a: ['Input'], c: ['Conv1D', { filters: 8, strides: 2, padding: 'same' }], r: ['Residual'], f: ['Flatten'], o: ['Output'] }, [
      ['a', 'c'],
      ['a', 'r'],
      ['c', 'r'],
      ['r', 'f'],
      ['f', 'o'],
    ]),
    ONEHOT,
  ],
  [
    'residual 1D filters',
    wired({ a: ['Input'], c: ['Conv1D', { filters: 8, padding: 'same' }], r: ['Residual'], f: ['Flatten'], o: ['Output'] }, [
      ['a', 'c'],
      ['a', 'r'],
      ['c', 'r'],
      ['r', 'f'],
      ['f', 'o'],
    ]),
    ONEHOT,
  ],
  [
    'residual 1D strides',
    wired({ a: ['Input'], c: ['Conv1D', { filters: 77, strides: 2, padding: 'same' }], r: ['Residual'], f: ['Flatten'], o: ['Output'] }, [
      ['a', 'c'],
      ['a', 'r'],
      ['c', 'r'],
      ['r', 'f'],
      ['f', 'o'],
    ]),
    ONEHOT,
  ],
  [
    'residual 1D lengths',
    wired({ a: ['Input'], c: ['Conv1D', { filters: 77 }], r: ['Residual'], f: ['Flatten'], o: ['Output'] }, [
      ['a', 'c'],
      ['a', 'r'],
      ['c', 'r'],
      ['r', 'f'],
      ['f', 'o'],
    ]),
    ONEHOT,
  ],
  [
    'residual 2D',
    wired({ a: ['Input', { shape: [8, 8, 1] }], c: ['Conv2D', { filters: 4, padding: 'same' }], r: ['Residual'], f: ['Flatten'], o: ['Output'] }, [
      ['a', 'c'],
      ['a', 'r'],
      ['c', 'r'],
      ['r', 'f'],
      ['f', 'o'],
    ]),
    { ...ONEHOT, inputShape: [8, 8, 1] },
  ],
  [
    'residual across ranks',
    wired({ a: ['Input'], g: ['Flatten'], r: ['Residual'], f: ['Flatten'], o: ['Output'] }, [
      ['a', 'g'],
      ['a', 'r'],
      ['g', 'r'],
      ['r', 'f'],
      ['f', 'o'],
    ]),
    ONEHOT,
  ],
  ['mask into Flatten', chain([['Input', { dtype: 'int32' }], ['Embedding', { maskZero: true }], ['Flatten'], ['Output']]), INDEX],
  ['no data for the Output', chain([['Input', { shape: [17, 77] }], ...end]), {}],
  ['concat on the batch axis', chain([['Input'], ['Concat', { axis: 0 }], ...end]), ONEHOT],
];

/**
 * Sentences no graph can make validation say today, with words all the same: the compiler's (loading
 * pretrained vectors), and checks of ranks and inputs that no block's output can fail (every
 * Input has a non-batch axis; a block is inferred only once its inputs are wired).
 */
const COMPILER_ONLY = new Set([
  'pretrained-size',
  'need-vector',
  'need-channel-axis',
  'need-non-batch-axis',
  'embedding-needs-ids',
  // Said while expanding groups (engine/graph/groups.ts), before inferGraph sees the graph.
  'group-unusable',
  'group-unnamed',
  'group-no-input',
]);

const issues: GraphIssue[] = CASES.flatMap(([, graph, facts]) => inferGraph(graph, facts).issues);

describe('the words of engine issues', () => {
  it.each(LANGUAGES)('has a name for every issue code, and every message and hint, in %s', (language) => {
    const i18n = createI18n(language);
    const missing = [
      ...Object.keys(CODES).map((c) => `issues.code.${c}`),
      ...ISSUE_MESSAGES.map((k) => `issues.message.${k}`),
      ...ISSUE_HINTS.map((k) => `issues.hint.${k}`),
    ].filter((key) => !i18n.exists(key));
    expect(missing).toEqual([]);
  });

  it('has no words for sentences the engine no longer says', () => {
    const en = createI18n('en');
    const catalog = en.getResourceBundle('en', 'translation').issues as { message: object; hint: object };
    expect(Object.keys(catalog.message).filter((k) => !(ISSUE_MESSAGES as readonly string[]).includes(k))).toEqual([]);
    expect(Object.keys(catalog.hint).filter((k) => !(ISSUE_HINTS as readonly string[]).includes(k))).toEqual([]);
  });

  it('gives every issue validation makes a key, and the cases make every sentence', () => {
    expect(issues.filter((i) => !i.key).map((i) => i.message)).toEqual([]);
    const said = new Set(issues.map((i) => i.key));
    expect(ISSUE_MESSAGES.filter((k) => !said.has(k) && !COMPILER_ONLY.has(k))).toEqual([]);
    const hinted = new Set(issues.map((i) => i.hintKey));
    expect(ISSUE_HINTS.filter((k) => !hinted.has(k) && !COMPILER_ONLY.has(k))).toEqual([]);
    // Every issue with an English hint says which hint it is (a bad value's hint is its param's help).
    expect(issues.filter((i) => i.hint && !i.hintKey && !i.key?.startsWith('bad-param')).map((i) => i.message)).toEqual([]);
  });

  it('words every issue in English as the engine does (the CLI and the app say the same)', () => {
    const en = createI18n('en');
    const differ = issues
      .filter((i) => !i.key?.startsWith('bad-param'))
      .map((i) => ({ engine: i.message, app: issueText(en.t, i).message }))
      .filter((d) => d.engine !== d.app);
    expect(differ).toEqual([]);
    const hints = issues
      .filter((i) => i.hintKey)
      .map((i) => ({ engine: i.hint!.charAt(0).toUpperCase() + i.hint!.slice(1), app: issueText(en.t, i).hint }))
      .filter((d) => d.engine !== d.app);
    expect(hints).toEqual([]);
  });

  it('words every issue in Korean with every value filled in', () => {
    const ko = createI18n('ko');
    for (const issue of issues) {
      const { message, hint } = issueText(ko.t, issue);
      expect(message, issue.message).not.toBe(issue.message);
      expect(message, issue.message).not.toMatch(/\{\{|undefined|\[object/);
      expect(message, issue.message).toMatch(/[가-힣]/);
      if (hint) expect(hint, issue.hint).toMatch(/[가-힣]/);
    }
    const window = issues.find((i) => i.key === 'window-too-small' && i.params?.axis === 'length')!;
    expect(issueText(ko.t, window).message).toContain('시퀀스 길이');
    const vector = issues.find((i) => i.key === 'need-vector-unflattened')!;
    expect(issueText(ko.t, vector).message).toContain('시퀀스 [null, 17, 77] (배치, 길이, 채널)');
    expect(issueCodeName(ko.t, vector)).toBe('차원 수 불일치');
  });

  it('shows a bad value with its param help in the language', () => {
    const ko = createI18n('ko');
    const tooBig = issues.find((i) => i.key === 'bad-param-too-big')!;
    expect(issueText(ko.t, tooBig)).toEqual({
      message: 'Conv1D의 파라미터 "filters" 값 99999이(가) 너무 큽니다. 8192 이하여야 합니다.',
      hint: '필터 개수 = 출력 채널 수입니다.',
    });
  });

  it('falls back to the English of an issue without a key', () => {
    const ko = createI18n('ko');
    expect(issueText(ko.t, { code: 'cycle', message: 'An old loop.', hint: 'Old hint.' })).toEqual({ message: 'An old loop.', hint: 'Old hint.' });
  });
});

describe('the words of engine refusals', () => {
  /** Every EngineError code, checked by the compiler. */
  const codes: Record<EngineErrorCode, true> = {
    'invalid-document': true,
    'files-not-allowed': true,
    'data-error': true,
    'invalid-graph': true,
    declined: true,
    'export-error': true,
    'no-such-run': true,
    'run-error': true,
    'invalid-sweep': true,
    'autosave-error': true,
  };
  it.each(LANGUAGES)('have a name for every code in %s', (language) => {
    const i18n = createI18n(language);
    expect(Object.keys(codes).filter((c) => !i18n.exists(`errors.${c}`))).toEqual([]);
  });
  it('keep the English detail, after the kind of refusal in the language', () => {
    const error = { code: 'no-such-run', message: 'No run "r9" in the runs folder.' } as const;
    expect(engineErrorText(createI18n('en').t, 'en', error)).toBe('No run "r9" in the runs folder.');
    expect(engineErrorText(createI18n('ko').t, 'ko', error)).toBe('그런 실행이 없습니다: No run "r9" in the runs folder.');
  });
});
