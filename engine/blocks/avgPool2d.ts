import { definePool2d } from './pooling';

/** AvgPool2D: see pooling.ts for the shared definition. */
export const avgPool2dBlock = definePool2d('AvgPool2D', 'avg');
