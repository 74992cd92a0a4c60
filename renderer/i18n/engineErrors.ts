/**
 * An engine refusal (`EngineError`) for people. Its `code` has words in every language
 * (`errors.<code>`); its `message` is the engine's English detail (a file name, a column, a
 * run id), so in another language the app says what kind of refusal it is in that language
 * and keeps the detail after it.
 */
import type { TFunction } from 'i18next';
import type { EngineError } from '../../engine/api';

export function engineErrorText(t: TFunction, language: string, error: Pick<EngineError, 'code' | 'message'>): string {
  if (language === 'en') return error.message;
  return `${t(`errors.${error.code}`, { defaultValue: error.code })}: ${error.message}`;
}
