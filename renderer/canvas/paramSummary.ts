/**
 * The one-line summary a node shows under its type, e.g. "256 filters · k3 · s2 · elu".
 * Built from the params themselves; blocks without a special form list their values.
 */

function fmt(v: unknown): string {
  if (Array.isArray(v)) return v.join('×');
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
  return String(v);
}

type Params = Record<string, unknown>;

const SPECIAL: Record<string, (p: Params) => (string | null)[]> = {
  Input: (p) => [p.shape === 'auto' ? 'shape from data' : `shape ${fmt(p.shape)}`, String(p.dtype ?? 'float32')],
  Embedding: (p) => [
    `${p.inputDim === 'auto' ? 'vocab' : fmt(p.inputDim)} → ${fmt(p.outputDim)}`,
    p.pretrained ? 'GloVe' : null,
    p.trainable === false ? 'frozen' : null,
  ],
  Conv1D: (p) => conv(p),
  Conv2D: (p) => conv(p),
  NiN: (p) => [`${fmt(p.filters)} filters`, 'k1', act(p.activation)],
  Dense: (p) => [`${fmt(p.units)} units`, act(p.activation), p.l2 ? `l2 ${fmt(p.l2)}` : null],
  Dropout: (p) => [`rate ${fmt(p.rate)}`],
  Activation: (p) => [String(p.fn ?? '')],
  Output: (p) => [p.units === 'auto' ? 'one unit per class' : `${fmt(p.units)} units`, String(p.activation ?? '')],
  BatchNorm: (p) => [`momentum ${fmt(p.momentum)}`],
  Residual: () => ['adds its inputs'],
  Concat: (p) => [`joins on axis ${fmt(p.axis)}`],
  Reshape: (p) => [`to ${fmt(p.targetShape)}`],
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
    `${fmt(p.filters)} filters`,
    p.kernelSize !== undefined ? `k${fmt(p.kernelSize)}` : null,
    p.strides !== undefined && fmt(p.strides) !== '1' ? `s${fmt(p.strides)}` : null,
    p.dilationRate !== undefined && fmt(p.dilationRate) !== '1' ? `d${fmt(p.dilationRate)}` : null,
    p.padding && p.padding !== 'valid' ? String(p.padding) : null,
    act(p.activation),
  ];
}

function pool(p: Params): (string | null)[] {
  return [
    `pool ${fmt(p.poolSize)}`,
    p.strides !== undefined && p.strides !== null && fmt(p.strides) !== fmt(p.poolSize) ? `s${fmt(p.strides)}` : null,
    p.padding && p.padding !== 'valid' ? String(p.padding) : null,
  ];
}

function rnn(p: Params): (string | null)[] {
  return [`${fmt(p.units)} units`, p.bidirectional ? 'bidirectional' : null, p.returnSequences ? 'sequences' : 'last step'];
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
