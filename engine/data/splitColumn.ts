/**
 * The train/dev/test split a column of the file names row by row, as the course's surnames file
 * does (`split`: train / val / test). Values are read in any case with spaces trimmed; anything
 * else is a data error that names the line and the value.
 */
import { dataError } from './dataError';
import type { SplitIndices } from './stratifiedSplit';

type Part = keyof SplitIndices;

const NAMES: Record<string, Part> = {
  train: 'train',
  dev: 'dev',
  val: 'dev',
  valid: 'dev',
  validation: 'dev',
  test: 'test',
};

/** The split a cell names (`" Val "` → dev), or undefined when it names none. */
export function splitNamed(value: string): Part | undefined {
  const key = value.trim().toLowerCase();
  return Object.hasOwn(NAMES, key) ? NAMES[key] : undefined;
}

export interface SplitColumnOptions {
  /** The data file, for messages. */
  file: string;
  /** The column's name as the file shows it, for messages. */
  column: string;
  /** The 1-based file line of value `i` (only asked when reporting an error). */
  lineOf(i: number): number;
}

/** Row indices 0..values.length-1 by the split each value names, in file order. */
export function splitByColumn(values: readonly string[], options: SplitColumnOptions): SplitIndices {
  const parts: Record<Part, number[]> = { train: [], dev: [], test: [] };
  for (let i = 0; i < values.length; i++) {
    const part = splitNamed(values[i]!);
    if (part === undefined) {
      const line = options.lineOf(i);
      const shown = values[i]!.length > 40 ? `${values[i]!.slice(0, 40)}…` : values[i]!;
      throw dataError('data.badSplitValueNamed', { file: options.file, line }, { column: options.column, value: JSON.stringify(shown) });
    }
    parts[part].push(i);
  }
  if (parts.train.length === 0) {
    throw dataError('data.noTrainRows', options.file, { column: options.column });
  }
  return { train: Int32Array.from(parts.train), dev: Int32Array.from(parts.dev), test: Int32Array.from(parts.test) };
}
