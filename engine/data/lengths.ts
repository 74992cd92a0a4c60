/**
 * Example lengths: the maxLength a data spec asks for, resolved on the train split (the longest,
 * a percentile, or a number), and the histogram the Data tab draws with it.
 */
import type { DataSpec } from '../graph/document';
import type { LengthStats } from './summary';

/** "auto" maxLength is the longest train example, but never more than this. */
export const AUTO_MAX_LENGTH_CAP = 512;
/** A percentile maxLength is never more than this (the schema's largest fixed length). */
export const PERCENTILE_MAX_LENGTH_CAP = 4096;

/** The `p`-th percentile (nearest rank) of `sorted` (ascending); 0 when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/**
 * The length every example is cut or padded to. `lengths` are the train examples' lengths with
 * their special tokens; `least` is the shortest that leaves room for one token besides them.
 */
export function resolveMaxLength(maxLength: DataSpec['maxLength'], sortedLengths: Int32Array, least: number): number {
  if (typeof maxLength === 'number') return maxLength;
  const longest = sortedLengths.length === 0 ? least : sortedLengths[sortedLengths.length - 1]!;
  if (maxLength === 'auto') return Math.max(least, Math.min(longest, AUTO_MAX_LENGTH_CAP));
  return Math.max(least, Math.min(percentile(sortedLengths, maxLength.percentile), PERCENTILE_MAX_LENGTH_CAP));
}

/** The histogram of `sortedLengths` in at most `bins` equal bins, and what `maxLength` cuts. */
export function lengthStats(sortedLengths: Int32Array, maxLength: number, bins = 24): LengthStats {
  const n = sortedLengths.length;
  const longest = n === 0 ? 0 : sortedLengths[n - 1]!;
  let sum = 0;
  let cut = 0;
  for (const l of sortedLengths) {
    sum += l;
    if (l > maxLength) cut++;
  }
  const shortest = n === 0 ? 0 : sortedLengths[0]!;
  const span = longest - shortest + 1;
  const width = Math.max(1, Math.ceil(span / bins));
  const count = Math.max(1, Math.ceil(span / width));
  const out = Array.from({ length: count }, (_, i) => ({ from: shortest + i * width, to: Math.min(shortest + (i + 1) * width, longest + 1), count: 0 }));
  for (const l of sortedLengths) out[Math.min(count - 1, Math.floor((l - shortest) / width))]!.count++;
  return { bins: out, longest, mean: n === 0 ? 0 : sum / n, p95: percentile(sortedLengths, 95), maxLength, truncatedShare: n === 0 ? 0 : cut / n };
}
