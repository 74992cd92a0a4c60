/** The course-shaped surname file the course check trains on: its shape, and that the engine reads its split column as the course means it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareFromText } from '../../../../engine/data';
import { DocumentSchema } from '../../../../engine/graph/document';
import { courseSurnames, courseSurnamesCsv } from '../../../../engine/host/bench/courseSurnames';

const BUILTIN = readFileSync(join(__dirname, '..', '..', '..', '..', 'assets', 'datasets', 'surnames.csv'), 'utf8');

describe('the course-shaped surname file', () => {
  it('has 10,980 names of 18 nationalities, each split 70 / 15 / 15 into train / val / test', () => {
    const rows = courseSurnames(BUILTIN);
    expect(rows).toHaveLength(10_980);
    const byClass = new Map<string, { train: number; val: number; test: number }>();
    for (const r of rows) {
      const c = byClass.get(r.nationality) ?? { train: 0, val: 0, test: 0 };
      c[r.split]++;
      byClass.set(r.nationality, c);
    }
    expect(byClass.size).toBe(18);
    for (const [, c] of byClass) {
      const n = c.train + c.val + c.test;
      expect(Math.abs(c.train - 0.7 * n)).toBeLessThanOrEqual(1);
      expect(Math.abs(c.val - 0.15 * n)).toBeLessThanOrEqual(1);
    }
    // As unbalanced as the course's file: the largest class many times the smallest.
    const sizes = [...byClass.values()].map((c) => c.train + c.val + c.test).sort((a, b) => a - b);
    expect(sizes.at(-1)! / sizes[0]!).toBeGreaterThan(15);
    // No name twice, and the index is each nationality's place in alphabetical order.
    expect(new Set(rows.map((r) => r.surname)).size).toBe(rows.length);
    const names = [...byClass.keys()].sort();
    for (const r of rows.slice(0, 50)) expect(r.nationalityIndex).toBe(names.indexOf(r.nationality));
  });

  it('is the same file every time (seeded), and another seed draws other names', () => {
    expect(courseSurnamesCsv(BUILTIN)).toBe(courseSurnamesCsv(BUILTIN));
    expect(courseSurnamesCsv(BUILTIN, { seed: 2 })).not.toBe(courseSurnamesCsv(BUILTIN));
  });

  it('the engine reads it as the course does: --text surname --label nationality --split split', () => {
    const spec = DocumentSchema.shape.data.parse({
      source: { path: 'surnames_with_splits.csv' },
      text: 'surname',
      label: 'nationality',
      split: { column: 'split' },
    });
    const prepared = prepareFromText(courseSurnamesCsv(BUILTIN), 'surnames_with_splits.csv', spec!);
    expect(prepared.summary.rows).toBe(10_980);
    expect(prepared.summary.classes).toHaveLength(18);
    const count = (split: string) => courseSurnames(BUILTIN).filter((r) => r.split === split).length;
    // "val" is the dev split; every row lands where its column says.
    expect(prepared.summary.split).toEqual({ train: count('train'), dev: count('val'), test: count('test') });
    expect(prepared.summary.split.train).toBeGreaterThan(7_600);
  });
});
