/**
 * GloVe-format text embeddings ("word f1 f2 … fD" a line; a word2vec "count dim" first line is
 * skipped) → an Embedding's initial weights for a vocabulary. Works on the bytes line by line, whole
 * or streamed in chunks (loadGloveChunks), so a file larger than the biggest JS string still loads,
 * and parses the numbers of the words the vocabulary has only (every line's count is still checked).
 */
import { dataError, type DataError } from './dataError';
import { mulberry32 } from './prng';
import { PAD_ID, type Vocabulary } from './vocabulary';

export interface GloveOptions {
  /** Seed for the random rows of words the file lacks (default 1337). */
  seed?: number;
  /** Half-width of the uniform range of those rows (default 0.05, as Keras's embedding initializer). */
  scale?: number;
  /** The file's name, for error messages (default "GloVe file"). */
  file?: string;
}

export interface GloveWeights {
  /** Row-major [vocabSize, dim]; row 0 (padding) is zeros. */
  weights: Float32Array;
  dims: readonly [number, number];
  /** How many vocabulary words (besides `<pad>` and `<unk>`) the file had. */
  found: number;
  /** Per vocabulary id: whether the file had its vector. */
  inFile: Uint8Array;
}

/** How much of a vocabulary a GloVe file covers: "71% of the vocabulary, 93% of tokens found". */
export interface GloveCoverage {
  file: string;
  /** The vectors' size. */
  dim: number;
  /** Vocabulary entries (specials not counted) with a vector, and how many there are. */
  wordsFound: number;
  words: number;
  /** wordsFound / words. */
  vocabularyShare: number;
  /** Share of the train split's tokens (`<unk>` included, specials not) whose word has a vector. */
  tokenShare: number;
}

const SPACE = 32;
const TAB = 9;
const NL = 10;
const CR = 13;
const isSep = (b: number) => b === SPACE || b === TAB;

/**
 * Builds the weights for `vocab` from GloVe bytes. `dim` is checked against the file when given
 * (an Embedding's outputDim), else read from its first line. Words are matched exactly, then
 * lowercased when the exact form is not in the vocabulary (for cased files).
 */
export function loadGlove(bytes: Uint8Array, vocab: Vocabulary, dim?: number, options: GloveOptions = {}): GloveWeights {
  const parser = new GloveParser(vocab, dim, options.file ?? 'GloVe file');
  parser.feed(bytes, true);
  return parser.finish(options);
}

/**
 * `loadGlove` over a file read in chunks (FilePort.openFile): only the current chunk and the
 * vocabulary's vectors are held, so a multi-gigabyte file loads in the memory of its matches.
 */
export async function loadGloveChunks(chunks: AsyncIterable<Uint8Array>, vocab: Vocabulary, dim?: number, options: GloveOptions = {}): Promise<GloveWeights> {
  const parser = new GloveParser(vocab, dim, options.file ?? 'GloVe file');
  let carry: Uint8Array = new Uint8Array(0);
  for await (const chunk of chunks) {
    const joined = carry.length === 0 ? chunk : concat(carry, chunk);
    // A line cut by the chunk's end waits for the rest of it.
    carry = parser.feed(joined, false);
    if (carry.length > 0) carry = carry.slice();
  }
  parser.feed(carry, true);
  return parser.finish(options);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Parses GloVe lines as they come, keeping only the vectors of the vocabulary's words. */
class GloveParser {
  private D: number;
  private weights: Float32Array | null;
  /** 0 = not found, 1 = filled from a lowercased word, 2 = filled from an exact match. */
  private readonly filled: Uint8Array;
  private readonly utf8 = new TextDecoder('utf-8');
  private lineNo = 0;
  private sawData = false;
  private atStart = true;

  constructor(
    private readonly vocab: Vocabulary,
    private readonly dim: number | undefined,
    private readonly file: string,
  ) {
    this.D = dim ?? 0;
    this.weights = dim === undefined ? null : new Float32Array(vocab.size * dim);
    this.filled = new Uint8Array(vocab.size);
  }

  /** Parses every whole line of `bytes` (all of it when `last`); answers the unparsed rest. */
  feed(bytes: Uint8Array, last: boolean): Uint8Array {
    let pos = 0;
    if (this.atStart) {
      if (bytes.length < 3 && !last) return bytes;
      this.atStart = false;
      if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
    }
    while (pos < bytes.length) {
      let end = bytes.indexOf(NL, pos);
      if (end < 0) {
        if (!last) return bytes.subarray(pos);
        end = bytes.length;
      }
      const next = end + 1;
      this.lineNo++;
      let lineEnd = end;
      if (lineEnd > pos && bytes[lineEnd - 1] === CR) lineEnd--;
      let s = pos;
      while (s < lineEnd && isSep(bytes[s]!)) s++;
      pos = next;
      if (s < lineEnd) this.line(bytes, s, lineEnd);
    }
    return bytes.subarray(bytes.length);
  }

  private line(bytes: Uint8Array, s: number, lineEnd: number): void {
    const { file, lineNo, utf8, dim, vocab, filled } = this;
    let wordEnd = s;
    while (wordEnd < lineEnd && !isSep(bytes[wordEnd]!)) wordEnd++;
    // Count the numbers after the word.
    let count = 0;
    let prevSep = true;
    for (let i = wordEnd; i < lineEnd; i++) {
      const sep = isSep(bytes[i]!);
      if (!sep && prevSep) count++;
      prevSep = sep;
    }
    if (!this.sawData) {
      this.sawData = true;
      const head = utf8.decode(bytes.subarray(s, lineEnd)).trim().split(/\s+/);
      if (head.length === 2 && /^\d+$/.test(head[0]!) && /^\d+$/.test(head[1]!)) {
        // word2vec text format: "count dim" first.
        const fileDim = Number(head[1]);
        if (dim !== undefined && fileDim !== dim) throw wrongDim(file, lineNo, dim, fileDim);
        this.D = fileDim;
        this.weights ??= new Float32Array(vocab.size * this.D);
        return;
      }
      if (dim === undefined) {
        if (count === 0)
          throw dataError('data.gloveNotVectors', { file, line: lineNo }, { found: JSON.stringify(utf8.decode(bytes.subarray(s, lineEnd)).slice(0, 40)) });
        this.D = count;
        this.weights = new Float32Array(vocab.size * count);
      } else if (count !== dim) {
        throw wrongDim(file, lineNo, dim, count);
      }
    }
    const D = this.D;
    const w = this.weights!;
    if (count !== D) {
      const word = utf8.decode(bytes.subarray(s, wordEnd));
      throw dataError('data.gloveRowLength', { file, line: lineNo }, { word: JSON.stringify(word), count, dim: D });
    }
    const word = utf8.decode(bytes.subarray(s, wordEnd));
    let id = vocab.ids.get(word);
    let kind = 2;
    if (id === undefined) {
      const lower = word.toLowerCase();
      if (lower === word) return;
      id = vocab.ids.get(lower);
      kind = 1;
      if (id === undefined) return;
    }
    if (id === PAD_ID || filled[id]! >= kind) return;
    const numbers = utf8
      .decode(bytes.subarray(wordEnd, lineEnd))
      .trim()
      .split(/[ \t]+/);
    const base = id * D;
    for (let k = 0; k < D; k++) {
      const v = Number(numbers[k]);
      if (!Number.isFinite(v)) {
        throw dataError('data.gloveNotNumber', { file, line: lineNo }, { value: JSON.stringify(numbers[k]), word: JSON.stringify(word) });
      }
      w[base + k] = v;
    }
    filled[id] = kind;
  }

  /** The weights: the file's vectors, and seeded random rows for the words it lacks. */
  finish(options: GloveOptions): GloveWeights {
    const { weights, filled, D } = this;
    if (!weights || !this.sawData) throw dataError('data.gloveEmpty', this.file);
    const V = this.vocab.size;
    const random = mulberry32(options.seed ?? 1337);
    const scale = options.scale ?? 0.05;
    let found = 0;
    for (let id = 0; id < V; id++) {
      if (id === PAD_ID) continue;
      if (filled[id]) {
        if (id > 1) found++;
        continue;
      }
      const base = id * D;
      for (let k = 0; k < D; k++) weights[base + k] = (random() * 2 - 1) * scale;
    }
    return { weights, dims: [V, D], found, inFile: filled.map((f) => (f ? 1 : 0)) };
  }
}

function wrongDim(file: string, line: number, dim: number, fileDim: number): DataError {
  return dataError('data.gloveDim', { file, line }, { fileDim, dim });
}

/**
 * The coverage of `vocab` by a GloVe file, weighed by `counts` (each id's train count) for the
 * token share. Ids below `firstWord` (`<pad>`, `<unk>`, `<bos>`, `<eos>`, `<sep>`) are not words.
 */
export function gloveCoverage(bytes: Uint8Array, vocab: Vocabulary, counts: Int32Array, options: GloveOptions = {}): GloveCoverage {
  const { dims, inFile } = loadGlove(bytes, vocab, undefined, options);
  const special = (id: number) => id === PAD_ID || /^<(unk|bos|eos|sep)>$/.test(vocab.tokens[id]!);
  let words = 0;
  let wordsFound = 0;
  let tokens = 0;
  let tokensFound = 0;
  for (let id = 0; id < vocab.size; id++) {
    const n = counts[id] ?? 0;
    if (vocab.tokens[id] === '<unk>') {
      tokens += n;
      continue;
    }
    if (special(id)) continue;
    words++;
    tokens += n;
    if (inFile[id]) {
      wordsFound++;
      tokensFound += n;
    }
  }
  return {
    file: options.file ?? 'GloVe file',
    dim: dims[1],
    wordsFound,
    words,
    vocabularyShare: words === 0 ? 0 : wordsFound / words,
    tokenShare: tokens === 0 ? 0 : tokensFound / tokens,
  };
}
