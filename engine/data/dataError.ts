/**
 * A problem with the user's data file. The message names the file (and the line and column, where
 * there are some) and says what to do; whoever runs the engine turns it into an `error` event.
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  /** 1-based column of the line (a character position) the problem is at, when there is one. */
  readonly column?: number;
  /** The CSV column (its header name, or "column 3") the problem is in, when there is one. */
  readonly field?: string;
  constructor(
    message: string,
    /** The file the problem is in, as the user named it. */
    readonly file: string,
    /** 1-based line number, when the problem is on one line. */
    readonly line?: number,
    at: { column?: number | undefined; field?: string | undefined } = {},
  ) {
    super(message);
    if (at.column !== undefined) this.column = at.column;
    if (at.field !== undefined) this.field = at.field;
  }
}

/** "data.csv, line 12: ", `data.csv, line 12, column "text": ` or "data.csv: ". */
export function where(file: string, line?: number, field?: string): string {
  if (line === undefined) return `${file}: `;
  if (field === undefined) return `${file}, line ${line}: `;
  // A file without a header names its columns "column 3" already.
  return `${file}, line ${line}, ${/^column \d+$/.test(field) ? field : `column ${JSON.stringify(field)}`}: `;
}
