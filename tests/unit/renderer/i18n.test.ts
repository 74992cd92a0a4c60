import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, catalogs, createI18n, pickLanguage } from '../../../renderer/i18n';

/** i18next's plural forms: "files_one" and "files_other" are both the key "files" (Korean has only _other). */
const PLURAL = /_(zero|one|two|few|many|other)$/;

type Catalog = { [key: string]: string | Catalog };

function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const flat = Object.fromEntries(LANGUAGES.map((language) => [language, flatten(catalogs[language])])) as Record<
  (typeof LANGUAGES)[number],
  Map<string, string>
>;
const baseKeys = (language: (typeof LANGUAGES)[number]) => new Set([...flat[language].keys()].map((key) => key.replace(PLURAL, '')));
const variables = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Every key the renderer names literally: t('area.key'), i18nKey="area.key". Keys built at run time are checked by their own tests. */
function keysInSource(): { key: string; where: string }[] {
  const root = join(__dirname, '../../../renderer');
  const found: { key: string; where: string }[] = [];
  for (const file of sourceFiles(root).filter((f) => !relative(root, f).startsWith('i18n'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:\bt\(\s*|i18nKey=\{?\s*)(['"`])([A-Za-z0-9_.-]+)\1/g)) {
      const line = text.slice(0, match.index).split('\n').length;
      found.push({ key: match[2] ?? '', where: `${relative(root, file)}:${line}` });
    }
  }
  return found;
}

describe('the translations', () => {
  it('have every key in every language', () => {
    const [first, ...rest] = LANGUAGES;
    for (const language of rest) {
      const missingHere = [...baseKeys(first)].filter((key) => !baseKeys(language).has(key));
      const missingThere = [...baseKeys(language)].filter((key) => !baseKeys(first).has(key));
      expect(missingHere, `keys in ${first} but not in ${language}`).toEqual([]);
      expect(missingThere, `keys in ${language} but not in ${first}`).toEqual([]);
    }
  });

  it('use the same placeholders in every language', () => {
    const mismatched: string[] = [];
    for (const [key, english] of flat.en) {
      const base = key.replace(PLURAL, '');
      for (const language of LANGUAGES.filter((l) => l !== 'en')) {
        const other = flat[language].get(key) ?? flat[language].get(`${base}_other`) ?? flat[language].get(base);
        if (other === undefined) continue; // Reported by the test above.
        const want = new Set(variables(english).filter((v) => v !== 'count'));
        const have = new Set(variables(other).filter((v) => v !== 'count'));
        if ([...want].some((v) => !have.has(v)) || [...have].some((v) => !want.has(v))) mismatched.push(`${key}: en ${[...want]} / ${language} ${[...have]}`);
      }
    }
    expect(mismatched).toEqual([]);
  });

  it('have every key the renderer names', () => {
    const used = keysInSource();
    const missing = used.flatMap(({ key, where }) =>
      LANGUAGES.filter((language) => !baseKeys(language).has(key)).map((language) => `${where}: "${key}" (${language})`),
    );
    expect(missing).toEqual([]);
  });

  it('look words up by language, falling back to English', () => {
    expect(createI18n('en').t('common.language.label')).toBe('Language');
    expect(createI18n('ko').t('common.language.label')).toBe('언어');
  });
});

describe('pickLanguage', () => {
  it('takes the stored choice first, then the first language of the OS we have, then English', () => {
    expect(pickLanguage('ko', ['en-US'])).toBe('ko');
    expect(pickLanguage(null, ['ko-KR', 'en-US'])).toBe('ko');
    expect(pickLanguage(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLanguage('xx', ['de'])).toBe('en');
  });
});
