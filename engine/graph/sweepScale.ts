/**
 * What a sweep param's scale means: where a value sits along it (0 at `min`, 1 at `max`, on the
 * scale's own axis: log for `log`, 1 − x on a log axis for `oneMinusLog`), and the value at a
 * place. Sampling draws the place uniformly (engine/tune/sample.ts); charts and the parallel
 * coordinates place values with it; zooming in narrows a range along it.
 */
import type { SweepParam, SweepRangeParam } from './document';
import type { SweepValue } from './sweep';

type RangeParam = SweepRangeParam;

/** Significant digits a sampled float keeps: 0.0031415926 is written 0.003142. */
const DIGITS = 4;

function round(v: number): number {
  return Number(v.toPrecision(DIGITS));
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * The value at position `u` (0…1) along a range param's scale: the inverse of `unitOf`. Floats
 * are rounded to four significant digits (for 1 − x scales, 1 − x is), whole-number scales to
 * whole numbers, and the result stays within [min, max].
 */
export function valueAt(p: RangeParam, u: number): number {
  const { min, max } = p;
  switch (p.scale) {
    case 'linear':
      return clamp(round(min + u * (max - min)), min, max);
    case 'log':
      return clamp(round(Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)))), min, max);
    case 'int':
      return clamp(Math.floor(min + u * (max - min + 1)), min, max);
    case 'intLog':
      // log-uniform over [min, max + 1), floored: each whole number k gets ln((k+1)/k) of the mass.
      return clamp(Math.floor(Math.exp(Math.log(min) + u * (Math.log(max + 1) - Math.log(min)))), min, max);
    case 'oneMinusLog': {
      const lo = Math.log(1 - max);
      const hi = Math.log(1 - min);
      // toPrecision(12) drops the float noise of 1 − x (1 − 0.0123 is 0.9877, not 0.98770000000000002).
      return clamp(Number((1 - round(Math.exp(lo + (1 - u) * (hi - lo)))).toPrecision(12)), min, max);
    }
  }
}

/** Where `value` sits along the param's scale, 0 at one end and 1 at the other (choices evenly). */
export function unitOf(p: SweepParam, value: SweepValue): number {
  if (p.scale === 'choice') {
    const i = p.choices.findIndex((c) => c === value);
    return p.choices.length <= 1 ? 0.5 : Math.max(0, i) / (p.choices.length - 1);
  }
  const v = typeof value === 'number' ? value : Number(value);
  const { min, max } = p;
  let u: number;
  switch (p.scale) {
    case 'linear':
    case 'int':
      u = (v - min) / (max - min);
      break;
    case 'log':
    case 'intLog':
      u = (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min));
      break;
    case 'oneMinusLog':
      u = (Math.log(1 - min) - Math.log(1 - v)) / (Math.log(1 - min) - Math.log(1 - max));
      break;
  }
  return Number.isFinite(u) ? clamp(u, 0, 1) : 0.5;
}
