/**
 * Where each built-in dataset's rows and license are under assets/. What a Document may name and
 * what each one is (its columns, tokenizer, license line) is in `BUILTIN_DATASETS`
 * (engine/graph/document.ts), so the Data tab and validation know them too.
 */
import { BUILTIN_DATASETS, type BuiltinDatasetId } from '../graph/document';
import type { DataSummary } from './summary';

/** The files of each built-in dataset, relative to assets/. */
export const BUILTIN_FILES: Readonly<Record<BuiltinDatasetId, { csv: string; license: string }>> = {
  surnames: { csv: 'datasets/surnames.csv', license: 'datasets/SURNAMES-LICENSE.md' },
  'first-names': { csv: 'datasets/first-names.csv', license: 'datasets/FIRST-NAMES-LICENSE.md' },
  spam: { csv: 'datasets/spam.csv', license: 'datasets/SPAM-LICENSE.md' },
};

/** The name a built-in dataset goes by in messages and summaries. */
export function builtinSourceName(id: BuiltinDatasetId): string {
  return `built-in: ${id}`;
}

/** What a summary says about a built-in dataset's origin and license. */
export function builtinLicense(id: BuiltinDatasetId): NonNullable<DataSummary['license']> {
  const d = BUILTIN_DATASETS[id];
  return { dataset: id, title: d.title, license: d.license, file: `assets/${BUILTIN_FILES[id].license}` };
}
