/**
 * The recurrent blocks: GRU, LSTM and SimpleRNN (Elman), defined here from one shared definition
 * (they differ in their cell and its number of weight matrices). Gates use the sigmoid (as in the course material and PyTorch), not tfjs's default
 * hard sigmoid.
 */
import { z } from 'zod';
import { defineBlock, type BlockDef } from './defineBlock';
import { applyLayer, dimsOf, intParam, named, needSequence, ok } from './common';
import type { FormResult, OnnxContext, OnnxForm, PyTorchContext, PyTorchForm, TfjsWeightDef } from './exportForms';
import { formOk, onnxOk, reorderGates, transformWeight } from './exportHelpers';

const params = z.object({
  units: intParam(1, 4096, 64, 'Size of the hidden state (per direction).', 'units'),
  returnSequences: z.boolean().default(false).describe('On: output the state at every step [length, units]; off: only the last [units].'),
  bidirectional: z.boolean().default(false).describe('Also read the sequence backwards and join both states (doubles the output size).'),
  dropout: z.number().min(0).max(0.95).default(0).describe('Fraction of the inputs dropped at each step while training.'),
  recurrentDropout: z.number().min(0).max(0.95).default(0).describe('Fraction of the recurrent state dropped at each step while training.'),
});

export type RecurrentKind = 'gru' | 'lstm' | 'simpleRNN';

/** Weight matrices per kind: GRU has 3 (update, reset, candidate), LSTM 4, an Elman RNN 1. */
const GATES: Record<RecurrentKind, number> = { gru: 3, lstm: 4, simpleRNN: 1 };

const DOCS: Record<RecurrentKind, string> = {
  gru: 'A gated recurrent unit: reads the sequence step by step, with an update and a reset gate deciding what to keep. Outputs its last state, or every state with returnSequences.',
  lstm: 'A long short-term memory: reads the sequence step by step with input, forget and output gates and a cell that carries memory far. Outputs its last state, or every state with returnSequences.',
  simpleRNN:
    'An Elman RNN: reads the sequence step by step, its new state a tanh of the input and the previous state. Outputs its last state, or every state with returnSequences.',
};

function defineRecurrent<const T extends string>(type: T, kind: RecurrentKind): BlockDef<typeof params, T> {
  return defineBlock({
    type,
    category: 'Recurrent',
    doc: DOCS[kind],
    params,
    inputs: [{ name: 'in' }],
    acceptsMask: true,
    inferShape(p, [x]) {
      const wrong = needSequence(type, x!);
      if (wrong) return wrong;
      const [length = 0] = dimsOf(x!);
      const width = p.units * (p.bidirectional ? 2 : 1);
      return p.returnSequences ? ok([null, length, width], 'float32', x!.masked === true) : ok([null, width]);
    },
    cost(p, [x]) {
      const [length = 0, features = 0] = dimsOf(x!);
      const dirs = p.bidirectional ? 2 : 1;
      const gates = GATES[kind];
      const perStep = gates * (features * p.units + p.units * p.units);
      return { params: dirs * gates * (features * p.units + p.units * p.units + p.units), macs: dirs * length * perStep };
    },
    toTfjs(p, tf, [x], ctx) {
      const args = {
        units: p.units,
        returnSequences: p.returnSequences,
        dropout: p.dropout,
        recurrentDropout: p.recurrentDropout,
        kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: ctx.seed + 1 }),
      };
      const gated = { ...args, recurrentActivation: 'sigmoid' as const };
      if (!p.bidirectional) {
        const layer =
          kind === 'gru'
            ? tf.layers.gru({ ...gated, ...named(ctx.name) })
            : kind === 'lstm'
              ? tf.layers.lstm({ ...gated, ...named(ctx.name) })
              : tf.layers.simpleRNN({ ...args, ...named(ctx.name) });
        return applyLayer(layer, x!);
      }
      const inner = kind === 'gru' ? tf.layers.gru(gated) : kind === 'lstm' ? tf.layers.lstm(gated) : tf.layers.simpleRNN(args);
      return applyLayer(tf.layers.bidirectional({ layer: inner, mergeMode: 'concat', ...named(ctx.name) }), x!);
    },
    tfjsWeights(p, [x]) {
      const [, features = 0] = dimsOf(x!);
      const width = GATES[kind] * p.units;
      const one = (prefix: string): TfjsWeightDef[] => [
        { name: `${prefix}kernel`, shape: [features, width] },
        { name: `${prefix}recurrent_kernel`, shape: [p.units, width] },
        { name: `${prefix}bias`, shape: [width] },
      ];
      return p.bidirectional ? [...one('forward/'), ...one('backward/')] : one('');
    },
    toPyTorch: (p, ctx) => recurrentToPyTorch(kind, p, ctx),
    toOnnx: (p, ctx) => recurrentToOnnx(kind, p, ctx),
  });
}

type RecurrentParams = z.infer<typeof params>;

/** The classes of the project's layers.py that compute tfjs's cells (and padding) exactly. */
const PY_CLASS: Record<RecurrentKind, string> = { gru: 'GRU', lstm: 'LSTM', simpleRNN: 'SimpleRNN' };

function recurrentToPyTorch(kind: RecurrentKind, p: RecurrentParams, ctx: PyTorchContext): FormResult<PyTorchForm> {
  const x = ctx.inputs[0]!;
  const [, features = 0] = dimsOf(x.type);
  const args = [String(features), String(p.units)];
  if (p.returnSequences) args.push('return_sequences=True');
  if (p.bidirectional) args.push('bidirectional=True');
  if (p.dropout > 0) args.push(`dropout=${p.dropout}`);
  if (p.recurrentDropout > 0) args.push(`recurrent_dropout=${p.recurrentDropout}`);
  const cells = p.bidirectional
    ? [
        ['forward/', 'cell.'],
        ['backward/', 'backward_cell.'],
      ]
    : [['', 'cell.']];
  return formOk({
    module: `${PY_CLASS[kind]}(${args.join(', ')})`,
    forward: `${ctx.self}(${x.name}${x.mask ? `, ${x.mask}` : ''})`,
    weights: cells.flatMap(([from, key]) => ['kernel', 'recurrent_kernel', 'bias'].map((w) => ({ key: `${key}${w}`, from: `${from}${w}` }))),
    uses: [PY_CLASS[kind]],
  });
}

/**
 * ONNX's GRU (with linear_before_reset 0, tfjs's reset-before-product cell), LSTM and RNN over
 * time-major input; weights transposed to [gates·units, in], LSTM gates reordered from tfjs's
 * i, f, c, o to ONNX's i, o, f, c, and ONNX's second (recurrent) bias zero, as tfjs has one.
 * A padding mask becomes the operator's sequence lengths: padded steps change no state.
 */
function recurrentToOnnx(kind: RecurrentKind, p: RecurrentParams, ctx: OnnxContext): FormResult<OnnxForm> {
  const { g } = ctx;
  const x = ctx.inputs[0]!;
  const [length = 0, features = 0] = dimsOf(x.type);
  const gates = GATES[kind];
  const width = gates * p.units;
  const dirs = p.bidirectional ? ['forward/', 'backward/'] : [''];
  const order = kind === 'lstm' ? [0, 3, 1, 2] : Array.from({ length: gates }, (_, i) => i);
  const stack = (name: 'kernel' | 'recurrent_kernel' | 'bias', rows: number): Float32Array => {
    const out = new Float32Array(dirs.length * width * (name === 'bias' ? 2 : rows));
    dirs.forEach((prefix, d) => {
      const w = reorderGates(ctx.weight(`${prefix}${name}`), gates, order);
      if (name === 'bias') out.set(w.values, d * 2 * width);
      else out.set(transformWeight(w, { perm: [1, 0] }).values, d * width * rows);
    });
    return out;
  };
  const inputs = [
    g.op('Transpose', [x.name], { perm: { ints: [1, 0, 2] } })[0]!,
    g.floats('W', [dirs.length, width, features], stack('kernel', features)),
    g.floats('R', [dirs.length, width, p.units], stack('recurrent_kernel', p.units)),
    g.floats('B', [dirs.length, 2 * width], stack('bias', 0)),
    ...(x.mask ? [x.mask] : []),
  ];
  const op = kind === 'gru' ? 'GRU' : kind === 'lstm' ? 'LSTM' : 'RNN';
  const attrs = {
    hidden_size: { int: p.units },
    direction: { string: p.bidirectional ? 'bidirectional' : 'forward' },
    ...(kind === 'gru' ? { linear_before_reset: { int: 0 } } : {}),
  };
  const [y, yLast] = g.op(op, inputs, attrs, kind === 'lstm' ? 3 : 2) as [string, string];
  const both = dirs.length * p.units;
  if (p.returnSequences) {
    // Y is [steps, directions, batch, units]: to [batch, steps, directions · units], forward first.
    const batchMajor = g.op('Transpose', [y], { perm: { ints: [2, 0, 1, 3] } })[0]!;
    return onnxOk(g.op('Reshape', [batchMajor, g.ints('shape', [0, length, both])])[0]!);
  }
  const batchMajor = g.op('Transpose', [yLast], { perm: { ints: [1, 0, 2] } })[0]!;
  return onnxOk(g.op('Reshape', [batchMajor, g.ints('shape', [0, both])])[0]!);
}

export const gruBlock = defineRecurrent('GRU', 'gru');
export const lstmBlock = defineRecurrent('LSTM', 'lstm');
export const simpleRnnBlock = defineRecurrent('SimpleRNN', 'simpleRNN');
