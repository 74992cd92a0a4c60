/**
 * Documents named on a command line: what Windows and Linux pass when the user double-clicks a
 * `.modelwright` file or picks "Open with" (the first instance's argv, or a second instance's,
 * handed over by `second-instance`). Flags (and their values) and the app's own path are skipped.
 */
import { isAbsolute, resolve } from 'node:path';

const DOCUMENT = /\.(modelwright|json)$/i;
/** Our flags that take a value, so the value is not read as a document. */
const VALUE_FLAGS = new Set(['--runs-dir', '--data-dir']);

export function documentPathsFromArgv(argv: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (VALUE_FLAGS.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-') || !DOCUMENT.test(arg)) continue;
    // package.json is the app's own manifest when started as `electron .`; a document never has that name.
    if (/(^|[\\/])package\.json$/i.test(arg)) continue;
    out.push(isAbsolute(arg) ? arg : resolve(cwd, arg));
  }
  return out;
}
