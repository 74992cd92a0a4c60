import { defineRecurrent } from './recurrent';

/** LSTM: see recurrent.ts for the shared definition. */
export const lstmBlock = defineRecurrent('LSTM', 'lstm');
