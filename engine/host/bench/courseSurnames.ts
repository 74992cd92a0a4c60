/**
 * A CSV of the shape of the course's surname file (surnames_with_splits.csv: 10,980 names, 18
 * nationalities, columns `nationality,nationality_index,split,surname`, each nationality split
 * 70 / 15 / 15 into train / val / test), made from the built-in surnames
 * (assets/datasets/surnames.csv), which we ship, since the course's own file we do not. The 18
 * largest countries are kept and each gives names in proportion to its size, so the classes are
 * as unbalanced as the course's (its largest is 40 times its smallest; here 21 times).
 */
import { mulberry32, shuffleInPlace } from '../../data/prng';

export interface CourseSurnamesOptions {
  /** Names in all (default 10,980, the course's). */
  rows?: number;
  /** Nationalities kept, the largest first (default 18). */
  classes?: number;
  seed?: number;
}

/** The file's rows, as they are written. */
export interface CourseSurname {
  nationality: string;
  nationalityIndex: number;
  split: 'train' | 'val' | 'test';
  surname: string;
}

/** The rows of the course-shaped file, from the text of the built-in surnames CSV (`surname,country`). */
export function courseSurnames(builtinCsv: string, opts: CourseSurnamesOptions = {}): CourseSurname[] {
  const rows = opts.rows ?? 10_980;
  const keep = opts.classes ?? 18;
  const random = mulberry32(opts.seed ?? 1337);
  const byCountry = new Map<string, string[]>();
  for (const line of builtinCsv.split(/\r?\n/).slice(1)) {
    const comma = line.lastIndexOf(',');
    if (comma <= 0) continue;
    const name = line.slice(0, comma).trim();
    const country = line.slice(comma + 1).trim();
    if (!name || !country) continue;
    byCountry.set(country, [...(byCountry.get(country) ?? []), name]);
  }
  const countries = [...byCountry.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0])).slice(0, keep);
  const available = countries.reduce((n, [, names]) => n + names.length, 0);
  if (available < rows) throw new Error(`courseSurnames: the ${keep} largest countries have ${available} names, fewer than the ${rows} asked for`);
  // Each country's share of `rows`, by largest remainder, so the total is exact.
  const exact = countries.map(([, names]) => (names.length * rows) / available);
  const counts = exact.map(Math.floor);
  const byRemainder = exact.map((v, i) => ({ i, r: v - Math.floor(v) })).sort((a, b) => b.r - a.r || a.i - b.i);
  const short = rows - counts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < short; k++) counts[byRemainder[k]!.i]!++;

  const out: CourseSurname[] = [];
  // The course's file lists nationalities alphabetically, indexed in that order.
  const alphabetical = countries.map(([c]) => c).sort();
  countries.forEach(([country, names], c) => {
    const picked = shuffleInPlace([...names], random).slice(0, counts[c]);
    const n = picked.length;
    const train = Math.round(n * 0.7);
    const val = Math.round(n * 0.15);
    picked.forEach((surname, i) => {
      out.push({
        nationality: country,
        nationalityIndex: alphabetical.indexOf(country),
        split: i < train ? 'train' : i < train + val ? 'val' : 'test',
        surname,
      });
    });
  });
  return shuffleInPlace(out, random);
}

/** The CSV text of `courseSurnames`, header `nationality,nationality_index,split,surname`. */
export function courseSurnamesCsv(builtinCsv: string, opts: CourseSurnamesOptions = {}): string {
  const lines = ['nationality,nationality_index,split,surname'];
  for (const r of courseSurnames(builtinCsv, opts)) lines.push(`${r.nationality},${r.nationalityIndex},${r.split},${r.surname}`);
  return lines.join('\n') + '\n';
}
