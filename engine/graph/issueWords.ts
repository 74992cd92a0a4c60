/**
 * The sentences the engine can say about a graph, by key. An issue carries its `key` (and
 * `hintKey`) with the values they name (`params`); the renderer looks the words up in the
 * user's language (renderer/i18n/locales/<lang>/issues.json), and the English `message` and
 * `hint` stay for the CLI and as the fallback. tests/unit/renderer/issueWords.test.ts fails when
 * a key here has no words in a language, or an issue the engine makes has no key.
 */

/** One key per sentence shape an issue's message can take. */
export const ISSUE_MESSAGES = [
  'unknown-param',
  'bad-param',
  'bad-param-too-small',
  'bad-param-too-big',
  'bad-param-not-integer',
  'bad-param-not-one-of',
  'bad-param-wrong-type',
  'empty-graph',
  'duplicate-node-id',
  'duplicate-wire-id',
  'unknown-type',
  'dangling-edge-from',
  'dangling-edge-to',
  'unknown-source-port',
  'unknown-target-port',
  'no-input-ports',
  'too-many-inputs',
  'missing-input',
  'missing-inputs-min',
  'masked-input',
  'several-inputs',
  'no-output',
  'several-outputs',
  'cycle',
  'need-float',
  'need-vector',
  'need-vector-unflattened',
  'need-sequence',
  'need-sequence-flat',
  'need-image',
  'need-channel-axis',
  'need-non-batch-axis',
  'nin-rank',
  'strides-and-dilation',
  'window-too-small',
  'concat-axis',
  'concat-mismatch',
  'embedding-needs-ids',
  'embedding-float',
  'embedding-one-hot',
  'embedding-rank',
  'embedding-auto-no-data',
  'embedding-vocab',
  'input-dtype-int',
  'input-dtype-float',
  'input-auto-no-data',
  'input-shape',
  'output-auto-no-data',
  'output-units',
  'output-loss',
  'output-softmax-one',
  'reshape-free',
  'reshape-divisor',
  'reshape-size',
  'residual-shapes',
  'pretrained-size',
  'group-unusable',
  'group-unnamed',
  'group-no-input',
] as const;

/** One key per hint. */
export const ISSUE_HINTS = [
  'unknown-param-list',
  'unknown-param-none',
  'empty-graph',
  'duplicate-node-id',
  'duplicate-wire-id',
  'unknown-type',
  'dangling-edge',
  'start-at-out',
  'delete-wire',
  'join-paths',
  'drag-wire',
  'masked-input',
  'several-inputs',
  'no-output',
  'several-outputs',
  'cycle',
  'need-float',
  'flatten-or-pool',
  'sequence-from-vector',
  'sequence-from-image',
  'sequence-reshape',
  'image-from-sequence',
  'image-reshape',
  'nin-rank',
  'strides-and-dilation',
  'window-too-small',
  'concat-axis',
  'concat-mismatch',
  'embedding-float',
  'embedding-rank',
  'embedding-auto-no-data',
  'set-auto',
  'input-dtype-int',
  'input-dtype-float',
  'input-auto-no-data',
  'input-shape',
  'output-auto-no-data',
  'output-loss-softmax',
  'output-loss-sigmoid',
  'output-softmax-one',
  'reshape-free',
  'reshape-divisor',
  'reshape-size',
  'residual-1d',
  'residual-1d-filters',
  'residual-1d-strides',
  'residual-1d-filters-strides',
  'residual-2d',
  'residual-other',
  'pretrained-size',
  'group-unusable',
] as const;

export type IssueMessageKey = (typeof ISSUE_MESSAGES)[number];
export type IssueHintKey = (typeof ISSUE_HINTS)[number];

/** The values a sentence names: block types, port and param names, counts, shapes as text. */
export type IssueParams = Record<string, string | number>;

/**
 * The rank of a tensor the words describe ("a sequence [null, 17, 77]"): an issue that says what
 * a block got carries `gotRank` and `gotShape`, and each language words the rank its own way.
 */
export const RANK_WORDS = ['vector', 'sequence', 'image', 'other'] as const;
export function rankWord(rank: number): (typeof RANK_WORDS)[number] {
  return rank === 2 ? 'vector' : rank === 3 ? 'sequence' : rank === 4 ? 'image' : 'other';
}
