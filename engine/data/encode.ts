/**
 * Encoding: token lists → compact token ids (Int32Array n×maxLength, 0 = padding, 1 = `<unk>`),
 * and batches in the model's input encoding. One-hot is expanded per batch into a reused buffer,
 * so a 120,000-row dataset never sits one-hot in memory.
 */
import { tokenizerFor, type TokenizerKind } from './tokenize';
import { PAD_ID, UNK_ID, type Vocabulary } from './vocabulary';

export type Encoding = 'onehot' | 'index';

/** How texts become ids, with maxLength resolved. Saved with a model so prediction matches training. */
export interface EncodeSpec {
  tokenizer: TokenizerKind;
  lowercase: boolean;
  maxLength: number;
}

/** Texts as token ids: row i is `ids[i*maxLength .. (i+1)*maxLength)`, padded with 0 at the end. */
export interface EncodedTexts {
  n: number;
  maxLength: number;
  vocabSize: number;
  ids: Int32Array;
}

/** One split of the data: token ids, class ids and the raw texts they came from. */
export interface EncodedSplit extends EncodedTexts {
  numClasses: number;
  /** Class id of each row, an index into `PreparedData.classes`. */
  labels: Int32Array;
  texts: string[];
}

/** Token lists → ids; longer lists are cut at maxLength, unknown tokens become `<unk>`. */
export function encodeTokenLists(lists: readonly (readonly string[])[], vocab: Vocabulary, maxLength: number): EncodedTexts {
  const ids = new Int32Array(lists.length * maxLength);
  const map = vocab.ids;
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i]!;
    const n = Math.min(list.length, maxLength);
    const base = i * maxLength;
    for (let t = 0; t < n; t++) ids[base + t] = map.get(list[t]!) ?? UNK_ID;
  }
  return { n: lists.length, maxLength, vocabSize: vocab.size, ids };
}

/** Texts → ids with the same tokenizer and length as training (for prediction). */
export function encodeTexts(texts: readonly string[], vocab: Vocabulary, spec: EncodeSpec): EncodedTexts {
  const tokenize = tokenizerFor(spec.tokenizer, spec.lowercase);
  return encodeTokenLists(texts.map(tokenize), vocab, spec.maxLength);
}

/** Buffers `fillBatch` may reuse; pass the previous call's result back in. */
export interface BatchBuffers {
  x?: Float32Array | Int32Array;
  y?: Float32Array;
}

export interface Batch {
  /** onehot: float32 [b, maxLength, vocabSize]; index: int32 [b, maxLength]. */
  x: Float32Array | Int32Array;
  /** One-hot labels, float32 [b, numClasses]. */
  y: Float32Array;
  /** Rows in this batch. */
  size: number;
}

/**
 * Fills one batch of rows `indices` of `split`. Reuses `out`'s buffers when they are large
 * enough (the returned arrays are then views of exactly the batch's size), so a training loop
 * allocates once. Careful: tfjs's cpu backend keeps the very array a tensor was made from, so
 * dispose the previous batch's tensors before refilling its buffers (or pass no `out`).
 */
export function fillBatch(split: EncodedSplit, indices: Int32Array | readonly number[], encoding: Encoding, out: BatchBuffers = {}): Batch {
  const b = indices.length;
  const x = fillInputs(split, indices, encoding, out);
  const k = split.numClasses;
  const y = reuse(out.y, b * k, Float32Array);
  y.fill(0);
  for (let i = 0; i < b; i++) y[i * k + split.labels[indices[i]!]!] = 1;
  return { x, y, size: b };
}

/** The inputs alone (prediction has no labels); see `fillBatch`. */
export function fillInputs(data: EncodedTexts, indices: Int32Array | readonly number[], encoding: Encoding, out: BatchBuffers = {}): Float32Array | Int32Array {
  const b = indices.length;
  const L = data.maxLength;
  const src = data.ids;
  if (encoding === 'index') {
    const x = reuse(out.x instanceof Int32Array ? out.x : undefined, b * L, Int32Array);
    for (let i = 0; i < b; i++) {
      const row = indices[i]!;
      x.set(src.subarray(row * L, row * L + L), i * L);
    }
    return x;
  }
  const V = data.vocabSize;
  const x = reuse(out.x instanceof Float32Array ? out.x : undefined, b * L * V, Float32Array);
  x.fill(0);
  for (let i = 0; i < b; i++) {
    const rowBase = indices[i]! * L;
    const outBase = i * L * V;
    for (let t = 0; t < L; t++) {
      const id = src[rowBase + t]!;
      // Padding is a row of zeros, so it carries no signal into a convolution.
      if (id !== PAD_ID) x[outBase + t * V + id] = 1;
    }
  }
  return x;
}

/**
 * A view of exactly `length` elements on `buffer`'s memory when it has room (a smaller view handed
 * back, like the last batch of an epoch, still reaches its whole buffer), else a new array.
 */
function reuse<T extends Float32Array | Int32Array>(buffer: T | undefined, length: number, Ctor: TypedArrayCtor<T>): T {
  if (buffer) {
    if (buffer.length === length) return buffer;
    const capacity = (buffer.buffer.byteLength - buffer.byteOffset) / buffer.BYTES_PER_ELEMENT;
    if (capacity >= length) return new Ctor(buffer.buffer, buffer.byteOffset, length);
  }
  return new Ctor(length);
}

interface TypedArrayCtor<T> {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
}
