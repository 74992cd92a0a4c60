/**
 * How the bench reads interleaved rounds (issue 16): each round times PyTorch and then tfjs on
 * the same machine load, one median per side per round. The headline is the ratio of the two
 * sides' medians over the rounds. Whether the goal is met, missed, or the spread is too wide to
 * conclude is read off the rounds' own ratios: a distribution-free confidence interval for their
 * median (order statistics, the sign test's interval), at 90% or more. With 5 to 7 rounds that
 * interval is the rounds' whole range; from 8 rounds it leaves out the most extreme round at each
 * end, so one round that another process slowed does not decide the verdict, while a ratio that
 * is truly near the goal still reads "too wide to conclude".
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

/** met: the interval lies within the goal; missed: above it; unclear: the goal lies inside it. */
export type Verdict = 'met' | 'missed' | 'unclear';

/** The confidence the interval is asked for: at least this. */
export const CONFIDENCE = 0.9;

/** P(X ≤ k) for X ~ Binomial(n, ½). */
function binomialHalfCdf(n: number, k: number): number {
  let term = 0.5 ** n; // C(n, 0) / 2^n
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += term;
    term = (term * (n - i)) / (i + 1);
  }
  return sum;
}

/**
 * The interval [x₍ₖ₎, x₍ₙ₋ₖ₊₁₎] of the sorted rounds that holds their median with probability at
 * least `confidence` whatever their distribution, as the 1-based order `k` and its exact
 * coverage (1 − 2·P(X ≤ k − 1), X ~ Binomial(n, ½)). Where no interval reaches the confidence
 * (fewer than 5 rounds at 90%), the whole range (k = 1) with the coverage it has.
 */
export function medianInterval(n: number, confidence = CONFIDENCE): { k: number; coverage: number } {
  let k = 1;
  while (k + 1 <= Math.ceil(n / 2) && 1 - 2 * binomialHalfCdf(n, k) >= confidence) k++;
  return { k, coverage: n > 0 ? 1 - 2 * binomialHalfCdf(n, k - 1) : 0 };
}

export interface Comparison {
  ours: SideSummary;
  theirs: SideSummary;
  /** ours.median / theirs.median. */
  ratio: number;
  /** The lowest and highest ratio of one round (ours / theirs of the same round). */
  ratioMin: number;
  ratioMax: number;
  /** The interval for the median round's ratio that the verdict is read from (medianInterval), and its coverage. */
  ratioLow: number;
  ratioHigh: number;
  coverage: number;
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
  const perRound = ours.map((o, i) => o / theirs[i]!).sort((x, y) => x - y);
  const a = summarise(ours);
  const b = summarise(theirs);
  const ratio = a.median / b.median;
  const n = perRound.length;
  const { k, coverage } = medianInterval(n);
  const ratioLow = perRound[k - 1]!;
  const ratioHigh = perRound[n - k]!;
  const verdict: Verdict = ratioHigh <= goal ? 'met' : ratioLow > goal ? 'missed' : 'unclear';
  return { ours: a, theirs: b, ratio, ratioMin: perRound[0]!, ratioMax: perRound[n - 1]!, ratioLow, ratioHigh, coverage, goal, verdict, rounds: n };
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
  const rounds = `rounds ${c.ratioMin.toFixed(2)}–${c.ratioMax.toFixed(2)}×`;
  const interval =
    c.ratioLow === c.ratioMin && c.ratioHigh === c.ratioMax
      ? ''
      : `; median round ${c.ratioLow.toFixed(2)}–${c.ratioHigh.toFixed(2)}× at ${Math.floor(c.coverage * 100)}%`;
  return `≤${c.goal}×: spread too wide to conclude (${rounds}${interval})`;
}
