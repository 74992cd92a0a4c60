import { defineRecurrent } from './recurrent';

/** GRU: see recurrent.ts for the shared definition. */
export const gruBlock = defineRecurrent('GRU', 'gru');
