/**
 * Derives the built-in surnames-by-language dataset from faker's locale definitions. Pure: it
 * takes the locale objects (faker's `allLocales`, passed in by the generator and the test) and
 * returns rows; faker itself stays a devDependency and the app ships only the CSV.
 *
 * The rules, in order:
 * 1. Latin-script locales only (`metadata.script === 'Latn'`), so the task is spelling, not
 *    alphabet; a name with a character outside the Latin script (plus marks, apostrophes,
 *    hyphens, spaces) is left out too.
 * 2. A locale whose surname list copies another's (the same set of names, or a subset of a
 *    larger list) is left out; of two equal lists the one with the earlier code stays.
 * 3. Locales of one language are merged under a readable label (de, de_AT, de_CH → German).
 * 4. A surname found under two labels is dropped from both (compared case-insensitively).
 * 5. Classes with fewer than `minPerClass` names are left out.
 */

/** The parts of a faker locale definition this module reads. */
export interface LocaleLike {
  metadata?: { title?: string; code?: string; language?: string; script?: string; variant?: string };
  person?: { last_name?: unknown } | undefined;
}

/** One row of the dataset. */
export interface SurnameRow {
  surname: string;
  country: string;
}

/** What happened to each locale and class, for the license/provenance file. */
export interface SurnameReport {
  /** label → the locale codes merged into it (only labels that made it into the data). */
  labels: Record<string, string[]>;
  /** Locales left out, with the reason. */
  leftOut: { code: string; reason: string }[];
  /** Surnames dropped because they appear under two or more labels. */
  ambiguousDropped: number;
  /** Classes left out because they had too few names: label → count. */
  smallClasses: Record<string, number>;
}

export interface DeriveOptions {
  /** Classes with fewer names than this are left out (default 50). */
  minPerClass?: number;
}

/** Letters of the Latin script, with combining marks, apostrophes, hyphens and inner spaces. */
export const LATIN_NAME = /^\p{Script=Latin}[\p{Script=Latin}\p{M}'’‘ʼ\- ]*$/u;

/** "German (Austria)" → "German"; "Kurdish (Kurmanji, Latin)" → "Kurdish". */
function labelOf(title: string): string {
  return title.replace(/\s*\(.*\)\s*$/, '').trim();
}

function lastNames(person: LocaleLike['person']): string[] {
  const raw = person?.last_name;
  if (raw === undefined || raw === null) return [];
  const lists: unknown[] = Array.isArray(raw) ? [raw] : typeof raw === 'object' ? Object.values(raw) : [];
  const out: string[] = [];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const name of list) if (typeof name === 'string') out.push(name.normalize('NFC').trim());
  }
  return out;
}

const key = (name: string): string => name.toLowerCase();
/** Code-unit order: the same everywhere, unlike localeCompare. */
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Derives the rows, sorted by label then surname (code-unit order), and a report. */
export function deriveSurnames(locales: Readonly<Record<string, LocaleLike>>, options: DeriveOptions = {}): { rows: SurnameRow[]; report: SurnameReport } {
  const minPerClass = options.minPerClass ?? 50;
  const leftOut: SurnameReport['leftOut'] = [];

  // 1. Latin-script locales with surnames; each as a set of case-folded keys → spelling.
  interface Candidate {
    code: string;
    label: string;
    names: Map<string, string>;
  }
  const candidates: Candidate[] = [];
  for (const code of Object.keys(locales).sort(byCodeUnit)) {
    const locale = locales[code];
    const meta = locale?.metadata;
    if (!meta?.title || !meta.language) continue; // faker's "base" locale: no language
    if (meta.script !== 'Latn') {
      leftOut.push({ code, reason: `script ${meta.script ?? 'unknown'}, not Latin` });
      continue;
    }
    const names = new Map<string, string>();
    for (const name of lastNames(locale?.person)) {
      if (!LATIN_NAME.test(name)) continue;
      const k = key(name);
      const seen = names.get(k);
      // Of two spellings that differ only in case, keep the smaller, so the result is stable.
      if (seen === undefined || byCodeUnit(name, seen) < 0) names.set(k, name);
    }
    if (names.size === 0) {
      leftOut.push({ code, reason: 'no surname list of its own' });
      continue;
    }
    candidates.push({ code, label: labelOf(meta.title), names });
  }

  // 2. Copies: a list equal to an earlier one, or contained in a larger one, adds nothing.
  const kept: Candidate[] = [];
  for (const c of candidates) {
    const original = candidates.find(
      (o) =>
        o !== c &&
        (o.names.size > c.names.size || (o.names.size === c.names.size && byCodeUnit(o.code, c.code) < 0)) &&
        [...c.names.keys()].every((k) => o.names.has(k)),
    );
    if (original) leftOut.push({ code: c.code, reason: `its surname list copies ${original.code}'s` });
    else kept.push(c);
  }

  // 3. Merge by label.
  const byLabel = new Map<string, { codes: string[]; names: Map<string, string> }>();
  for (const c of kept) {
    let entry = byLabel.get(c.label);
    if (!entry) byLabel.set(c.label, (entry = { codes: [], names: new Map() }));
    entry.codes.push(c.code);
    for (const [k, name] of c.names) {
      const seen = entry.names.get(k);
      if (seen === undefined || byCodeUnit(name, seen) < 0) entry.names.set(k, name);
    }
  }

  // 4. A surname under two labels says nothing about either.
  const labelCount = new Map<string, number>();
  for (const { names } of byLabel.values()) for (const k of names.keys()) labelCount.set(k, (labelCount.get(k) ?? 0) + 1);
  let ambiguousDropped = 0;
  for (const count of labelCount.values()) if (count > 1) ambiguousDropped++;

  // 5. Small classes out; then rows, sorted.
  const rows: SurnameRow[] = [];
  const labels: Record<string, string[]> = {};
  const smallClasses: Record<string, number> = {};
  for (const label of [...byLabel.keys()].sort(byCodeUnit)) {
    const entry = byLabel.get(label)!;
    const names = [...entry.names].filter(([k]) => labelCount.get(k) === 1).map(([, name]) => name);
    if (names.length < minPerClass) {
      smallClasses[label] = names.length;
      continue;
    }
    labels[label] = entry.codes;
    for (const surname of names.sort(byCodeUnit)) rows.push({ surname, country: label });
  }
  return { rows, report: { labels, leftOut, ambiguousDropped, smallClasses } };
}
