/**
 * Which row is the header and which columns hold the text and the label. A data spec names a
 * column by its header name, or by 1-based number ("3", "column 3", "#3") when the file has no
 * header row (AG News: `"class","title","description"` without one).
 */
import type { Words } from '../words';
import { dataError } from './dataError';

export interface ColumnChoice {
  /** Whether row 0 names the columns (and is not data). */
  hasHeader: boolean;
  /** The header's names, or "column 1", "column 2", … when there is none. */
  columns: string[];
  /** The first text column (`textColumns[0]`). */
  textColumn: number;
  /** Every text column, in the order the spec names them. */
  textColumns: number[];
  labelColumn: number;
  /** The column that names each row's split, when the spec names one. */
  splitColumn?: number;
}

export interface ColumnSpec {
  /** One text column, or several. */
  text: string | readonly string[];
  label: string;
  /** The column naming each row's split (`data.split.column`), if any. */
  split?: string | undefined;
  /** true: row 0 is a header; false: it is data; undefined: detect. */
  header?: boolean | undefined;
}

const BY_NUMBER = /^\s*(?:column\s*|col\s*|#)?(\d+)\s*$/i;

/** Decides the header and resolves `text`, `label` (and `split`); throws a `DataError` that lists the columns. */
export function chooseColumns(rows: readonly (readonly string[])[], spec: ColumnSpec, file: string): ColumnChoice {
  const first = rows[0] ?? [];
  const width = first.length;
  const texts = typeof spec.text === 'string' ? [spec.text] : [...spec.text];
  if (texts.length === 0) throw dataError('data.noTextColumn', file);
  // A name found in row 0 says it is a header; a number found there ("1" in AG News's class
  // column) says nothing, so the guess decides.
  const namesIt = (ref: string) => !BY_NUMBER.test(ref) && first.includes(ref);
  const hasHeader = spec.header ?? (texts.some(namesIt) || namesIt(spec.label) || (spec.split !== undefined && namesIt(spec.split)) || looksLikeHeader(rows));
  const columns = hasHeader ? [...first] : first.map((_, i) => `column ${i + 1}`);
  const resolve = (ref: string, role: 'text' | 'label' | 'split'): number => {
    if (hasHeader) {
      const at = first.indexOf(ref);
      if (at >= 0) return at;
    }
    const m = BY_NUMBER.exec(ref);
    if (m) {
      const n = Number(m[1]);
      if (n >= 1 && n <= width) return n - 1;
      throw dataError('data.columnOutOfRange', file, { role: { key: `data.role.${role}` }, ref, count: width });
    }
    if (!hasHeader) {
      const preview = first.slice(0, 4).map((c) => JSON.stringify(c.length > 30 ? `${c.slice(0, 30)}…` : c));
      throw dataError('data.columnNeedsHeader', file, {
        role: { key: `data.role.${role}` },
        ref,
        preview: `${preview.join(', ')}${width > 4 ? ', …' : ''}`,
        example: Math.min(2, width),
      });
    }
    const near = closest(ref, columns);
    const params = { ref, columns: columns.map((c) => JSON.stringify(c)).join(', '), role: { key: `data.role.${role}` as const } };
    throw near ? dataError('data.noSuchColumnNear', file, { ...params, near }) : dataError('data.noSuchColumn', file, params);
  };
  const textColumns = texts.map((t) => resolve(t, 'text'));
  const labelColumn = resolve(spec.label, 'label');
  for (const [i, c] of textColumns.entries()) {
    if (c === labelColumn) {
      throw dataError('data.textIsLabel', file, { number: c + 1, name: JSON.stringify(columns[c]) });
    }
    if (textColumns.indexOf(c) !== i) throw dataError('data.textTwice', file, { number: c + 1, name: JSON.stringify(columns[c]) });
  }
  const base = { hasHeader, columns, textColumn: textColumns[0]!, textColumns, labelColumn };
  if (spec.split === undefined) return base;
  const splitColumn = resolve(spec.split, 'split');
  if (textColumns.includes(splitColumn) || splitColumn === labelColumn) {
    const role = splitColumn === labelColumn ? 'label' : 'text';
    throw dataError('data.splitIsOther', file, { number: splitColumn + 1, name: JSON.stringify(columns[splitColumn]), role: { key: `data.role.${role}` } });
  }
  return { ...base, splitColumn };
}

/** The column name a misspelt one most likely meant: the same ignoring case and spaces, or one edit away. */
function closest(ref: string, columns: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[\s_-]/g, '');
  const same = columns.find((c) => norm(c) === norm(ref));
  if (same) return same;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(ref.length / 4)) + 1;
  for (const c of columns) {
    const d = editDistance(norm(ref), norm(c), bestDistance);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning `cap`) once it is at least `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= cap) return cap;
    prev = cur;
  }
  return Math.min(prev[b.length]!, cap);
}

/**
 * A text column that holds numbers (prices, ids, measurements) is refused: this is a text
 * classifier. Looks at the rows given (the first few hundred); throws a `DataError` naming the
 * column and the first number's line.
 */
export function refuseNumericText(rows: readonly (readonly string[])[], lines: readonly number[], choice: ColumnChoice, file: string): void {
  for (const c of choice.textColumns) {
    let numbers = 0;
    let filled = 0;
    let firstAt = -1;
    for (let r = 0; r < rows.length; r++) {
      const cell = rows[r]![c] ?? '';
      if (cell.trim() === '') continue;
      filled++;
      if (NUMBER.test(cell)) {
        numbers++;
        if (firstAt < 0) firstAt = r;
      }
    }
    if (filled > 0 && numbers >= 0.9 * filled) {
      const name = choice.columns[c]!;
      const line = lines[firstAt]!;
      const rowsRead: Words =
        numbers === filled
          ? filled === 1
            ? { key: 'data.rows.theOne' }
            : { key: 'data.rows.all', params: { count: filled } }
          : { key: 'data.rows.some', params: { count: numbers, filled } };
      throw dataError(
        'data.textIsNumbers',
        { file, line, field: name },
        {
          value: JSON.stringify(rows[firstAt]![c]),
          rows: rowsRead,
          columns: choice.columns.length > 2 ? { key: 'data.rows.columns', params: { columns: choice.columns.map((x) => JSON.stringify(x)).join(', ') } } : '',
        },
      );
    }
  }
}

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * A guess for files that do not say: row 0 is a header when a column is numbers below it but not
 * in it, or when no cell of row 0 is a number, all are short and distinct, and none of them
 * appears again in its column (a label value would).
 */
export function looksLikeHeader(rows: readonly (readonly string[])[]): boolean {
  const first = rows[0];
  if (!first || first.length === 0) return false;
  const sample = rows.slice(1, 501);
  if (sample.length === 0) return first.every((c) => c.trim() !== '' && !NUMBER.test(c));
  for (let c = 0; c < first.length; c++) {
    const numeric = sample.filter((r) => NUMBER.test(r[c] ?? '')).length;
    if (numeric >= 0.9 * sample.length && !NUMBER.test(first[c]!) && first[c]!.trim() !== '') return true;
  }
  if (first.some((c) => c.trim() === '' || NUMBER.test(c) || c.length > 40)) return false;
  if (new Set(first).size !== first.length) return false;
  return first.every((cell, c) => !sample.some((r) => r[c] === cell));
}
