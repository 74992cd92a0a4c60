import { definePool2d } from './pooling';

/** MaxPool2D: see pooling.ts for the shared definition. */
export const maxPool2dBlock = definePool2d('MaxPool2D', 'max');
