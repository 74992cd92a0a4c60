import { english, type WordKey, type Words, type WordsAt, type WordValue } from '../words';

/**
 * A problem with the user's data file. The message names the file (and the line and column, where
 * there are some) and says what to do; `words` says the same by key and values, for the
 * renderer to say in the user's language. Whoever runs the engine turns it into an `error` event.
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  /** The file the problem is in, as the user named it. */
  readonly file: string;
  /** 1-based line number, when the problem is on one line. */
  readonly line?: number;
  /** 1-based column of the line (a character position) the problem is at, when there is one. */
  readonly column?: number;
  /** The CSV column (its header name, or "column 3") the problem is in, when there is one. */
  readonly field?: string;
  constructor(
    readonly words: Words,
    /** The file, when it is not the one `words` says the problem is at (or it says none). */
    file?: string,
  ) {
    super(english(words));
    const at = words.at;
    this.file = file ?? at?.file ?? '';
    if (at?.line !== undefined) this.line = at.line;
    if (at?.column !== undefined) this.column = at.column;
    if (at?.field !== undefined) this.field = at.field;
  }
}

/** The DataError that says sentence `key` about `file` (at `line`, in a column `field` or at character `column`). */
export function dataError(key: WordKey, at: WordsAt | string, params?: Record<string, WordValue>): DataError {
  const where: WordsAt = typeof at === 'string' ? { file: at } : dropUndefined(at);
  return new DataError(params ? { key, params, at: where } : { key, at: where });
}

function dropUndefined(at: WordsAt): WordsAt {
  const out: WordsAt = { file: at.file };
  if (at.line !== undefined) out.line = at.line;
  if (at.column !== undefined) out.column = at.column;
  if (at.field !== undefined) out.field = at.field;
  return out;
}
