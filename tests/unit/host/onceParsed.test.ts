/**
 * One `modelwright train` parses its Document once: the CLI parses the file, applies its
 * overrides to the parsed Document, and hands that on; the worker gets the parsed Document
 * (checked once at the process boundary by its message schema) and the compiler the analysis.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as load from '../../../engine/graph/load';
import { main } from '../../../engine/host/cli';
import { nodeSpawner } from '../../../engine/host/nodeSpawner';
import { buildBundles } from './buildBundles';
import { tinyProject } from './fixtures';

vi.mock('../../../engine/graph/load', async (original) => {
  const real = await original<typeof import('../../../engine/graph/load')>();
  return { ...real, parseDocument: vi.fn(real.parseDocument) };
});

let worker = '';
beforeAll(async () => {
  worker = join(await buildBundles('once'), 'worker.cjs');
});

describe('modelwright train', () => {
  it('parses its document once, overrides included', async () => {
    const p = tinyProject();
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.mocked(load.parseDocument).mockClear();
    let code: number;
    try {
      code = await main(
        ['train', p.doc, '--data', p.csv, '--text', 'surname', '--epochs', '1', '--json', '--runs-dir', mkdtempSync(join(tmpdir(), 'mw-runs-'))],
        {
          spawn: nodeSpawner(worker),
        },
      );
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    expect(code).toBe(0);
    expect(vi.mocked(load.parseDocument)).toHaveBeenCalledTimes(1);
  });
});
