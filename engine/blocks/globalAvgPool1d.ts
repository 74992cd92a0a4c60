import { defineGlobalPool } from './pooling';

/** GlobalAvgPool1D: see pooling.ts for the shared definition. */
export const globalAvgPool1dBlock = defineGlobalPool('GlobalAvgPool1D', 'avg', 1);
