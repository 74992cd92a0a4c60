/**
 * Where the end-to-end tests find the web host. playwright.config.ts starts it (a fresh runs
 * folder per test run, a known token); the page objects open the URL it prints.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const E2E_PORT = Number(process.env.MW_E2E_PORT ?? 41731);
export const E2E_TOKEN = process.env.MW_E2E_TOKEN ?? 'e2e-token-0123456789abcdef';
export const E2E_URL = `http://127.0.0.1:${E2E_PORT}/?token=${E2E_TOKEN}`;

/**
 * The runs folder of this test run: made once by the Playwright runner and handed to its workers
 * through the environment, so every process of one run agrees and no run reuses another's.
 */
export function e2eRunsDir(): string {
  process.env.MW_E2E_RUNS_DIR ??= mkdtempSync(join(tmpdir(), 'modelwright-e2e-runs-'));
  return process.env.MW_E2E_RUNS_DIR;
}

/** The web host's data folder (autosaves) of this test run, made like the runs folder. */
export function e2eDataDir(): string {
  process.env.MW_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'modelwright-e2e-data-'));
  return process.env.MW_E2E_DATA_DIR;
}
