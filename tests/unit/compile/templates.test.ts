/** Every template in assets/examples loads, validates against data facts like its data's, and compiles. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataFacts } from '../../../engine/graph/types';
import { compileChecked } from './compileChecked';
import type { Document } from '../../../engine/graph/document';
import { parseDocument } from '../../../engine/graph/load';
import { validateDocument } from '../../../engine/graph/validate';

const DIR = join(__dirname, '../../../assets/examples');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

/** Facts shaped like what the data binding of `doc` produces (sizes from the built-in surnames). */
function factsFor(doc: Document): DataFacts {
  const data = doc.data!;
  // Image data: the picture's size and colour, ten digits.
  if (data.image) return { inputShape: [...data.image.size, data.image.color === 'rgb' ? 3 : 1], inputDtype: 'float32', vocabSize: 0, numClasses: 10 };
  const length = typeof data.maxLength === 'number' ? data.maxLength : 17;
  const vocabSize = data.tokenizer === 'word' ? 3000 : 77;
  const numClasses = 'builtin' in data.source ? (data.source.builtin === 'surnames' ? 18 : 2) : 4;
  if (data.encoding === 'bag') return { inputShape: [vocabSize], inputDtype: 'float32', vocabSize, numClasses };
  return data.encoding === 'onehot'
    ? { inputShape: [length, vocabSize], inputDtype: 'float32', vocabSize, numClasses }
    : { inputShape: [length], inputDtype: 'int32', vocabSize, numClasses };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('templates', () => {
  it('are the five the issue asks for, and one for each further built-in dataset', () => {
    expect(FILES).toEqual([
      'digits-lenet.json',
      'digits-resnet.json',
      'first-names-mlp.json',
      'news-glove-cnn.json',
      'resnet1d.json',
      'spam-bag-mlp.json',
      'surname-cnn.json',
      'surname-gru.json',
      'surname-mlp.json',
    ]);
  });

  for (const file of FILES) {
    it(`${file} validates and compiles`, () => {
      const parsed = parseDocument(readFileSync(join(DIR, file), 'utf8'));
      if (!parsed.ok) throw new Error(parsed.error);
      const doc = parsed.doc;
      expect(doc.description).toBeTruthy();
      const facts = factsFor(doc);
      const result = validateDocument(doc, facts);
      expect(result.errors).toEqual([]);
      expect(result.totals.params).toBeGreaterThan(0);
      // Nodes sit left to right on the canvas, none on top of another.
      const spots = new Set(doc.graph.nodes.map((n) => `${n.ui?.x},${n.ui?.y}`));
      expect(spots.size).toBe(doc.graph.nodes.length);
      const model = compileChecked(doc, facts, { seed: doc.training.seed }).model;
      expect(model.countParams()).toBe(result.totals.params);
      const x =
        facts.inputDtype === 'int32'
          ? tf.randomUniform([2, ...facts.inputShape!], 0, facts.vocabSize!, 'int32', 3)
          : tf.randomUniform([2, ...facts.inputShape!], 0, 1, 'float32', 3);
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([2, facts.numClasses]);
      const sums = (tf.sum(y, 1).arraySync() as number[]).map((s) => Math.round(s * 1e4) / 1e4);
      expect(sums).toEqual([1, 1]);
      tf.dispose([x, y]);
      model.dispose();
    });
  }

  it('digits-lenet is LeNet as the bench measures it', () => {
    const doc = (parseDocument(readFileSync(join(DIR, 'digits-lenet.json'), 'utf8')) as { ok: true; doc: Document }).doc;
    const r = validateDocument(doc, factsFor(doc));
    expect(r.nodes.map((n) => [n.type, n.outputShape])).toEqual([
      ['Input', [null, 28, 28, 1]],
      ['Conv2D', [null, 28, 28, 6]],
      ['MaxPool2D', [null, 14, 14, 6]],
      ['Conv2D', [null, 10, 10, 16]],
      ['MaxPool2D', [null, 5, 5, 16]],
      ['Flatten', [null, 400]],
      ['Dense', [null, 120]],
      ['Dense', [null, 84]],
      ['Output', [null, 10]],
    ]);
    expect(doc.data?.source).toEqual({ builtin: 'digits' });
    expect(doc.training).toMatchObject({ batchSize: 64, epochs: 3, optimizer: { type: 'adam', lr: 0.001 } });
  });

  it('surname-cnn is the classic one', () => {
    const doc = (parseDocument(readFileSync(join(DIR, 'surname-cnn.json'), 'utf8')) as { ok: true; doc: Document }).doc;
    const r = validateDocument(doc, factsFor(doc));
    expect(r.nodes.map((n) => n.outputShape)).toEqual([
      [null, 17, 77],
      [null, 15, 256],
      [null, 7, 256],
      [null, 3, 256],
      [null, 1, 256],
      [null, 256],
      [null, 18],
    ]);
    expect(doc.training).toMatchObject({
      batchSize: 64,
      epochs: 20,
      seed: 1337,
      optimizer: { type: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    });
  });
});
