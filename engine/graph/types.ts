/**
 * The graph's words: what flows on a wire, what a user mistake is, what the data tells the
 * blocks, and what validation and shape inference report. Blocks, the compiler, the hosts and
 * the renderer all speak these; they import nothing but the Document's ids.
 */
import type { EdgeId, NodeId } from './document';
import type { IssueHintKey, IssueMessageKey, IssueParams } from './issueWords';

/** A tensor shape, Keras-style, batch axis first as `null`, e.g. `[null, 17, 256]`. */
export type Shape = readonly (number | null)[];

/** The element type flowing on a wire. */
export type DType = 'float32' | 'int32';

/** What flows out of (or into) a port. */
export interface TensorType {
  shape: Shape;
  dtype: DType;
  /**
   * True when a padding mask travels with the tensor (an Embedding with `maskZero`). Only blocks
   * that declare `acceptsMask` may receive one; tfjs throws on the others.
   */
  masked?: boolean;
}

/**
 * A user mistake found while validating, as a value (never an exception).
 * `code` is stable and machine-readable; `message` and `hint` are the English for people (the
 * CLI prints them); `key`, `hintKey` and `params` let the UI say the same in the user's language
 * (engine/graph/issueWords.ts).
 */
export interface GraphIssue {
  code: IssueCode;
  /** The node the issue is about, when there is one. */
  nodeId?: NodeId;
  /** The port on that node, when the issue is about one wire. */
  port?: string;
  /** The edge, when the issue is about one wire. */
  edgeId?: EdgeId;
  message: string;
  hint?: string;
  /** Which sentence `message` is, for the words in other languages. */
  key?: IssueMessageKey;
  /** Which sentence `hint` is. */
  hintKey?: IssueHintKey;
  /** The values both sentences name (block and param names, counts, shapes as text). */
  params?: IssueParams;
}

export type IssueCode =
  | 'unknown-type'
  | 'unknown-param'
  | 'bad-param'
  | 'missing-input'
  | 'too-many-inputs'
  | 'cycle'
  | 'dangling-edge'
  | 'duplicate-id'
  | 'rank-mismatch'
  | 'shape-mismatch'
  | 'dtype-mismatch'
  | 'shape-too-small'
  | 'empty-graph'
  | 'no-output'
  | 'several-outputs'
  | 'unknown-port'
  | 'data-mismatch';

/** Facts from the data binding that some blocks need (`"auto"` params). */
export interface DataFacts {
  /** Shape of one example without the batch axis, e.g. [17, 77] for one-hot chars. */
  inputShape?: readonly number[];
  inputDtype?: DType;
  vocabSize?: number;
  numClasses?: number;
}

/** The count of trainable + non-trainable weights and a multiply-add estimate, per example. */
export interface Cost {
  params: number;
  macs: number;
}

/** The losses an output block can train with. */
export type LossKind = 'categoricalCrossentropy' | 'binaryCrossentropy';

/** One node's result of validation, as the CLI's `validate --json` prints it. */
export interface NodeReport {
  id: NodeId;
  type: string;
  outputShape: Shape | null;
  params: Record<string, unknown>;
  paramCount: number;
  macs: number;
}

/** A whole graph's validation: every node's report in topological order, every issue, the totals. */
export interface ValidateResult {
  ok: boolean;
  nodes: NodeReport[];
  errors: GraphIssue[];
  totals: { params: number; macs: number };
}

/**
 * Everything the canvas and the compiler need to know about a graph. The tables are keyed by
 * the node's (or edge's) id; the ids it hands out (`order`, issues) are branded.
 */
export interface GraphAnalysis {
  /** Output type of each node; null where it could not be inferred (an issue says why, here or upstream). */
  nodeTypes: Record<string, TensorType | null>;
  /** Type flowing on each edge (its source's output); null where unknown or the edge is broken. */
  edgeTypes: Record<string, TensorType | null>;
  issues: GraphIssue[];
  /** Node ids in topological order (nodes on a cycle and duplicates left out). */
  order: NodeId[];
  /** Parameter count and multiply-adds per example, for every node whose type is known. */
  costs: Record<string, Cost>;
  /** Each node's params after its schema filled in defaults; absent where they did not validate. */
  params: Record<string, Record<string, unknown>>;
}
