import { defineGlobalPool } from './pooling';

/** GlobalAvgPool2D: see pooling.ts for the shared definition. */
export const globalAvgPool2dBlock = defineGlobalPool('GlobalAvgPool2D', 'avg', 2);
