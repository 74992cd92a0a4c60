/**
 * Seeded randomness for the training loop: the order of examples in each epoch depends only on
 * the run's seed and the epoch number, so a run can be repeated (and resumed) exactly.
 */
import { mulberry32, shuffleInPlace } from '../data/prng';

/** Mixes a run seed and an epoch into one 32-bit seed (so epoch orders are unrelated). */
export function epochSeed(seed: number, epoch: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (epoch + 0x85ebca6b), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The indices 0..n-1 in the order of epoch `epoch` of a run seeded with `seed`. */
export function epochOrder(n: number, seed: number, epoch: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffleInPlace(order, mulberry32(epochSeed(seed, epoch)));
}
