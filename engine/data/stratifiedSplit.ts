/**
 * A seeded train/dev/test split. Stratified (the default), each class is split in the given
 * ratios on its own, so every split sees every class in the same proportion; each split is then
 * shuffled, so its classes are interleaved. The same labels and seed give the same split on
 * every machine.
 */
import type { Words } from '../words';
import { dataError } from './dataError';
import { mulberry32, shuffleInPlace } from './prng';

export interface SplitIndices {
  train: Int32Array;
  dev: Int32Array;
  test: Int32Array;
}

export interface SplitOptions {
  ratios: readonly [number, number, number];
  seed: number;
  stratify: boolean;
  /** Class names, for error messages. */
  classes: readonly string[];
  /** The data file, for error messages. */
  file: string;
}

const SPLIT_NAMES = ['train', 'dev', 'test'] as const;

/** Splits row indices 0..labels.length-1; throws a `DataError` when a class is too small. */
export function stratifiedSplit(labels: Int32Array, options: SplitOptions): SplitIndices {
  const { ratios, file, classes } = options;
  const sum = ratios[0] + ratios[1] + ratios[2];
  if (Math.abs(sum - 1) > 1e-6) {
    throw dataError('data.splitRatiosSum', file, { ratios: ratios.join(' / '), sum: +sum.toFixed(6) });
  }
  if (ratios[0] <= 0) throw dataError('data.trainRatioZero', file);
  const random = mulberry32(options.seed);
  const parts: number[][] = [[], [], []];
  const groups: { name: string; rows: number[] }[] = [];
  if (options.stratify) {
    const byClass = classes.map((name) => ({ name, rows: [] as number[] }));
    for (let i = 0; i < labels.length; i++) byClass[labels[i]!]!.rows.push(i);
    groups.push(...byClass);
  } else {
    groups.push({ name: '', rows: Array.from({ length: labels.length }, (_, i) => i) });
  }
  const needed = ratios.filter((r) => r > 0).length;
  for (const group of groups) {
    const n = group.rows.length;
    if (n < needed) {
      const splits = SPLIT_NAMES.filter((_, i) => ratios[i]! > 0).join(', ');
      const what: Words = options.stratify
        ? { key: 'data.classHasRows', params: { name: group.name, count: n } }
        : { key: 'data.dataHasRows', params: { count: n } };
      throw dataError(options.stratify ? 'data.tooFewForSplitStratified' : 'data.tooFewForSplit', file, {
        what,
        split: ratios.map((r) => Math.round(r * 100)).join('/'),
        needed,
        splits,
      });
    }
    const counts = allocate(n, ratios);
    shuffleInPlace(group.rows, random);
    let at = 0;
    for (let s = 0; s < 3; s++) {
      for (let k = 0; k < counts[s]!; k++) parts[s]!.push(group.rows[at++]!);
    }
  }
  const [train, dev, test] = parts.map((p) => shuffleInPlace(Int32Array.from(p), random)) as [Int32Array, Int32Array, Int32Array];
  return { train, dev, test };
}

/** Largest-remainder rounding of n·ratios, then at least one row for every split with a ratio above 0. */
function allocate(n: number, ratios: readonly number[]): number[] {
  const exact = ratios.map((r) => n * r);
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = [0, 1, 2].sort((a, b) => exact[b]! - counts[b]! - (exact[a]! - counts[a]!) || a - b);
  for (const i of order) {
    if (left === 0) break;
    counts[i]!++;
    left--;
  }
  for (let i = 0; i < 3; i++) {
    if (ratios[i]! > 0 && counts[i] === 0) {
      const donor = [0, 1, 2].reduce((a, b) => (counts[b]! > counts[a]! ? b : a));
      counts[donor]!--;
      counts[i] = 1;
    }
  }
  return counts;
}
