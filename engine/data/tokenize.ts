/**
 * Tokenizers: text → tokens. Both normalise to Unicode NFC first, so "é" typed two ways is one
 * character. Lowercasing is locale-independent (`toLowerCase`), so results are the same
 * everywhere.
 */

export type TokenizerKind = 'char' | 'word';

/** One token per Unicode code point (not per UTF-16 unit, so "𝔸" is one token). */
export function charTokens(text: string, lowercase: boolean): string[] {
  const t = lowercase ? text.normalize('NFC').toLowerCase() : text.normalize('NFC');
  return Array.from(t);
}

/** Runs of letters, marks and digits, with apostrophes kept inside words ("don't", "o'neill"). */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu;

/** Words: split on everything that is not a letter or digit; apostrophes inside a word stay. */
export function wordTokens(text: string, lowercase: boolean): string[] {
  const t = lowercase ? text.normalize('NFC').toLowerCase() : text.normalize('NFC');
  return t.match(WORD) ?? [];
}

/** The tokenizer a data spec names. */
export function tokenizerFor(kind: TokenizerKind, lowercase: boolean): (text: string) => string[] {
  return kind === 'char' ? (text) => charTokens(text, lowercase) : (text) => wordTokens(text, lowercase);
}
