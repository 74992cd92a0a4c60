import { locale, t } from '../i18n';

/** One number format per locale (for fractions): `toLocaleString` builds a new one at every call (~0.3 ms), and the inspector and summary call this on every edit. */
const numberFormats = new Map<string, Intl.NumberFormat>();

/** 1234567 → "1.23M", 5120 → "5.12k", 12 → "12". */
export function compact(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${(n / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${(n / 1e3).toPrecision(3)}k`;
  // Whole numbers below 10,000 are grouped the same way in both languages (1,234): no ICU lookup,
  // whose first use in a page cost ~35 ms, the frame a block was first selected in.
  if (Number.isInteger(n)) return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const at = locale();
  let format = numberFormats.get(at);
  if (!format) numberFormats.set(at, (format = new Intl.NumberFormat(at)));
  return format.format(n);
}

/** A loss or accuracy for people: 4 significant digits, or "—". */
export function metric(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  return x.toPrecision(4);
}

export function percent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(1)}%`;
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}

/** A length of time as words, for estimates: 0.4 → "0.4 s", 75 → "1 min 15 s", 7300 → "2 h 2 min" (by locale). */
export function spokenDuration(seconds: number): string {
  if (seconds < 10) return t('common.time.s', { s: Math.max(0, seconds).toFixed(1) });
  const whole = Math.round(seconds);
  if (whole < 60) return t('common.time.s', { s: whole });
  if (whole < 3600) return t('common.time.minS', { m: Math.floor(whole / 60), s: whole % 60 });
  const minutes = Math.round(seconds / 60);
  return t('common.time.hMin', { h: Math.floor(minutes / 60), m: minutes % 60 });
}
