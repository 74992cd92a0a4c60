import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { englishBlocksCatalog } from './blockWords';
import { englishDatasetsCatalog } from './datasetWords';
import type { EngineError } from '../../engine/api';
import { engineErrorText, englishEngineCatalog } from './engineErrors';

/**
 * Every word the renderer shows goes through here. The catalogs are JSON files, one per area of
 * the app, `locales/<language>/<area>.json`; each file's stem is the first segment of its keys
 * (`locales/en/data.json`'s `{ "preview": { "title": … } }` is `t('data.preview.title')`), so two
 * people working on two areas never edit the same file. tests/unit/renderer/i18n.test.ts fails
 * when a key the code uses, or a key one language has, is missing in either language.
 */
export const LANGUAGES = ['en', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the language switch. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ko: '한국어' };

type Catalog = { [key: string]: string | Catalog };

const files = import.meta.glob<Catalog>('./locales/*/*.json', { eager: true, import: 'default' });

/** `{ en: { data: {...}, common: {...} }, ko: {...} }`: every catalog file under its area. */
export const catalogs: Record<Language, Catalog> = { en: {}, ko: {} };
for (const [path, catalog] of Object.entries(files)) {
  const match = /\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
  if (!match) continue;
  const [, language = '', area = ''] = match;
  if (!(LANGUAGES as readonly string[]).includes(language))
    throw new Error(`${path}: "${language}" is not one of the app's languages (${LANGUAGES.join(', ')}).`);
  catalogs[language as Language][area] = catalog;
}
// English block docs and param help are the block definitions' own words (one source); other languages translate them.
if (catalogs.en.blocks) throw new Error('locales/en/blocks.json: the English block words come from engine/blocks; remove the file.');
catalogs.en.blocks = englishBlocksCatalog();
// The engine's sentences (errors, data problems) in English are its own (engine/words.ts); other languages translate them.
if (catalogs.en.engine) throw new Error('locales/en/engine.json: the English engine sentences come from engine/words.ts; remove the file.');
catalogs.en.engine = englishEngineCatalog() as Catalog;
// The built-in datasets' titles and licenses in English are the engine's own (engine/graph/document.ts).
if (catalogs.en.datasets) throw new Error('locales/en/datasets.json: the English dataset words come from engine/graph/document.ts; remove the file.');
catalogs.en.datasets = englishDatasetsCatalog();

const STORAGE_KEY = 'modelwright.language';

/** The language to start in: the one the user chose in the app, else the first of the OS / browser's that we have, else English. */
export function pickLanguage(stored: string | null, preferred: readonly string[]): Language {
  if (stored && isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

function storedLanguage(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null; // Storage can be off (a sandboxed frame, privacy settings): follow the OS then.
  }
}

function preferredLanguages(): readonly string[] {
  const nav = globalThis.navigator as Navigator | undefined;
  return nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : [];
}

/** Builds an i18next instance over our catalogs (the app's is `i18n` below; tests make their own). */
export function createI18n(language: Language): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { en: { translation: catalogs.en }, ko: { translation: catalogs.ko } },
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false }, // React escapes what it renders.
    returnNull: false,
    initAsync: false, // The catalogs are bundled: ready before the first render.
  });
  return instance;
}

export const i18n = createI18n(pickLanguage(storedLanguage(), preferredLanguages()));
syncDocumentLanguage(i18n.language);
i18n.on('languageChanged', syncDocumentLanguage);

function syncDocumentLanguage(language: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

/** What the user chose in Settings: a language, or "system" (follow the OS / browser). */
export type LanguageChoice = Language | 'system';

/** The remembered choice, "system" when there is none. */
export function languageChoice(): LanguageChoice {
  const stored = storedLanguage();
  return stored && isLanguage(stored) ? stored : 'system';
}

/** Switches the app's language and remembers the choice (Settings); "system" forgets it and follows the OS again. */
export function setLanguage(choice: LanguageChoice): void {
  try {
    if (choice === 'system') globalThis.localStorage?.removeItem(STORAGE_KEY);
    else globalThis.localStorage?.setItem(STORAGE_KEY, choice);
  } catch {
    // Not remembered; the switch still happens.
  }
  void i18n.changeLanguage(choice === 'system' ? pickLanguage(null, preferredLanguages()) : choice);
}

/** The BCP 47 tag for Intl number and date formats in the current language. */
export function locale(): string {
  return i18n.language === 'ko' ? 'ko-KR' : 'en-US';
}

/** For code outside React (actions, stores): the same lookup as `useTranslation().t`. */
export const t = i18n.t.bind(i18n);

/** An engine error (or a failed run's message) in the app's language, for code outside React. */
export function sayError(error: Pick<EngineError, 'code' | 'message' | 'words'>): string {
  return engineErrorText(i18n.t, i18n.language, error);
}
