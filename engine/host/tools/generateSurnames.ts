/**
 * Writes assets/datasets/surnames.csv and SURNAMES-LICENSE.md from @faker-js/faker's locale data
 * (a devDependency; the app ships only the CSV). The rules live in engine/data/surnames.ts.
 * Run from the repository root:
 *
 *   npx esbuild engine/host/tools/generateSurnames.ts --bundle --platform=node --format=esm \
 *     --outfile=/tmp/generate-surnames.mjs && node /tmp/generate-surnames.mjs
 */
import { allLocales } from '@faker-js/faker';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCsv } from '../../data/csv';
import { deriveSurnames, type LocaleLike } from '../../data/surnames';
import { surnamesLicenseText } from '../../data/surnamesLicense';

const root = process.cwd();
const outDir = join(root, 'assets', 'datasets');
if (!existsSync(outDir)) throw new Error(`run this from the repository root (no ${outDir})`);

const fakerDir = join(root, 'node_modules', '@faker-js', 'faker');
const fakerVersion = (JSON.parse(readFileSync(join(fakerDir, 'package.json'), 'utf8')) as { version: string }).version;
const fakerLicense = readFileSync(join(fakerDir, 'LICENSE'), 'utf8');

const { rows, report } = deriveSurnames(allLocales as unknown as Record<string, LocaleLike>);
writeAtomic(
  join(outDir, 'surnames.csv'),
  formatCsv(
    ['surname', 'country'],
    rows.map((r) => [r.surname, r.country]),
  ),
);
writeAtomic(join(outDir, 'SURNAMES-LICENSE.md'), surnamesLicenseText(rows, report, fakerVersion, fakerLicense));
console.log(`surnames.csv: ${rows.length} rows, ${Object.keys(report.labels).length} classes`);
for (const [label, codes] of Object.entries(report.labels)) console.log(`  ${label}: ${codes.join(', ')}`);

function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}
