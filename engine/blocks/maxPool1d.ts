import { definePool1d } from './pooling';

/** MaxPool1D: see pooling.ts for the shared definition. */
export const maxPool1dBlock = definePool1d('MaxPool1D', 'max');
