/**
 * A first look at a user's file before any column is chosen: the encoding, delimiter and header
 * that were detected, the column names (or "column N") and the first rows, so a form can offer
 * the columns and the user can see that the file was read right.
 */
import { looksLikeHeader } from './columns';
import { parseTable } from './csv';
import { dataError } from './dataError';
import type { Charset } from './charsets';
import { decodeText, notTextWords } from './decode';

export interface FilePreview {
  file: string;
  encoding: Charset;
  delimiter: string;
  hasHeader: boolean;
  /** Header names, or "column 1", "column 2", … (what a data spec's `text`/`label` may name). */
  columns: string[];
  /** The first data rows. */
  rows: string[][];
  /** Data rows in the whole file (the header not counted). */
  rowCount: number;
}

export interface PreviewOptions {
  /** How many rows to return (default 10). */
  rows?: number;
  header?: boolean;
  delimiter?: string;
  /** The file's encoding; absent: detected. */
  charset?: Charset;
}

/** Reads the whole file (so `rowCount` and malformed rows are caught now, not at training). */
export function previewFile(bytes: Uint8Array, file: string, options: PreviewOptions = {}): FilePreview {
  const binary = notTextWords(bytes);
  if (binary) throw dataError('data.notText', file, { what: binary });
  const { text, encoding } = decodeText(bytes, options.charset, file);
  const table = parseTable(text, file, options.delimiter === undefined ? {} : { delimiter: options.delimiter });
  const hasHeader = options.header ?? looksLikeHeader(table.rows);
  const first = table.rows[0]!;
  const body = hasHeader ? table.rows.slice(1) : table.rows;
  return {
    file,
    encoding,
    delimiter: table.delimiter,
    hasHeader,
    columns: hasHeader ? [...first] : first.map((_, i) => `column ${i + 1}`),
    rows: body.slice(0, options.rows ?? 10),
    rowCount: body.length,
  };
}
