import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseDocument } from '../../../engine/graph/load';
import { documentFileRefs, pretrainedRequests } from '../../../engine/graph/files';
import { pretrainedTarget, withDataOverrides, withNodeFile } from '../../../engine/graph/overrides';
import { nodeId } from '../../../engine/graph/document';
import { chain } from './fixtures';

it('lists the GloVe file the news template asks for, and nothing for the others', () => {
  const read = (f: string) => {
    const r = parseDocument(readFileSync(join(__dirname, '../../../assets/examples', f), 'utf8'));
    if (!r.ok) throw new Error(r.error);
    return r.doc.graph;
  };
  expect(pretrainedRequests(read('news-glove-cnn.json'))).toEqual([
    { nodeId: 'glove', param: 'pretrained', path: 'glove.6B.100d.txt', dim: 100, trainable: false },
  ]);
  expect(pretrainedRequests(read('surname-gru.json'))).toEqual([]);
  expect(pretrainedRequests(chain([['Input'], ['Embedding', { pretrained: 'a.txt', outputDim: 0 }]]))).toEqual([]);
});

it('lists the data file unless the source is built in, then the files blocks read', () => {
  const r = parseDocument(readFileSync(join(__dirname, '../../../assets/examples/news-glove-cnn.json'), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  expect(documentFileRefs(r.doc).map((f) => f.role)).toEqual(['data', 'pretrained']);
  expect(documentFileRefs({ ...r.doc, data: { ...r.doc.data!, source: { builtin: 'surnames' } } }).map((f) => f.role)).toEqual(['pretrained']);
  const { data: _data, ...noData } = r.doc;
  expect(documentFileRefs(noData).map((f) => f.role)).toEqual(['pretrained']);
});

it("overrides are typed edits: data and columns, and a node's file by NODE=FILE or alone", () => {
  const r = parseDocument(readFileSync(join(__dirname, '../../../assets/examples/news-glove-cnn.json'), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  const doc = { ...r.doc, extra: { kept: true } };
  const data = withDataOverrides(doc, { dataFile: '/d/train.csv', text: '2', label: '1' });
  expect(data.data).toMatchObject({ source: { path: '/d/train.csv' }, text: '2', label: '1' });
  expect((data as typeof doc).extra).toEqual({ kept: true });
  expect(r.doc.data!.source).not.toEqual({ path: '/d/train.csv' });
  expect(withDataOverrides(doc, {})).toBe(doc);
  // Without a data section, --data makes one of defaults around the file; columns alone change nothing.
  const { data: _none, ...bare } = doc;
  expect(withDataOverrides(bare, { dataFile: '/d/x.csv', text: 'title' }).data).toMatchObject({
    source: { path: '/d/x.csv' },
    text: 'title',
    label: 'country',
    fileEncoding: 'auto',
  });
  expect(withDataOverrides(bare, { text: 'title' })).toBe(bare);

  expect(pretrainedTarget(doc, 'glove=/v/g.txt')).toEqual({ ok: true, nodeId: 'glove', param: 'pretrained', file: '/v/g.txt' });
  expect(pretrainedTarget(doc, '/v/g.txt')).toEqual({ ok: true, nodeId: 'glove', param: 'pretrained', file: '/v/g.txt' });
  expect(pretrainedTarget(doc, 'nosuch=/v/g.txt')).toEqual({ ok: true, nodeId: 'glove', param: 'pretrained', file: 'nosuch=/v/g.txt' });
  const noVectors = withNodeFile(doc, nodeId('glove'), 'pretrained', '');
  const target = pretrainedTarget(
    { ...noVectors, graph: { ...noVectors.graph, nodes: noVectors.graph.nodes.map((n) => (n.id === 'glove' ? { ...n, params: {} } : n)) } },
    '/v/g.txt',
  );
  expect(target).toMatchObject({ ok: false, message: expect.stringMatching(/NODE=FILE.*glove/) });
  const moved = withNodeFile(doc, nodeId('glove'), 'pretrained', '/v/g.txt');
  expect(pretrainedRequests(moved.graph)[0]).toMatchObject({ nodeId: 'glove', path: '/v/g.txt' });
});
