// The whole-sequence GRU on wasm gives tfjs-layers' own GRU results (outputs and every
// gradient), computed on the cpu backend where our GRU is not installed: with and without a
// mask, backwards, returning sequences or the last state, sigmoid and hardSigmoid gates, and
// unit counts that leave the kernels' four-lane loops a scalar tail (u mod 4).
import { beforeAll, expect } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../engine/backend';
import { fusedGruCalls } from '../../../engine/kernels/wasm/fusedGru';
import { recurrentSuite, type RecurrentCase } from './recurrentHarness';

beforeAll(async () => {
  const info = await initBackend({ prefer: 'wasm' });
  expect(info.customKernels).toContain('GRU (whole sequence)');
});

const CASES: RecurrentCase[] = [
  { name: 'last state', returnSequences: false, goBackwards: false, masked: false, recurrentActivation: 'sigmoid' },
  { name: 'sequences', returnSequences: true, goBackwards: false, masked: false, recurrentActivation: 'sigmoid' },
  { name: 'masked', returnSequences: false, goBackwards: false, masked: true, recurrentActivation: 'sigmoid' },
  { name: 'masked sequences, backwards', returnSequences: true, goBackwards: true, masked: true, recurrentActivation: 'sigmoid' },
  { name: 'hardSigmoid gates, backwards', returnSequences: false, goBackwards: true, masked: false, recurrentActivation: 'hardSigmoid' },
  {
    name: '5 units, hardSigmoid gates partly saturated, masked sequences',
    returnSequences: true,
    goBackwards: false,
    masked: true,
    recurrentActivation: 'hardSigmoid',
    units: 5,
    inputScale: 4,
  },
  { name: '9 units, masked sequences, backwards', returnSequences: true, goBackwards: true, masked: true, recurrentActivation: 'sigmoid', units: 9 },
  { name: 'bidirectional, masked', returnSequences: false, goBackwards: false, masked: true, recurrentActivation: 'sigmoid', bidirectional: true },
];

recurrentSuite('whole-sequence GRU on wasm', (cfg) => tfl.layers.gru(cfg) as tfl.RNN, fusedGruCalls, CASES);
