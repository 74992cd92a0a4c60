/** Numbers as the tuning views write them: 0.0031 → "0.0031", 3.1e-7 → "3.1e-7", 300 → "300". */
export function shortNumber(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5))
    return v
      .toExponential(digits - 1)
      .replace('e+', 'e')
      .replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(digits)));
}

/** A sweep value (a number, a name, true/false) for a table cell. */
export function sweepValue(v: unknown): string {
  return typeof v === 'number' ? shortNumber(v, 4) : v === undefined ? '—' : String(v);
}
