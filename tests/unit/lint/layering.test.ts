// The layering rules of DESIGN.md are enforced by eslint.config.mjs; this proves the rule fires
// (and stays quiet on allowed imports), so a refactor of the config cannot silently drop it.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('engine layering', () => {
  it.each(['electron', 'react', '@xyflow/react', 'react-dom/client'])('engine/ may not import %s', async (pkg) => {
    const messages = await restricted(`import * as x from '${pkg}';\nexport const y = x;\n`, 'engine/graph/probe.ts');
    expect(messages.join('\n')).toMatch(/engine\/ is pure/);
  });

  it('only engine/host touches the file system', async () => {
    expect(await restricted(`import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n`, 'engine/data/probe.ts')).toHaveLength(1);
    expect(await restricted(`import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n`, 'engine/host/probe.ts')).toHaveLength(0);
  });

  it.each([
    'engine/train/probe.ts',
    'engine/graph/probe.ts',
    'engine/data/probe.ts',
    'engine/compile/probe.ts',
    'engine/blocks/probe.ts',
    'engine/kernels/wasm/probe.ts',
  ])('the contract is the roof: %s may not import engine/api.ts', async (file) => {
    const depth = file.split('/').length - 2;
    const api = `${'../'.repeat(depth)}api`;
    expect((await restricted(`import type { TrainEvent } from '${api}';\nexport type T = TrainEvent;\n`, file)).join('\n')).toMatch(/api\.ts is the roof/);
  });

  it('hosts may import the contract', async () => {
    expect(await restricted(`import type { TrainEvent } from '../api';\nexport type T = TrainEvent;\n`, 'engine/host/probe.ts')).toHaveLength(0);
    expect(await restricted(`import type { TrainEvent } from '../../engine/api';\nexport type T = TrainEvent;\n`, 'renderer/state/probe.ts')).toHaveLength(0);
  });

  it('the engine may use the DOM-free globals and zod', async () => {
    expect(await restricted(`import { z } from 'zod';\nexport const s = z.string();\n`, 'engine/graph/probe.ts')).toHaveLength(0);
  });

  it('the renderer may not reach tfjs or Node', async () => {
    expect(await restricted(`import * as tf from '@tensorflow/tfjs-core';\nexport const t = tf;\n`, 'renderer/probe.tsx')).toHaveLength(1);
    expect(await restricted(`import fs from 'node:fs';\nexport const f = fs;\n`, 'renderer/probe.tsx')).toHaveLength(1);
  });
});
