// The whole-sequence LSTM on wasm gives tfjs-layers' own LSTM results (outputs and every
// gradient), computed on the cpu backend where our LSTM is not installed: with and without a
// mask, backwards, returning sequences or the last state, sigmoid and hardSigmoid gates, with
// and without a bias.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../engine/backend';
import { fusedLstmCalls } from '../../../engine/kernels/wasm/fusedLstm';
import { D, N, T, U, rand, recurrentSuite, type RecurrentCase } from './recurrentHarness';

beforeAll(async () => {
  const info = await initBackend({ prefer: 'wasm' });
  expect(info.customKernels).toContain('LSTM (whole sequence)');
});

const CASES: RecurrentCase[] = [
  { name: 'last state', returnSequences: false, goBackwards: false, masked: false, recurrentActivation: 'sigmoid' },
  { name: 'sequences', returnSequences: true, goBackwards: false, masked: false, recurrentActivation: 'sigmoid' },
  { name: 'masked', returnSequences: false, goBackwards: false, masked: true, recurrentActivation: 'sigmoid' },
  { name: 'masked sequences, backwards', returnSequences: true, goBackwards: true, masked: true, recurrentActivation: 'sigmoid' },
  { name: 'hardSigmoid gates (the default), backwards', returnSequences: false, goBackwards: true, masked: false, recurrentActivation: 'hardSigmoid' },
  {
    name: 'no bias, 5 units, masked sequences',
    returnSequences: true,
    goBackwards: false,
    masked: true,
    recurrentActivation: 'hardSigmoid',
    useBias: false,
    units: 5,
  },
  { name: '9 units, masked sequences', returnSequences: true, goBackwards: false, masked: true, recurrentActivation: 'sigmoid', units: 9 },
  { name: 'bidirectional, masked', returnSequences: false, goBackwards: false, masked: true, recurrentActivation: 'sigmoid', bidirectional: true },
];

recurrentSuite('whole-sequence LSTM on wasm', (cfg) => tfl.layers.lstm(cfg) as tfl.RNN, fusedLstmCalls, CASES);

describe('LSTM layers the whole-sequence path does not take', () => {
  it('leaves what it does not fuse (recurrent dropout) to tfjs-layers', async () => {
    await tf.setBackend('wasm');
    const before = fusedLstmCalls();
    tf.tidy(() => {
      const layer = tfl.layers.lstm({ units: U, recurrentDropout: 0.5 });
      layer.apply(tf.tensor3d(rand(N * T * D, 1), [N, T, D]));
    });
    expect(fusedLstmCalls()).toBe(before);
  });
});
