/**
 * Which row is the header and which columns hold the text and the label. A data spec names a
 * column by its header name, or by 1-based number ("3", "column 3", "#3") when the file has no
 * header row (AG News: `"class","title","description"` without one).
 */
import { DataError, where } from './dataError';

export interface ColumnChoice {
  /** Whether row 0 names the columns (and is not data). */
  hasHeader: boolean;
  /** The header's names, or "column 1", "column 2", … when there is none. */
  columns: string[];
  textColumn: number;
  labelColumn: number;
  /** The column that names each row's split, when the spec names one. */
  splitColumn?: number;
}

export interface ColumnSpec {
  text: string;
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
  // A name found in row 0 says it is a header; a number found there ("1" in AG News's class
  // column) says nothing, so the guess decides.
  const namesIt = (ref: string) => !BY_NUMBER.test(ref) && first.includes(ref);
  const hasHeader = spec.header ?? (namesIt(spec.text) || namesIt(spec.label) || (spec.split !== undefined && namesIt(spec.split)) || looksLikeHeader(rows));
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
      throw new DataError(`${where(file)}the ${role} column is "${ref}", but the file has ${width} column${width === 1 ? '' : 's'}.`, file);
    }
    if (!hasHeader) {
      const preview = first.slice(0, 4).map((c) => JSON.stringify(c.length > 30 ? `${c.slice(0, 30)}…` : c));
      throw new DataError(
        `${where(file)}the ${role} column is "${ref}", but the file has no header row (its first row is ${preview.join(', ')}${width > 4 ? ', …' : ''}), ` +
          `so its columns have no names; name them by number, e.g. "column ${Math.min(2, width)}".`,
        file,
      );
    }
    throw new DataError(
      `${where(file)}there is no column named "${ref}"; the file's columns are: ${columns.map((c) => JSON.stringify(c)).join(', ')}. ` +
        `Choose one of them as the ${role} column.`,
      file,
    );
  };
  const textColumn = resolve(spec.text, 'text');
  const labelColumn = resolve(spec.label, 'label');
  if (textColumn === labelColumn) {
    throw new DataError(`${where(file)}the text and the label are both column ${textColumn + 1} (${JSON.stringify(columns[textColumn])}); choose two different columns.`, file);
  }
  if (spec.split === undefined) return { hasHeader, columns, textColumn, labelColumn };
  const splitColumn = resolve(spec.split, 'split');
  if (splitColumn === textColumn || splitColumn === labelColumn) {
    const role = splitColumn === textColumn ? 'text' : 'label';
    throw new DataError(`${where(file)}the split column is column ${splitColumn + 1} (${JSON.stringify(columns[splitColumn])}), which is also the ${role}; choose a column of its own.`, file);
  }
  return { hasHeader, columns, textColumn, labelColumn, splitColumn };
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
