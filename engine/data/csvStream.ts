/**
 * A streaming CSV/TSV parser: text goes in a chunk at a time, rows come out with the line each
 * starts on. RFC 4180 quoting (a field in double quotes may hold the delimiter, line breaks and
 * doubled quotes); lines end in \n, \r\n or \r; empty lines are skipped. A row longer than
 * `maxRowChars` is refused before it is held whole, so a 50 MB line is an error, not a stall.
 */
import { dataError, type DataError } from './dataError';

/** The longest row (in characters) a data file may have. */
export const MAX_ROW_CHARS = 1_000_000;

/** Receives each row: its fields and the 1-based line it starts on. */
export type RowSink = (fields: string[], line: number) => void;

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvStream {
  /** The text of a row not yet complete (the end of the last chunk). */
  private pending = '';
  /** The line `pending` starts on. */
  private pendingLine = 1;
  private readonly delim: number;

  constructor(
    private readonly file: string,
    delimiter: string,
    private readonly maxRowChars: number = MAX_ROW_CHARS,
  ) {
    if (delimiter.length !== 1) throw new Error(`a delimiter is one character, not ${JSON.stringify(delimiter)}`);
    this.delim = delimiter.charCodeAt(0);
  }

  /** Parses the next chunk of text; complete rows go to `sink`. Throws `DataError` on malformed input. */
  push(text: string, sink: RowSink): void {
    this.parse(this.pending.length === 0 ? text : this.pending + text, false, sink);
  }

  /** The input has ended: the last row goes to `sink`. */
  end(sink: RowSink): void {
    this.parse(this.pending, true, sink);
  }

  private parse(s: string, final: boolean, sink: RowSink): void {
    const n = s.length;
    const D = this.delim;
    let p = 0;
    let line = this.pendingLine;
    rows: while (p < n) {
      const rowStart = p;
      const rowLine = line;
      const c0 = s.charCodeAt(p);
      if (c0 === LF || c0 === CR) {
        // An empty line.
        if (c0 === CR && p + 1 >= n && !final) break;
        p += c0 === CR && s.charCodeAt(p + 1) === LF ? 2 : 1;
        line++;
        continue;
      }
      const fields: string[] = [];
      for (;;) {
        if (p < n && s.charCodeAt(p) === QUOTE) {
          let q = p + 1;
          let escaped = false;
          let close: number;
          for (;;) {
            close = s.indexOf('"', q);
            if (close < 0 || (close + 1 >= n && !final)) {
              // The field goes on in the next chunk (or, at the end, is never closed).
              if (final) throw this.unclosed(rowLine, s, rowStart, p);
              p = rowStart;
              line = rowLine;
              break rows;
            }
            if (s.charCodeAt(close + 1) === QUOTE) {
              escaped = true;
              q = close + 2;
              continue;
            }
            break;
          }
          const raw = s.slice(p + 1, close);
          for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) line++;
          fields.push(escaped ? raw.replaceAll('""', '"') : raw);
          p = close + 1;
          if (p >= n) break; // final: the file ends after the quote
          const c = s.charCodeAt(p);
          if (c === D) {
            p++;
            continue;
          }
          if (c === LF || c === CR) {
            if (c === CR && p + 1 >= n && !final) {
              p = rowStart;
              line = rowLine;
              break rows;
            }
            p += c === CR && s.charCodeAt(p + 1) === LF ? 2 : 1;
            line++;
            break;
          }
          throw this.afterQuote(line, s, p);
        }
        let e = p;
        while (e < n) {
          const c = s.charCodeAt(e);
          if (c === D || c === LF || c === CR) break;
          e++;
        }
        if (e >= n && !final) {
          p = rowStart;
          line = rowLine;
          break rows;
        }
        fields.push(s.slice(p, e));
        p = e;
        if (p >= n) break;
        const c = s.charCodeAt(p);
        if (c === D) {
          p++;
          continue;
        }
        if (c === CR && p + 1 >= n && !final) {
          p = rowStart;
          line = rowLine;
          break rows;
        }
        p += c === CR && s.charCodeAt(p + 1) === LF ? 2 : 1;
        line++;
        break;
      }
      if (p - rowStart > this.maxRowChars) throw this.tooLong(rowLine);
      sink(fields, rowLine);
    }
    this.pending = p === 0 ? s : s.slice(p);
    this.pendingLine = line;
    if (this.pending.length > this.maxRowChars) throw this.tooLong(line);
  }

  private tooLong(line: number): DataError {
    return dataError('data.rowTooLong', { file: this.file, line }, { limit: this.maxRowChars.toLocaleString('en-US') });
  }

  private unclosed(line: number, s: string, rowStart: number, quoteAt: number): DataError {
    return dataError('data.unclosedQuote', { file: this.file, line, column: columnOf(s, rowStart, quoteAt) });
  }

  private afterQuote(line: number, s: string, at: number): DataError {
    const lineStart = Math.max(s.lastIndexOf('\n', at - 1), s.lastIndexOf('\r', at - 1)) + 1;
    const column = at - lineStart + 1;
    return dataError('data.textAfterQuote', { file: this.file, line, column });
  }
}

/** The 1-based column of `at` on its line, the line starting no earlier than `rowStart`. */
function columnOf(s: string, rowStart: number, at: number): number {
  const lineStart = Math.max(rowStart, s.lastIndexOf('\n', at - 1) + 1);
  return at - lineStart + 1;
}

/**
 * The delimiter of a text, from its first lines: the candidate (`,` tab `;` `|`) that occurs
 * outside quotes most consistently. Papaparse's own guess prefers "," on ties and reads fewer lines.
 */
export function guessDelimiter(text: string): string {
  const head = text.slice(0, 64 * 1024);
  const lines = head
    .split(/\r?\n|\r/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
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
