/**
 * The provenance and license file that ships next to assets/datasets/surnames.csv. Pure, so the
 * test can check the committed file against what the generator would write.
 */
import type { SurnameReport, SurnameRow } from './surnames';

/** The text of SURNAMES-LICENSE.md for a derivation from faker `fakerVersion`, whose LICENSE file reads `fakerLicense`. */
export function surnamesLicenseText(rows: readonly SurnameRow[], report: SurnameReport, fakerVersion: string, fakerLicense: string): string {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.country, (counts.get(r.country) ?? 0) + 1);
  const table = Object.entries(report.labels)
    .map(([label, codes]) => `| ${label} | ${counts.get(label) ?? 0} | ${codes.join(', ')} |`)
    .join('\n');
  const leftOut = report.leftOut.map((l) => `- \`${l.code}\`: ${l.reason}`).join('\n');
  const small = Object.entries(report.smallClasses)
    .map(([label, n]) => `- ${label}: ${n} names`)
    .join('\n');
  return `# surnames.csv — where it comes from

\`surnames.csv\` (columns \`surname,country\`, ${rows.length} rows, ${Object.keys(report.labels).length} classes) is derived
from the locale data of [@faker-js/faker](https://github.com/faker-js/faker) ${fakerVersion} by
\`engine/host/tools/generateSurnames.ts\` (rules in \`engine/data/surnames.ts\`):

1. Latin-script locales only, so the task is spelling, not alphabet; names with characters outside
   the Latin script are left out.
2. A locale whose surname list copies another's (equal, or contained in a larger list) is left out.
3. Locales of one language are merged under the language's name (de, de_AT, de_CH → German).
   The \`country\` column therefore holds a language name.
4. A surname found under two labels is dropped from both (${report.ambiguousDropped} names, compared
   case-insensitively).
5. Classes with fewer than 50 names are left out.

Rows are sorted by class, then surname, in Unicode code-unit order. Regenerate with:

\`\`\`
npx esbuild engine/host/tools/generateSurnames.ts --bundle --platform=node --format=esm --outfile=/tmp/generate-surnames.mjs && node /tmp/generate-surnames.mjs
\`\`\`

## Classes

| class | names | faker locales |
| --- | --- | --- |
${table}

## Left out

${leftOut}
${small === '' ? '' : `\nClasses under 50 names:\n\n${small}\n`}
## License

The surname lists are from faker's locale definitions. faker's license, verbatim from the
package (MIT):

\`\`\`
${fakerLicense.trim()}
\`\`\`
`;
}
