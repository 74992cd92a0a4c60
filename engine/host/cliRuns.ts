/**
 * `modelwright runs [--runs-dir DIR] [--json]`: every run in the runs folder, newest first, as
 * the app's runs panel lists them (RunsIndex): a table, or with --json one object a line (the
 * run's summary and its folder).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatRuns } from './cliFormat';
import { defaultRunsDir } from './paths';
import { RunsIndex } from './runsIndex';

export interface RunsCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs the command; the exit code. Bad options throw parseArgs's errors (the CLI says them as usage errors). */
export async function runsCommand(args: string[], io: RunsCommandIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, 'runs-dir': { type: 'string' } }, allowPositionals: false });
  const runsDir = resolve(values['runs-dir'] ?? defaultRunsDir());
  const runs = await new RunsIndex({ runsDir }).list();
  if (values.json === true) {
    for (const r of runs) io.out(JSON.stringify({ ...r, runDir: join(runsDir, r.runId) }));
    return 0;
  }
  if (runs.length === 0) {
    io.err(`No runs in ${runsDir} yet: train one with \`modelwright train FILE\`.`);
    return 0;
  }
  io.out(formatRuns(runs));
  io.out(`\n${runs.length} run${runs.length === 1 ? '' : 's'} in ${runsDir}`);
  return 0;
}
