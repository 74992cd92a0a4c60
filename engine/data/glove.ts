/**
 * GloVe-format text embeddings ("word f1 f2 … fD" a line; a word2vec "count dim" first line is
 * skipped) → an Embedding's initial weights for a vocabulary. Works on the bytes line by line, so
 * a file larger than the biggest JS string still loads, and parses the numbers of the words the
 * vocabulary has only (every line's count is still checked).
 */
import { DataError, where } from './dataError';
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
  const file = options.file ?? 'GloVe file';
  const V = vocab.size;
  let D = dim ?? 0;
  let weights: Float32Array | null = dim === undefined ? null : new Float32Array(V * dim);
  // 0 = not found, 1 = filled from a lowercased word, 2 = filled from an exact match.
  const filled = new Uint8Array(V);
  const utf8 = new TextDecoder('utf-8');
  let pos = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let lineNo = 0;
  let sawData = false;

  while (pos < bytes.length) {
    let end = bytes.indexOf(NL, pos);
    if (end < 0) end = bytes.length;
    const next = end + 1;
    lineNo++;
    let lineEnd = end;
    if (lineEnd > pos && bytes[lineEnd - 1] === CR) lineEnd--;
    let s = pos;
    while (s < lineEnd && isSep(bytes[s]!)) s++;
    pos = next;
    if (s >= lineEnd) continue;

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
    if (!sawData) {
      sawData = true;
      const head = utf8.decode(bytes.subarray(s, lineEnd)).trim().split(/\s+/);
      if (head.length === 2 && /^\d+$/.test(head[0]!) && /^\d+$/.test(head[1]!)) {
        // word2vec text format: "count dim" first.
        const fileDim = Number(head[1]);
        if (dim !== undefined && fileDim !== dim) throw wrongDim(file, lineNo, dim, fileDim);
        D = fileDim;
        weights ??= new Float32Array(V * D);
        continue;
      }
      if (dim === undefined) {
        if (count === 0)
          throw new DataError(
            `${where(file, lineNo)}expected a word and numbers, found only ${JSON.stringify(utf8.decode(bytes.subarray(s, lineEnd)).slice(0, 40))}; is this a GloVe file?`,
            file,
            lineNo,
          );
        D = count;
        weights = new Float32Array(V * D);
      } else if (count !== dim) {
        throw wrongDim(file, lineNo, dim, count);
      }
    }
    const w = weights!;
    if (count !== D) {
      const word = utf8.decode(bytes.subarray(s, wordEnd));
      throw new DataError(
        `${where(file, lineNo)}the word ${JSON.stringify(word)} has ${count} number${count === 1 ? '' : 's'} after it, but the file's rows have ${D}; the file may be cut off or damaged.`,
        file,
        lineNo,
      );
    }
    const word = utf8.decode(bytes.subarray(s, wordEnd));
    let id = vocab.ids.get(word);
    let kind = 2;
    if (id === undefined) {
      const lower = word.toLowerCase();
      if (lower === word) continue;
      id = vocab.ids.get(lower);
      kind = 1;
      if (id === undefined) continue;
    }
    if (id === PAD_ID || filled[id]! >= kind) continue;
    const numbers = utf8
      .decode(bytes.subarray(wordEnd, lineEnd))
      .trim()
      .split(/[ \t]+/);
    const base = id * D;
    for (let k = 0; k < D; k++) {
      const v = Number(numbers[k]);
      if (!Number.isFinite(v)) {
        throw new DataError(`${where(file, lineNo)}${JSON.stringify(numbers[k])} after the word ${JSON.stringify(word)} is not a number.`, file, lineNo);
      }
      w[base + k] = v;
    }
    filled[id] = kind;
  }
  if (!weights || !sawData) throw new DataError(`${where(file)}the file holds no vectors.`, file);

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

function wrongDim(file: string, line: number, dim: number, fileDim: number): DataError {
  return new DataError(
    `${where(file, line)}the file's vectors have ${fileDim} numbers, but the Embedding's outputDim is ${dim}; set outputDim to ${fileDim} or choose a ${dim}-dimensional file.`,
    file,
    line,
  );
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
