/**
 * Encoding: token lists → compact token ids (Int32Array n×maxLength, 0 = padding, 1 = `<unk>`),
 * and batches in the model's input encoding. One-hot and bag-of-tokens are expanded per batch
 * into a reused buffer, so a 120,000-row dataset never sits one-hot in memory.
 */
import { tokenizerOf, type TokenizerSpec } from './tokenize';
import { BOS_TOKEN, EOS_TOKEN, PAD_ID, SEP_TOKEN, UNK_ID, type Vocabulary } from './vocabulary';

/** onehot: float32 [length, vocab]; index: int32 [length]; bag: float32 [vocab], counts or presence. */
export type Encoding = 'onehot' | 'index' | 'bag';

/** How texts become ids, with maxLength resolved. Saved with a model so prediction matches training. */
export interface EncodeSpec extends TokenizerSpec {
  maxLength: number;
  /** Which end of a longer text is cut off (absent: the end). */
  truncate?: 'end' | 'start' | undefined;
  /** A `<bos>` token starts each text. */
  bos?: boolean | undefined;
  /** An `<eos>` token ends each text. */
  eos?: boolean | undefined;
  /**
   * How many text columns are joined (with `<sep>` between); absent: 1. A text given to
   * `encodeTexts` as one string holds them separated by tabs.
   */
  textColumns?: number | undefined;
  /** bag encoding: token counts (absent) or presence (1 where a token occurs). */
  bagValue?: 'count' | 'presence' | undefined;
}

/** Texts as token ids: row i is `ids[i*maxLength .. (i+1)*maxLength)`, padded with 0 at the end. */
export interface EncodedTexts {
  n: number;
  maxLength: number;
  vocabSize: number;
  ids: Int32Array;
  /** bag encoding: whether a cell holds counts or presence (absent: counts). */
  bagValue?: 'count' | 'presence' | undefined;
}

/** One split of the data: token ids, class ids and (when asked for) the raw texts they came from. */
export interface EncodedSplit extends EncodedTexts {
  numClasses: number;
  /** Class id of each row, an index into `PreparedData.classes`. */
  labels: Int32Array;
  /** The data row (0-based, in file order, header not counted) each example came from. */
  rows: Int32Array;
  /** The texts (columns joined with " | "), only when `PrepareOptions.keepTexts` asked for them. */
  texts?: string[];
}

/** Where the special tokens are, for the encoder. */
export interface Specials {
  bos: number;
  eos: number;
  sep: number;
}

/** The ids of `<bos>`, `<eos>` and `<sep>` in `vocab` (-1 for a missing one). */
export function specialIds(vocab: Vocabulary): Specials {
  return { bos: vocab.ids.get(BOS_TOKEN) ?? -1, eos: vocab.ids.get(EOS_TOKEN) ?? -1, sep: vocab.ids.get(SEP_TOKEN) ?? -1 };
}

/** The framing of each example: its length and the special tokens around its content. */
export interface Framing {
  maxLength: number;
  truncate: 'end' | 'start';
  /** id of `<bos>` to put first, or -1. */
  bos: number;
  /** id of `<eos>` to put last, or -1. */
  eos: number;
}

/** The framing an encode spec asks for, with `vocab`'s special ids. */
export function framingOf(spec: Pick<EncodeSpec, 'maxLength' | 'truncate' | 'bos' | 'eos'>, vocab: Vocabulary): Framing {
  const ids = specialIds(vocab);
  return { maxLength: spec.maxLength, truncate: spec.truncate ?? 'end', bos: spec.bos ? ids.bos : -1, eos: spec.eos ? ids.eos : -1 };
}

/**
 * Writes one example's content ids `src[from..to)` into `out[base .. base+maxLength)`: `<bos>`,
 * the content cut to fit (at the end or the start), `<eos>`; the rest stays 0 (padding). Returns
 * how many content tokens were cut.
 */
export function frameInto(out: Int32Array, base: number, src: ArrayLike<number>, from: number, to: number, f: Framing): number {
  let at = base;
  if (f.bos >= 0) out[at++] = f.bos;
  const room = Math.max(0, f.maxLength - (f.bos >= 0 ? 1 : 0) - (f.eos >= 0 ? 1 : 0));
  const len = to - from;
  const keep = Math.min(len, room);
  const start = f.truncate === 'start' ? to - keep : from;
  for (let k = 0; k < keep; k++) out[at++] = src[start + k]!;
  if (f.eos >= 0 && at < base + f.maxLength) out[at] = f.eos;
  return len - keep;
}

/** Token lists → ids; longer lists are cut at maxLength (at the end), unknown tokens become `<unk>`. */
export function encodeTokenLists(lists: readonly (readonly string[])[], vocab: Vocabulary, maxLength: number | Framing): EncodedTexts {
  const f: Framing = typeof maxLength === 'number' ? { maxLength, truncate: 'end', bos: -1, eos: -1 } : maxLength;
  const L = f.maxLength;
  const ids = new Int32Array(lists.length * L);
  const map = vocab.ids;
  let row: Int32Array = new Int32Array(64);
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i]!;
    if (row.length < list.length) row = new Int32Array(list.length * 2);
    for (let t = 0; t < list.length; t++) row[t] = map.get(list[t]!) ?? UNK_ID;
    frameInto(ids, i * L, row, 0, list.length, f);
  }
  return { n: lists.length, maxLength: L, vocabSize: vocab.size, ids };
}

/** One example's tokens: each column's, joined with `<sep>` (the columns of a string are its tab-separated parts, when the spec has several). */
export function rowTokens(row: string | readonly string[], tokenize: (text: string) => string[], textColumns = 1): string[] {
  const columns = typeof row === 'string' ? (textColumns > 1 ? row.split('\t') : [row]) : row;
  if (columns.length === 1) return tokenize(columns[0]!);
  const out: string[] = [];
  columns.forEach((text, c) => {
    if (c > 0) out.push(SEP_TOKEN);
    for (const t of tokenize(text)) out.push(t);
  });
  return out;
}

/**
 * Texts → ids with the same tokenizer, columns, length and framing as training (for
 * prediction). A row is one string (several columns separated by tabs) or its columns.
 */
export function encodeTexts(texts: readonly (string | readonly string[])[], vocab: Vocabulary, spec: EncodeSpec): EncodedTexts {
  const tokenize = tokenizerOf(spec);
  const lists = texts.map((t) => rowTokens(t, tokenize, spec.textColumns ?? 1));
  return { ...encodeTokenLists(lists, vocab, framingOf(spec, vocab)), ...(spec.bagValue ? { bagValue: spec.bagValue } : {}) };
}

/** Buffers `fillBatch` may reuse; pass the previous call's result back in. */
export interface BatchBuffers {
  x?: Float32Array | Int32Array;
  y?: Float32Array;
}

export interface Batch {
  /** onehot: float32 [b, maxLength, vocabSize]; index: int32 [b, maxLength]; bag: float32 [b, vocabSize]. */
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
  if (encoding === 'bag') {
    const x = reuse(out.x instanceof Float32Array ? out.x : undefined, b * V, Float32Array);
    x.fill(0);
    const presence = data.bagValue === 'presence';
    for (let i = 0; i < b; i++) {
      const rowBase = indices[i]! * L;
      const outBase = i * V;
      for (let t = 0; t < L; t++) {
        const id = src[rowBase + t]!;
        if (id === PAD_ID) continue;
        if (presence) x[outBase + id] = 1;
        else x[outBase + id]!++;
      }
    }
    return x;
  }
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
