/**
 * Tokenizers: text → tokens. Both normalise to Unicode NFC first, so "é" typed two ways is one
 * character, and Hangul syllables typed as jamo are one syllable. Lowercasing is
 * locale-independent (`toLowerCase`), so results are the same everywhere.
 */

export type TokenizerKind = 'char' | 'word';

/** How a text becomes tokens: what a data spec says, and a run saves for prediction. */
export interface TokenizerSpec {
  tokenizer: TokenizerKind;
  lowercase: boolean;
  /**
   * Word tokenizer: punctuation marks and symbols are tokens, decimal numbers stay whole, and
   * each Chinese character is a word. Absent or false: the first rules (words and numbers, no
   * punctuation), which runs saved before this option still encode with.
   */
  punctuation?: boolean | undefined;
}

// V8 copies an ASCII string in normalize(); ASCII is always NFC, so skip it.
const NON_ASCII = /[^\0-\x7f]/;

function normalized(text: string, lowercase: boolean): string {
  const t = NON_ASCII.test(text) ? text.normalize('NFC') : text;
  return lowercase ? t.toLowerCase() : t;
}

/** One token per Unicode code point (not per UTF-16 unit, so "𝔸" is one token). */
export function charTokens(text: string, lowercase: boolean): string[] {
  return Array.from(normalized(text, lowercase));
}

/** The first word rules: runs of letters, marks and digits, with apostrophes kept inside words ("don't", "o'neill"). */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu;

/**
 * Words, numbers (3.5 and 1,000 whole), each Chinese character, and each punctuation mark or
 * symbol on its own; apostrophes inside a word stay ("don't"). Whitespace separates.
 */
const WORD_PUNCT = /\p{N}+(?:[.,]\p{N}+)+|\p{sc=Han}|(?:(?!\p{sc=Han})[\p{L}\p{M}\p{N}])+(?:['’](?:(?!\p{sc=Han})[\p{L}\p{M}\p{N}])+)*|[^\s\p{L}\p{M}\p{N}]/gu;

/** Words (see {@link TokenizerSpec.punctuation}). */
export function wordTokens(text: string, lowercase: boolean, punctuation = false): string[] {
  return normalized(text, lowercase).match(punctuation ? WORD_PUNCT : WORD) ?? [];
}

/** The tokenizer a spec names. */
export function tokenizerOf(spec: TokenizerSpec): (text: string) => string[] {
  const { lowercase } = spec;
  if (spec.tokenizer === 'char') return (text) => charTokens(text, lowercase);
  const punctuation = spec.punctuation === true;
  return (text) => wordTokens(text, lowercase, punctuation);
}
