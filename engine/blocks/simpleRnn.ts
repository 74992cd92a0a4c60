import { defineRecurrent } from './recurrent';

/** SimpleRNN: see recurrent.ts for the shared definition. */
export const simpleRnnBlock = defineRecurrent('SimpleRNN', 'simpleRNN');
