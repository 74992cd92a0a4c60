import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseDocument } from '../../../engine/graph/load';
import { pretrainedRequests } from '../../../engine/graph/pretrained';
import { chain } from './fixtures';

it('lists the GloVe file the news template asks for, and nothing for the others', () => {
  const read = (f: string) => {
    const r = parseDocument(readFileSync(join(__dirname, '../../../assets/examples', f), 'utf8'));
    if (!r.ok) throw new Error(r.error);
    return r.doc.graph;
  };
  expect(pretrainedRequests(read('news-glove-cnn.json'))).toEqual([{ nodeId: 'glove', path: 'glove.6B.100d.txt', dim: 100, trainable: false }]);
  expect(pretrainedRequests(read('surname-gru.json'))).toEqual([]);
  expect(pretrainedRequests(chain([['Input'], ['Embedding', { pretrained: 'a.txt', outputDim: 0 }]]))).toEqual([]);
});
