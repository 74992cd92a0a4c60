import { definePool1d } from './pooling';

/** AvgPool1D: see pooling.ts for the shared definition. */
export const avgPool1dBlock = definePool1d('AvgPool1D', 'avg');
