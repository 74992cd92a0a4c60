/** `modelwright train` when its training process is killed mid-epoch: it says so, and exits 4. */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../engine/host/cli';
import { nodeSpawner } from '../../../engine/host/nodeSpawner';
import type { Spawner } from '../../../engine/host/runManager';
import { buildBundles } from './buildBundles';
import { tinyCsv, tinyProject } from './fixtures';

let worker = '';
beforeAll(async () => {
  worker = join(await buildBundles('cli-crash'), 'worker.cjs');
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The real worker, SIGKILLed when it reports its first batch of epoch 2. */
function killedInEpoch2(): Spawner {
  const base = nodeSpawner(worker);
  return () => {
    const handle = base();
    let killed = false;
    handle.onMessage((m) => {
      if (!killed && m.kind === 'event' && m.event.type === 'batch' && m.event.epoch === 2) {
        killed = true;
        handle.kill();
      }
    });
    return handle;
  };
}

function capture(): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  return { out: () => out, err: () => err };
}

describe('modelwright train, crashed', () => {
  it('says the run crashed, where, and what was saved; exit code 4; run.json says crashed', async () => {
    const p = tinyProject();
    writeFileSync(p.csv, tinyCsv(2400));
    const runsDir = mkdtempSync(join(tmpdir(), 'mw-cli-crash-'));
    const io = capture();
    const code = await main(['train', p.doc, '--data', p.csv, '--epochs', '50', '--runs-dir', runsDir], { spawn: killedInEpoch2() });
    vi.restoreAllMocks();
    expect(code).toBe(4);
    expect(io.err()).toMatch(
      /crashed: The training process ended unexpectedly at epoch 2, batch \d+ of 90: it was killed \(SIGKILL\)\. It may have run out of memory.* The last complete checkpoint is of epoch 1\./,
    );
    const folders = readdirSync(runsDir);
    expect(folders).toHaveLength(1);
    const runDir = join(runsDir, folders[0]!);
    expect(io.err()).toContain(`The run's folder keeps what it saved: ${runDir}`);
    expect(io.out()).toMatch(/^\s*1\b/m); // epoch 1's row was printed before the crash
    const info = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as {
      outcome: { reason: string; crash: { lastEpoch: number; lastBatch: { epoch: number } } };
    };
    expect(info.outcome).toMatchObject({ reason: 'crashed', crash: { lastEpoch: 1, lastBatch: { epoch: 2 } } });
  });

  it('with --json, the last line is the error event with its crash report', async () => {
    const p = tinyProject();
    writeFileSync(p.csv, tinyCsv(2400));
    const io = capture();
    const code = await main(['train', p.doc, '--data', p.csv, '--epochs', '50', '--runs-dir', mkdtempSync(join(tmpdir(), 'mw-cli-crash-')), '--json'], {
      spawn: killedInEpoch2(),
    });
    vi.restoreAllMocks();
    expect(code).toBe(4);
    const last = JSON.parse(io.out().trim().split('\n').at(-1)!) as { type: string; crash: { signal: string; checkpointEpoch: number } };
    expect(last).toMatchObject({ type: 'error', crash: { signal: 'SIGKILL', checkpointEpoch: 1 } });
  });
});
