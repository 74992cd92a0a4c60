/**
 * A whole CSV/TSV text as a table, for previews and small files (large ones are streamed row by
 * row by dataset.ts through the same parser, csvStream.ts): the delimiter is detected (or
 * given), rows must all have the same number of fields, and every problem names the file and line.
 */
import Papa from 'papaparse';
import { CsvStream, guessDelimiter } from './csvStream';
import type { Words } from '../words';
import { dataError, type DataError } from './dataError';

export { guessDelimiter } from './csvStream';

/** A parsed table: all rows, the first one included (header detection is `chooseColumns`'s job). */
export interface RawTable {
  rows: string[][];
  /** The 1-based line each row starts on. */
  lines: number[];
  delimiter: string;
  /** The file name used in error messages. */
  file: string;
}

export interface ParseOptions {
  /** Field delimiter; detected from the first lines when absent (a `.tsv` file means tab). */
  delimiter?: string;
}

/** Parses CSV/TSV text; throws a `DataError` naming the file and line for malformed input. */
export function parseTable(text: string, file: string, options: ParseOptions = {}): RawTable {
  if (text.trim() === '') throw dataError('data.emptyFile', file);
  const delimiter = options.delimiter ?? delimiterFor(file, text);
  const rows: string[][] = [];
  const lines: number[] = [];
  const stream = new CsvStream(file, delimiter);
  const sink = (fields: string[], line: number) => {
    rows.push(fields);
    lines.push(line);
  };
  stream.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, sink);
  stream.end(sink);
  if (rows.length === 0) throw dataError('data.noRows', file);
  const width = rows[0]!.length;
  for (let i = 1; i < rows.length; i++) {
    const n = rows[i]!.length;
    if (n !== width) throw raggedRowError(file, lines[i]!, n, width, delimiter, { key: 'data.theFirstRow' });
  }
  return { rows, lines, delimiter, file };
}

/** The delimiter of `file`: tab for a `.tsv` file, else guessed from its text. */
export function delimiterFor(file: string, text: string): string {
  return /\.tsv$/i.test(file) ? '\t' : guessDelimiter(text);
}

/** A row with another number of fields than the header (or first row). */
export function raggedRowError(file: string, line: number, n: number, width: number, delimiter: string, first: Words): DataError {
  return dataError('data.raggedRow', { file, line }, { count: n, first, width, delimiter: delimiter === '\t' ? '\\t' : delimiter });
}

/** Writes rows as CSV with "\n" line ends, quoting only where needed, ending in a newline. */
export function formatCsv(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return Papa.unparse({ fields: [...columns], data: rows.map((r) => [...r]) }, { newline: '\n' }) + '\n';
}
