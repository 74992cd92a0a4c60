/**
 * CSV/TSV parsing with papaparse: the delimiter is detected (or given), rows must all have the
 * same number of fields, and every problem is reported with the file name and line number.
 */
import Papa from 'papaparse';
import { DataError, where } from './dataError';

/** A parsed table: all rows, the first one included (header detection is `detectHeader`'s job). */
export interface RawTable {
  rows: string[][];
  delimiter: string;
  /** The file name used in error messages. */
  file: string;
  /** The text the rows came from, kept to turn a row index into a line number on errors. */
  text: string;
}

export interface ParseOptions {
  /** Field delimiter; detected from the first lines when absent (a `.tsv` file means tab). */
  delimiter?: string;
}

/** Parses CSV/TSV text; throws a `DataError` naming the file and line for malformed input. */
export function parseTable(text: string, file: string, options: ParseOptions = {}): RawTable {
  if (text.trim() === '') throw new DataError(`${where(file)}the file is empty.`, file);
  const delimiter = options.delimiter ?? (/\.tsv$/i.test(file) ? '\t' : guessDelimiter(text));
  const result = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: true, header: false });
  const table: RawTable = { rows: result.data, delimiter: result.meta.delimiter, file, text };
  const quoteError = result.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    const line = quoteError.row !== undefined ? lineOfRow(table, quoteError.row) : undefined;
    throw new DataError(`${where(file, line)}${quoteError.message.replace(/\.$/, '')}; check the quotes on this row.`, file, line);
  }
  const rows = table.rows;
  if (rows.length === 0) throw new DataError(`${where(file)}the file has no rows.`, file);
  const width = rows[0]!.length;
  for (let i = 1; i < rows.length; i++) {
    const n = rows[i]!.length;
    if (n !== width) {
      const line = lineOfRow(table, i);
      throw new DataError(
        `${where(file, line)}this row has ${n} field${n === 1 ? '' : 's'} but the first row has ${width}; ` +
          `quote fields that contain "${printable(table.delimiter)}" or line breaks.`,
        file,
        line,
      );
    }
  }
  return table;
}

function printable(delimiter: string): string {
  return delimiter === '\t' ? '\\t' : delimiter;
}

/**
 * Papaparse's own guess looks at the first rows only and prefers "," on ties; we count the
 * candidates outside quotes on the first few lines and take the one that is most consistent.
 */
function guessDelimiter(text: string): string {
  const head = text.slice(0, 64 * 1024);
  const lines = head.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 20);
  if (lines.length > 1 && head.length === 64 * 1024) lines.pop(); // may be cut mid-line
  let best = ',';
  let bestScore = 0;
  for (const candidate of [',', '\t', ';', '|']) {
    const counts = lines.map((l) => countOutsideQuotes(l, candidate));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length / counts.length;
    const score = consistent * 1000 + first;
    if (score > bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, ch: string): number {
  let inQuotes = false;
  let count = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (c === ch && !inQuotes) count++;
  }
  return count;
}

/** The 1-based line where row `rowIndex` (0-based, empty lines not counted) starts. */
export function lineOfRow(table: RawTable, rowIndex: number): number {
  const { text } = table;
  let start = 0;
  if (rowIndex > 0) {
    let seen = 0;
    Papa.parse<string[]>(text, {
      delimiter: table.delimiter,
      skipEmptyLines: true,
      step: (result, parser) => {
        seen++;
        if (seen === rowIndex) {
          start = result.meta.cursor;
          parser.abort();
        }
      },
    });
  }
  while (start < text.length && (text[start] === '\n' || text[start] === '\r')) start++;
  let line = 1;
  for (let i = 0; i < start; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Writes rows as CSV with "\n" line ends, quoting only where needed, ending in a newline. */
export function formatCsv(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return Papa.unparse({ fields: [...columns], data: rows.map((r) => [...r]) }, { newline: '\n' }) + '\n';
}
