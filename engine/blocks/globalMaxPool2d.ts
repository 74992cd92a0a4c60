import { defineGlobalPool } from './pooling';

/** GlobalMaxPool2D: see pooling.ts for the shared definition. */
export const globalMaxPool2dBlock = defineGlobalPool('GlobalMaxPool2D', 'max', 2);
