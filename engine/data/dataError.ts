/**
 * A problem with the user's data file. The message names the file (and the line, where there is
 * one) and says what to do; whoever runs the engine turns it into an `error` event.
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  constructor(
    message: string,
    /** The file the problem is in, as the user named it. */
    readonly file: string,
    /** 1-based line number, when the problem is on one line. */
    readonly line?: number,
  ) {
    super(message);
  }
}

/** "data.csv, line 12: " or "data.csv: ". */
export function where(file: string, line?: number): string {
  return line === undefined ? `${file}: ` : `${file}, line ${line}: `;
}
