/**
 * What the engine says, in the user's language. An engine error, a failed run or a data problem
 * carries its `words` (engine/words.ts: a key and the values it names, a file and line); they are
 * said from the `engine` catalog (English: the engine's own sentences; Korean:
 * locales/ko/engine.json). An answer without words (an older host, a run folder written before
 * words) says its kind (`errors.<code>`) in the user's language and keeps the engine's English
 * detail after it.
 */
import type { TFunction } from 'i18next';
import type { EngineError } from '../../engine/api';
import { ENGINE_SENTENCES, english, whereWords, type Words } from '../../engine/words';

/** The engine's English sentences as a catalog: "data.raggedRow_one" is `engine.data.raggedRow_one`. */
export function englishEngineCatalog(): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(ENGINE_SENTENCES)) {
    const path = key.split('.');
    let node = root;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      if (typeof next === 'string') throw new Error(`engine/words.ts: "${key}" is under a sentence of its own.`);
      node = (next as Record<string, unknown> | undefined) ?? (node[part] = {});
    }
    node[path.at(-1)!] = text;
  }
  return root;
}

/** `words` said in the language of `t`, the values that are words themselves said too. */
export function sayWords(t: TFunction, words: Words): string {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(words.params ?? {})) params[name] = typeof value === 'object' ? sayWords(t, value) : value;
  const { at, ...sentence } = words;
  let prefix = '';
  if (at) {
    const where = whereWords(at);
    prefix = t(`engine.${where.key}`, { ...where.params, defaultValue: '' });
  }
  return prefix + t(`engine.${words.key}`, { ...params, defaultValue: english(sentence) });
}

/** A message with its words, when it has some: a failed run's, a prediction's. */
export function messageText(t: TFunction, said: { message: string; words?: Words | undefined }): string {
  return said.words ? sayWords(t, said.words) : said.message;
}

export function engineErrorText(t: TFunction, language: string, error: Pick<EngineError, 'code' | 'message' | 'words'>): string {
  if (error.words) return sayWords(t, error.words);
  if (language === 'en') return error.message;
  return `${t(`errors.${error.code}`, { defaultValue: error.code })}: ${error.message}`;
}
