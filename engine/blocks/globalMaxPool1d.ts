import { defineGlobalPool } from './pooling';

/** GlobalMaxPool1D: see pooling.ts for the shared definition. */
export const globalMaxPool1dBlock = defineGlobalPool('GlobalMaxPool1D', 'max', 1);
