import { allLocales } from '@faker-js/faker';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { formatCsv } from '../../../engine/data/csv';
import { deriveSurnames, LATIN_NAME, type LocaleLike } from '../../../engine/data/surnames';
import { surnamesLicenseText } from '../../../engine/data/surnamesLicense';

const root = join(__dirname, '..', '..', '..');
const committed = readFileSync(join(root, 'assets', 'datasets', 'surnames.csv'), 'utf8');
const derived = deriveSurnames(allLocales as unknown as Record<string, LocaleLike>);
const rows = Papa.parse<string[]>(committed, { header: false, skipEmptyLines: true }).data;

describe('built-in surnames dataset', () => {
  it('is exactly what the derivation from faker gives (regenerate with engine/host/tools/generateSurnames.ts)', () => {
    expect(committed).toBe(
      formatCsv(
        ['surname', 'country'],
        derived.rows.map((r) => [r.surname, r.country]),
      ),
    );
  });

  it('ships the provenance and license file the generator writes', () => {
    const faker = join(root, 'node_modules', '@faker-js', 'faker');
    const version = (JSON.parse(readFileSync(join(faker, 'package.json'), 'utf8')) as { version: string }).version;
    const expected = surnamesLicenseText(derived.rows, derived.report, version, readFileSync(join(faker, 'LICENSE'), 'utf8'));
    expect(readFileSync(join(root, 'assets', 'datasets', 'SURNAMES-LICENSE.md'), 'utf8')).toBe(expected);
  });

  it('has the header surname,country and sorted rows', () => {
    expect(rows[0]).toEqual(['surname', 'country']);
    const body = rows.slice(1).map(([s, c]) => `${c}\u0000${s}`);
    expect(body).toEqual([...body].sort());
  });

  it('keeps no surname under two labels, even in another case', () => {
    const labelOf = new Map<string, string>();
    for (const [surname, country] of rows.slice(1)) {
      const k = surname!.toLowerCase();
      expect(labelOf.get(k) ?? country, surname).toBe(country);
      labelOf.set(k, country!);
    }
    expect(labelOf.size).toBe(rows.length - 1);
  });

  it('has at least 50 names in every class and a readable label for each', () => {
    const counts = new Map<string, number>();
    for (const [, country] of rows.slice(1)) counts.set(country!, (counts.get(country!) ?? 0) + 1);
    expect(counts.size).toBeGreaterThanOrEqual(10);
    for (const [label, n] of counts) {
      expect(n, label).toBeGreaterThanOrEqual(50);
      expect(label).toMatch(/^[A-Z][a-z]+( [A-Z][a-z]+)*$/);
    }
    for (const label of ['German', 'French', 'Italian', 'English', 'Spanish']) expect(counts.has(label), label).toBe(true);
  });

  it('holds Latin-script names only', () => {
    for (const [surname] of rows.slice(1)) expect(surname).toMatch(LATIN_NAME);
    expect(rows.some(([s]) => /[А-я]/.test(s!))).toBe(false);
  });

  it('merges the locales of one language and leaves out copies', () => {
    expect(derived.report.labels.German).toEqual(expect.arrayContaining(['de', 'de_CH']));
    expect(derived.report.leftOut).toContainEqual({ code: 'de_AT', reason: "its surname list copies de's" });
    expect(derived.report.leftOut.some((l) => l.code === 'ru')).toBe(true);
  });
});

describe('deriveSurnames rules', () => {
  const names = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => `${prefix}${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
  const locale = (code: string, title: string, language: string, lastName: unknown, script = 'Latn'): LocaleLike => ({
    metadata: { code, title, language, script },
    person: { last_name: lastName },
  });

  it('merges by language, drops shared names, copies, other scripts and small classes', () => {
    const { rows: out, report } = deriveSurnames({
      xx: locale('xx', 'Xish', 'xx', { generic: [...names('Xo', 60), 'Shared'] }),
      xx_YY: locale('xx_YY', 'Xish (Y Land)', 'xx', { female: ['Wyxa'], male: ['Wyx'] }),
      xx_ZZ: locale('xx_ZZ', 'Xish (Z Land)', 'xx', { generic: names('Xo', 10) }),
      qq: locale('qq', 'Qish', 'qq', { generic: [...names('Qu', 55), 'shared', 'Qαβ'] }),
      tiny: locale('tiny', 'Tinyish', 'ti', { generic: names('Ti', 49) }),
      cy: locale('cy', 'Cyrish', 'cy', { generic: ['Иванов'] }, 'Cyrl'),
    });
    const labels = new Set(out.map((r) => r.country));
    expect([...labels]).toEqual(['Qish', 'Xish']);
    expect(out.filter((r) => r.country === 'Xish')).toHaveLength(62);
    expect(out.some((r) => r.surname.toLowerCase() === 'shared')).toBe(false);
    expect(out.some((r) => r.surname === 'Qαβ')).toBe(false);
    expect(report.labels.Xish).toEqual(['xx', 'xx_YY']);
    expect(report.leftOut.map((l) => l.code)).toEqual(['cy', 'xx_ZZ']);
    expect(report.smallClasses).toEqual({ Tinyish: 49 });
    expect(report.ambiguousDropped).toBe(1);
  });
});
