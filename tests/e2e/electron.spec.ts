/**
 * The desktop shell itself, through Playwright's Electron driver. Runs wherever the Electron
 * binary is installed (`npm ci` downloads it unless ELECTRON_SKIP_BINARY_DOWNLOAD=1); where it is
 * not, the spec says so and skips, it does not pretend to pass.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_METHODS } from '../../engine/api';

function electronBinary(): string | null {
  try {
    const path = createRequire(__filename)('electron') as unknown as string;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const SKIP_REASON =
  'No Electron binary is installed here (ELECTRON_SKIP_BINARY_DOWNLOAD=1, or no download possible): the desktop shell was NOT tested in this run.';
if (!binary) console.warn(`electron.spec.ts: SKIPPED. ${SKIP_REASON}`);

test.describe('desktop app (Electron)', () => {
  test.skip(!binary, SKIP_REASON);

  test('opens the surname CNN in a sandboxed, isolated window and exposes only the contract', async () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'modelwright-electron-runs-'));
    const app = await electron.launch({
      executablePath: binary!,
      args: ['dist/electron/main.cjs', '--runs-dir', runsDir, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    });
    try {
      const window = await app.firstWindow();
      await expect(window.locator('.react-flow__node').first()).toBeVisible({ timeout: 30_000 });
      await expect(window.locator('[data-testid="train-button"]')).toBeVisible();
      // No Node in the page; the bridge is named functions only.
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      const exposed = await window.evaluate(() => Object.keys((window as unknown as { modelwright: object }).modelwright).sort());
      // Every call of the contract, its two event subscriptions and the desktop's own dialogs; nothing else.
      expect(exposed).toEqual([...ENGINE_METHODS, 'onTrainEvent', 'onTuneEvent', 'openDocument', 'pickFile', 'saveDocument'].sort());
      // The main process's own record of the window's security settings.
      const secure = await app.evaluate(({ BrowserWindow }) => {
        const contents = BrowserWindow.getAllWindows()[0]!.webContents;
        return contents.getURL().startsWith('file://');
      });
      expect(secure).toBe(true);
      await window.screenshot({ path: 'tests/e2e/screenshots/electron-window.png' });
    } finally {
      await app.close();
    }
  });
});
