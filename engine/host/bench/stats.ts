/**
 * How the bench reads interleaved rounds (issue 16): each round times PyTorch and then tfjs on
 * the same machine load, one median per side per round. The headline is the ratio of the two
 * sides' medians over the rounds; each round's own ratio gives the range that says whether the
 * goal is met, missed, or the spread is too wide to conclude.
 */

/** The median of `xs` (the mean of the middle two for an even count); NaN for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** One side's rounds: their median, and their range as a fraction of it ((max − min) / median). */
export interface SideSummary {
  rounds: number[];
  median: number;
  min: number;
  max: number;
  spread: number;
}

export function summarise(rounds: readonly number[]): SideSummary {
  const m = median(rounds);
  const min = Math.min(...rounds);
  const max = Math.max(...rounds);
  return { rounds: [...rounds], median: m, min, max, spread: rounds.length > 0 && m > 0 ? (max - min) / m : Number.NaN };
}

/** met: every round within the goal; missed: none; unclear: the goal lies inside the rounds' range. */
export type Verdict = 'met' | 'missed' | 'unclear';

export interface Comparison {
  ours: SideSummary;
  theirs: SideSummary;
  /** ours.median / theirs.median. */
  ratio: number;
  /** The lowest and highest ratio of one round (ours / theirs of the same round). */
  ratioMin: number;
  ratioMax: number;
  goal: number;
  verdict: Verdict;
  rounds: number;
}

/**
 * Compares paired rounds (`ours[i]` and `theirs[i]` timed back to back). With one round the
 * range is that round's ratio alone, and showVerdict says there was no spread to judge by.
 */
export function compareRounds(ours: readonly number[], theirs: readonly number[], goal: number): Comparison {
  if (ours.length !== theirs.length || ours.length === 0) throw new Error(`compareRounds: ${ours.length} rounds of ours against ${theirs.length} of theirs`);
  const perRound = ours.map((o, i) => o / theirs[i]!);
  const a = summarise(ours);
  const b = summarise(theirs);
  const ratio = a.median / b.median;
  const ratioMin = Math.min(...perRound);
  const ratioMax = Math.max(...perRound);
  const verdict: Verdict = ratioMax <= goal ? 'met' : ratioMin > goal ? 'missed' : 'unclear';
  return { ours: a, theirs: b, ratio, ratioMin, ratioMax, goal, verdict, rounds: perRound.length };
}

/** "12.3 ms ±8%" style: the median and the spread. */
export function showSide(s: SideSummary, digits = 1): string {
  return `${s.median.toFixed(digits)} ±${Math.round((s.spread * 100) / 2)}%`;
}

/** The verdict as the bench prints it. */
export function showVerdict(c: Comparison): string {
  const once = c.rounds === 1 ? ' (one round: no spread to judge by)' : '';
  if (c.verdict === 'met') return `≤${c.goal}× met${once}`;
  if (c.verdict === 'missed') return `≤${c.goal}× MISSED${once}`;
  return `≤${c.goal}×: spread too wide to conclude (rounds ${c.ratioMin.toFixed(2)}–${c.ratioMax.toFixed(2)}×)`;
}
