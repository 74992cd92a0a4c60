/**
 * The bias/variance reading the course teaches, from one epoch's train and dev accuracy and an
 * optional "best possible" (human) error: avoidable bias is train error above the best possible,
 * variance is dev error above train error, and the larger gap says what to try next. Pure, so
 * the words are tested without a browser.
 */

/** What to try for each diagnosis, in the course's words. */
export const ADVICE = {
  bias: ['a bigger network', 'train longer', 'a better architecture'],
  variance: ['more training data', 'dropout', 'L2 regularisation', 'early stopping'],
  balanced: ['more data or a better architecture', 'check the best possible error'],
} as const;

/** The diagnosis in a few words. */
export const TITLES: Record<Diagnosis, string> = {
  bias: 'High bias: the model underfits.',
  variance: 'High variance: the model overfits.',
  balanced: 'Both gaps are small.',
};

export type Diagnosis = keyof typeof ADVICE;

export interface BiasVarianceReading {
  trainError: number;
  devError: number;
  /** The best possible error the user gave, or null (then 0 stands in for it). */
  humanError: number | null;
  /** Train error above the best possible error (never below 0). */
  avoidableBias: number;
  /** Dev error above train error (never below 0). */
  variance: number;
  diagnosis: Diagnosis;
  /** The diagnosis in a few words (TITLES). */
  title: string;
  /** One sentence on what the numbers say. */
  headline: string;
  /** A second sentence when the smaller gap is large too, or the numbers need a caveat. */
  note: string | null;
  /** Which sentences `note` is made of, with their values (in points and percent), for other languages. */
  notes: readonly BiasVarianceNote[];
  advice: readonly string[];
}

export interface BiasVarianceNote {
  key: 'human-too-high' | 'dev-below-train' | 'variance-too' | 'bias-too';
  params: Record<string, string>;
}

export interface BiasVarianceInput {
  trainAcc: number | null | undefined;
  devAcc: number | null | undefined;
  /** The best possible error as a fraction (0.05 = 5%), or null when unknown. */
  humanError?: number | null;
  /** Gaps smaller than this (a fraction) count as small. Default 0.02: two points. */
  small?: number;
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const points = (v: number) => `${(v * 100).toFixed(1)} points`;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
/** A gap in points, as a number's text: the words around it are the language's. */
export const gap = (v: number) => (v * 100).toFixed(1);

/** The reading, or null while train or dev accuracy is not known (no epoch yet, no dev split). */
export function readBiasVariance(input: BiasVarianceInput): BiasVarianceReading | null {
  if (!finite(input.trainAcc) || !finite(input.devAcc)) return null;
  const small = input.small ?? 0.02;
  const trainError = 1 - input.trainAcc;
  const devError = 1 - input.devAcc;
  const humanError = finite(input.humanError) ? Math.min(1, Math.max(0, input.humanError)) : null;
  const best = humanError ?? 0;
  const avoidableBias = Math.max(0, trainError - best);
  const variance = Math.max(0, devError - trainError);
  const base = { trainError, devError, humanError, avoidableBias, variance };
  const notes: string[] = [];
  const noteKeys: BiasVarianceNote[] = [];
  if (humanError !== null && trainError < humanError - small) {
    notes.push(`Train error (${pct(trainError)}) is below the best possible error you gave (${pct(humanError)}): that estimate may be too high.`);
    noteKeys.push({ key: 'human-too-high', params: { train: pct(trainError), human: pct(humanError) } });
  }
  if (devError < trainError - small) {
    notes.push(
      'Dev error is below train error: train error is the mean over an epoch the model was still learning in (and with dropout on), so early on it trails dev.',
    );
    noteKeys.push({ key: 'dev-below-train', params: {} });
  }

  if (avoidableBias < small && variance < small) {
    return {
      ...base,
      diagnosis: 'balanced',
      title: TITLES.balanced,
      headline: `Both gaps are small (bias ${points(avoidableBias)}, variance ${points(variance)}): near the best possible${humanError === null ? ' (taken as 0%)' : ''}.`,
      note: notes.join(' ') || null,
      notes: noteKeys,
      advice: ADVICE.balanced,
    };
  }
  const diagnosis: Diagnosis = avoidableBias >= variance ? 'bias' : 'variance';
  const headline =
    diagnosis === 'bias'
      ? `High bias: train error is ${points(avoidableBias)} above the best possible${humanError === null ? ' (taken as 0%)' : ''}; dev adds ${points(variance)}. The model underfits.`
      : `High variance: dev error is ${points(variance)} above train error, which is ${points(avoidableBias)} above the best possible. The model overfits.`;
  const other = diagnosis === 'bias' ? variance : avoidableBias;
  if (other >= small && other >= 0.5 * Math.max(avoidableBias, variance)) {
    notes.unshift(
      diagnosis === 'bias'
        ? `Variance (${points(variance)}) matters too: once bias is down, regularise.`
        : `Bias (${points(avoidableBias)}) matters too: a bigger network may help once variance is down.`,
    );
    noteKeys.unshift(
      diagnosis === 'bias' ? { key: 'variance-too', params: { variance: gap(variance) } } : { key: 'bias-too', params: { bias: gap(avoidableBias) } },
    );
  }
  return { ...base, diagnosis, title: TITLES[diagnosis], headline, note: notes.join(' ') || null, notes: noteKeys, advice: ADVICE[diagnosis] };
}

/** A percentage typed by the user ("5", "5%", "0.5") as a fraction; null when empty or not a number in 0–100. */
export function parsePercent(text: string): number | null {
  const t = text.trim().replace(/%$/, '').trim().replace(',', '.');
  if (!t) return null;
  const v = Number(t);
  return Number.isFinite(v) && v >= 0 && v <= 100 ? v / 100 : null;
}
