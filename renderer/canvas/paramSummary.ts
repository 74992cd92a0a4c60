/**
 * The one-line summary a node shows under its type, e.g. "256 filters · k3 · s2 · elu".
 * Built from the params themselves; blocks without a special form list their values.
 */
import { t } from '../i18n';

function fmt(v: unknown): string {
  if (Array.isArray(v)) return v.join('×');
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
  return String(v);
}

type Params = Record<string, unknown>;

const SPECIAL: Record<string, (p: Params) => (string | null)[]> = {
  Input: (p) => [p.shape === 'auto' ? t('canvas.summary.shapeFromData') : t('canvas.summary.shape', { shape: fmt(p.shape) }), String(p.dtype ?? 'float32')],
  Embedding: (p) => [
    `${p.inputDim === 'auto' ? t('canvas.summary.vocab') : fmt(p.inputDim)} → ${fmt(p.outputDim)}`,
    p.pretrained ? 'GloVe' : null,
    p.trainable === false ? t('canvas.summary.frozen') : null,
  ],
  Conv1D: (p) => conv(p),
  Conv2D: (p) => conv(p),
  NiN: (p) => [t('canvas.summary.filters', { count: Number(p.filters), n: fmt(p.filters) }), 'k1', act(p.activation)],
  Dense: (p) => [t('canvas.summary.units', { count: Number(p.units), n: fmt(p.units) }), act(p.activation), p.l2 ? `l2 ${fmt(p.l2)}` : null],
  Dropout: (p) => [t('canvas.summary.rate', { rate: fmt(p.rate) })],
  Activation: (p) => [String(p.fn ?? '')],
  Output: (p) => [
    p.units === 'auto' ? t('canvas.summary.unitPerClass') : t('canvas.summary.units', { count: Number(p.units), n: fmt(p.units) }),
    String(p.activation ?? ''),
  ],
  BatchNorm: (p) => [t('canvas.summary.momentum', { momentum: fmt(p.momentum) })],
  Residual: () => [t('canvas.summary.adds')],
  Concat: (p) => [t('canvas.summary.joins', { axis: fmt(p.axis) })],
  Reshape: (p) => [t('canvas.summary.reshape', { shape: fmt(p.targetShape) })],
  MaxPool1D: (p) => pool(p),
  AvgPool1D: (p) => pool(p),
  MaxPool2D: (p) => pool(p),
  AvgPool2D: (p) => pool(p),
  GRU: (p) => rnn(p),
  LSTM: (p) => rnn(p),
  SimpleRNN: (p) => rnn(p),
};

function act(a: unknown): string | null {
  return a === undefined || a === 'linear' ? null : String(a);
}

function conv(p: Params): (string | null)[] {
  return [
    t('canvas.summary.filters', { count: Number(p.filters), n: fmt(p.filters) }),
    p.kernelSize !== undefined ? `k${fmt(p.kernelSize)}` : null,
    p.strides !== undefined && fmt(p.strides) !== '1' ? `s${fmt(p.strides)}` : null,
    p.dilationRate !== undefined && fmt(p.dilationRate) !== '1' ? `d${fmt(p.dilationRate)}` : null,
    p.padding && p.padding !== 'valid' ? String(p.padding) : null,
    act(p.activation),
  ];
}

function pool(p: Params): (string | null)[] {
  return [
    t('canvas.summary.pool', { size: fmt(p.poolSize) }),
    p.strides !== undefined && p.strides !== null && fmt(p.strides) !== fmt(p.poolSize) ? `s${fmt(p.strides)}` : null,
    p.padding && p.padding !== 'valid' ? String(p.padding) : null,
  ];
}

function rnn(p: Params): (string | null)[] {
  return [
    t('canvas.summary.units', { count: Number(p.units), n: fmt(p.units) }),
    p.bidirectional ? t('canvas.summary.bidirectional') : null,
    p.returnSequences ? t('canvas.summary.sequences') : t('canvas.summary.lastStep'),
  ];
}

/** The summary of a node's (defaults-filled) params. */
export function paramSummary(type: string, params: Params): string {
  const special = SPECIAL[type];
  const parts = special
    ? special(params)
    : Object.entries(params)
        .filter(([, v]) => v !== undefined && v !== false && typeof v !== 'object')
        .slice(0, 4)
        .map(([k, v]) => (v === true ? k : `${k} ${fmt(v)}`));
  return parts.filter((s): s is string => s !== null && s !== '').join(' · ');
}
