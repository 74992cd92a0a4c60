/**
 * The recurrent blocks: GRU, LSTM and SimpleRNN (Elman), defined here from one shared definition
 * (they differ in their cell and its number of weight matrices). Gates use the sigmoid (as in the course material and PyTorch), not tfjs's default
 * hard sigmoid.
 */
import { z } from 'zod';
import { defineBlock, type BlockDef } from './defineBlock';
import { applyLayer, dimsOf, intParam, named, needSequence, ok } from './common';

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
  simpleRNN: 'An Elman RNN: reads the sequence step by step, its new state a tanh of the input and the previous state. Outputs its last state, or every state with returnSequences.',
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
        const layer = kind === 'gru' ? tf.layers.gru({ ...gated, ...named(ctx.name) }) : kind === 'lstm' ? tf.layers.lstm({ ...gated, ...named(ctx.name) }) : tf.layers.simpleRNN({ ...args, ...named(ctx.name) });
        return applyLayer(layer, x!);
      }
      const inner = kind === 'gru' ? tf.layers.gru(gated) : kind === 'lstm' ? tf.layers.lstm(gated) : tf.layers.simpleRNN(args);
      return applyLayer(tf.layers.bidirectional({ layer: inner, mergeMode: 'concat', ...named(ctx.name) }), x!);
    },
  });
}

export const gruBlock = defineRecurrent('GRU', 'gru');
export const lstmBlock = defineRecurrent('LSTM', 'lstm');
export const simpleRnnBlock = defineRecurrent('SimpleRNN', 'simpleRNN');
