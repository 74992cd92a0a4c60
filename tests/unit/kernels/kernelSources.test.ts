// The committed kernel modules are what build.sh makes of the C sources beside them. build.sh
// writes build.sha256: the sha256 of its inputs (build.sh itself, so its flags, and every .c and
// .h in simd/) and of the four .wasm files it built from them. This recomputes both from the
// committed files, so a source or flag changed without `npm run build:kernels`, or a .wasm
// changed any other way, fails here. It needs no compiler (CI has none): the build is
// deterministic (`npm run build:kernels && git status` shows no change), so hashes suffice.
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const DIR = join(__dirname, '../../../engine/kernels/wasm/simd');
const MANIFEST = 'build.sha256';

/** What build.sh hashes in `dir`: its inputs, then the modules it writes. */
function builtFiles(dir: string): { inputs: string[]; modules: string[] } {
  const files = readdirSync(dir).sort();
  return { inputs: ['build.sh', ...files.filter((f) => /\.[ch]$/.test(f))], modules: files.filter((f) => f.endsWith('.wasm')) };
}

/** File name → sha256 as build.sha256 in `dir` records them (sha256sum's format, # comments). */
function recorded(dir: string): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const line of readFileSync(join(dir, MANIFEST), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m === null) throw new Error(`${MANIFEST}: not a sha256sum line: ${line}`);
    hashes.set(m[2] as string, m[1] as string);
  }
  return hashes;
}

/** Every way the files in `dir` differ from what build.sha256 recorded; empty when they match. */
function mismatches(dir: string): string[] {
  const want = recorded(dir);
  const { inputs, modules } = builtFiles(dir);
  const present = new Set([...inputs, ...modules]);
  const problems: string[] = [];
  for (const file of present) {
    const hash = want.get(file);
    if (hash === undefined) problems.push(`${file} is not in ${MANIFEST}`);
    else if (
      createHash('sha256')
        .update(readFileSync(join(dir, file)))
        .digest('hex') !== hash
    )
      problems.push(`${file} changed`);
  }
  for (const file of want.keys()) if (!present.has(file)) problems.push(`${file} is in ${MANIFEST} but missing`);
  return problems;
}

describe('the committed kernel modules', () => {
  it('were built by build.sh from the C sources and flags here', () => {
    expect(
      mismatches(DIR),
      `the .wasm files do not match their sources: run \`npm run build:kernels\` (clang-19, lld-19) and commit the .wasm files with ${MANIFEST}`,
    ).toEqual([]);
  });

  it(`${MANIFEST} records the inputs and the four modules`, () => {
    const { inputs, modules } = builtFiles(DIR);
    expect(inputs).toEqual(expect.arrayContaining(['build.sh', 'kernels.c', 'kernels.h', 'lstm.c']));
    expect(modules).toEqual(['kernels-relaxed.wasm', 'kernels-shared-relaxed.wasm', 'kernels-shared.wasm', 'kernels.wasm']);
  });

  // The check itself, on copies: each edit that should need a rebuild is caught.
  const copies: string[] = [];
  const copy = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'kernel-sources-'));
    copies.push(dir);
    cpSync(DIR, dir, { recursive: true });
    return dir;
  };
  afterAll(() => {
    for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  });

  it('fails when a source, a header, a flag or a module changes, or a source is added or removed', () => {
    const cases: [edit: (dir: string) => void, want: string[]][] = [
      [(d) => appendFileSync(join(d, 'kernels.c'), '\n'), ['kernels.c changed']],
      [(d) => appendFileSync(join(d, 'kernels.h'), '// x\n'), ['kernels.h changed']],
      [(d) => writeFileSync(join(d, 'build.sh'), readFileSync(join(d, 'build.sh'), 'utf8').replace('-O3', '-O2')), ['build.sh changed']],
      [(d) => appendFileSync(join(d, 'kernels-shared.wasm'), Buffer.from([0])), ['kernels-shared.wasm changed']],
      [(d) => writeFileSync(join(d, 'gelu.c'), 'void gelu(void) {}\n'), [`gelu.c is not in ${MANIFEST}`]],
      [(d) => rmSync(join(d, 'lstm.c')), [`lstm.c is in ${MANIFEST} but missing`]],
    ];
    for (const [edit, want] of cases) {
      const dir = copy();
      expect(mismatches(dir)).toEqual([]);
      edit(dir);
      expect(mismatches(dir)).toEqual(want);
    }
  });
});
