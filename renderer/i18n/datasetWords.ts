/**
 * The built-in datasets' titles and licenses in the user's language. English lives once, in
 * engine/graph/document.ts (BUILTIN_DATASETS, BUILTIN_IMAGE_DATASETS, which the CLI prints too);
 * the English catalog `datasets.<id>.title|license` is built from them here, and
 * locales/<lang>/datasets.json translates it (the i18n test fails on a dataset missing there).
 */
import type { TFunction } from 'i18next';
import { BUILTIN_DATASETS, BUILTIN_IMAGE_DATASETS } from '../../engine/graph/document';

const ALL: Record<string, { title: string; license: string }> = { ...BUILTIN_DATASETS, ...BUILTIN_IMAGE_DATASETS };

/** `{ surnames: { title, license }, … }` in English. */
export function englishDatasetsCatalog(): Record<string, { title: string; license: string }> {
  return Object.fromEntries(Object.entries(ALL).map(([id, d]) => [id, { title: d.title, license: d.license }]));
}

export function datasetTitle(t: TFunction, id: string): string {
  return t(`datasets.${id}.title`, { defaultValue: ALL[id]?.title ?? id });
}

export function datasetLicense(t: TFunction, id: string): string {
  return t(`datasets.${id}.license`, { defaultValue: ALL[id]?.license ?? '' });
}
