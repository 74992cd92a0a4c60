/**
 * The desktop-app behaviour of the UI, in the web host: autosave to the host's data folder and
 * recovery after the page is killed, the close guard, Revert, drop-to-open, and the one command
 * table behind the File menu, the keys and the shortcuts help.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { e2eDataDir } from './env';
import { AppPage } from './pages/AppPage';

// The download/<input type=file> paths, as in files.spec.ts: what a test can drive end to end.
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    for (const name of ['showOpenFilePicker', 'showSaveFilePicker']) Object.defineProperty(window, name, { value: undefined, configurable: true });
  });
});

const autosaveDir = () => join(e2eDataDir(), 'autosave');

/** The autosave files in the host's data folder that hold a document named `name`. */
function autosavesOf(name: string): { file: string; savedAt: string; text: string }[] {
  let files: string[];
  try {
    files = readdirSync(autosaveDir());
  } catch {
    return [];
  }
  return files
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: f, ...(JSON.parse(readFileSync(join(autosaveDir(), f), 'utf8')) as { savedAt: string; text: string }) }))
    .filter((e) => (JSON.parse(e.text) as { name: string }).name === name);
}

async function renameModel(page: Page, name: string): Promise<void> {
  const field = page.locator('.doc-name');
  await field.fill(name);
  await field.press('Enter');
  await expect(page.getByTestId('dirty-marker')).toBeVisible();
}

test('unsaved work is autosaved to the host, and offered back with its time after the page is killed', async ({ page, context }) => {
  const app = new AppPage(page);
  await app.open();
  const name = `Recovered model ${Date.now()}`;
  await renameModel(page, name);
  await app.setTraining('epochs', '7');
  // Written within a few seconds, to the host's data folder, never to a user's file.
  await expect.poll(() => autosavesOf(name).length, { timeout: 15_000 }).toBe(1);
  await expect.poll(() => (JSON.parse(autosavesOf(name)[0]?.text ?? '{}') as { training?: { epochs?: number } }).training?.epochs, { timeout: 15_000 }).toBe(7);

  // Killed: no beforeunload, no goodbye.
  await page.close({ runBeforeUnload: false });

  const next = await context.newPage();
  const again = new AppPage(next);
  await again.open();
  await next.getByTestId('recovery-button').click();
  const item = next.getByTestId('recovery-item').filter({ hasText: name });
  await expect(item).toHaveCount(1);
  const savedAt = new Date(autosavesOf(name)[0]!.savedAt);
  await expect(item.getByTestId('recovery-time')).toContainText(String(savedAt.getFullYear()));
  await again.screenshot('shell-recovery');
  await item.getByTestId('recovery-restore').click();

  await expect(next.locator('.doc-name')).toHaveValue(name);
  await expect(next.getByTestId('dirty-marker')).toBeVisible();
  await expect(next).toHaveTitle(/^• /);
  await again.tab('training');
  await expect(again.inspector.getByTestId('training-epochs')).toHaveValue('7');
  // Restored, the old slot is gone; this page autosaves the document in a slot of its own.
  await expect.poll(() => autosavesOf(name).length, { timeout: 15_000 }).toBe(1);
  expect(autosavesOf(name)[0]!.savedAt).not.toBe(savedAt.toISOString());
});

test('a saved document leaves no autosave, and a clean page closes without asking', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const name = `Saved model ${Date.now()}`;
  await renameModel(page, name);
  await expect.poll(() => autosavesOf(name).length, { timeout: 15_000 }).toBe(1);
  const download = page.waitForEvent('download');
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+s');
  await download;
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  await expect.poll(() => autosavesOf(name).length, { timeout: 15_000 }).toBe(0);

  let asked = false;
  page.on('dialog', (d) => {
    asked = true;
    void d.accept();
  });
  await page.close({ runBeforeUnload: true });
  expect(asked).toBe(false);
});

test('closing the tab with unsaved changes asks first', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await renameModel(page, `Guarded ${Date.now()}`);
  const dialog = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.type()))));
  await page.close({ runBeforeUnload: true });
  expect(await dialog).toBe('beforeunload');
  // Dismissed: the page and its work are still there.
  expect(page.isClosed()).toBe(false);
  await expect(page.locator('.doc-name')).toHaveValue(/Guarded/);
});

test('Revert goes back to the version last saved, after asking', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.setTraining('epochs', '3');
  const download = page.waitForEvent('download');
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+s');
  await download;
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);

  await app.setTraining('epochs', '9');
  await app.node('conv1').click();
  await page.keyboard.press('Delete');
  await expect(app.nodes()).toHaveCount(6);

  await page.getByTestId('file-menu').click();
  await page.getByTestId('menu-file.revert').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Revert');
  await page.getByTestId('confirm-ok').click();
  await expect(app.nodes()).toHaveCount(7);
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  await app.tab('training');
  await expect(app.inspector.getByTestId('training-epochs')).toHaveValue('3');
});

/** Drops a file on the canvas the way a file manager does: a real DataTransfer with a File in it. */
async function dropFile(page: Page, name: string, text: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ([n, t]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], n, { type: 'application/json' }));
      return dt;
    },
    [name, text] as const,
  );
  await page.getByTestId('canvas').dispatchEvent('dragover', { dataTransfer: transfer });
  await page.getByTestId('canvas').dispatchEvent('drop', { dataTransfer: transfer });
}

test('a document dropped on the window opens, asking first about unsaved changes; a bad one says why', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const example = JSON.parse(readFileSync(join(__dirname, '..', '..', 'assets', 'examples', 'surname-mlp.json'), 'utf8')) as { name: string };

  await renameModel(page, 'Work in progress');
  await dropFile(page, 'dropped.modelwright', JSON.stringify({ ...example, name: 'Dropped MLP' }));
  await expect(page.getByTestId('unsaved-dialog')).toBeVisible();
  await page.getByTestId('unsaved-cancel').click();
  await expect(page.locator('.doc-name')).toHaveValue('Work in progress');

  await dropFile(page, 'dropped.modelwright', JSON.stringify({ ...example, name: 'Dropped MLP' }));
  await page.getByTestId('unsaved-discard').click();
  await expect(page.getByTestId('file-name')).toHaveText('dropped.modelwright');
  await expect(page.locator('.doc-name')).toHaveValue('Dropped MLP');
  await expect(app.node('hidden')).toBeVisible();

  await dropFile(page, 'broken.modelwright', '{"format": "modelwright", "schemaVersion": 1, "graph": ');
  await expect(page.getByTestId('notice-error')).toContainText('broken.modelwright');
  await expect(page.locator('.doc-name')).toHaveValue('Dropped MLP');

  await dropFile(page, 'table.csv', 'a,b\n1,2\n');
  await expect(page.getByTestId('notice-error').last()).toContainText(/table\.csv is not a Modelwright document/);
});

test('one command table: the File menu, the keys and the shortcuts help agree, and Stop has a key', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByTestId('file-menu').click();
  for (const id of ['file.new', 'file.open', 'file.save', 'file.saveAs', 'file.revert', 'file.exportJson', 'file.exportOnnx']) {
    await expect(page.getByTestId(`menu-${id}`)).toBeVisible();
  }
  await expect(page.getByTestId('menu-file.save')).toContainText('Ctrl+S');
  await expect(page.getByTestId('menu-file.revert')).toBeDisabled();
  await expect(page.getByTestId('recent-files')).toContainText('No recent files');
  await app.screenshot('shell-file-menu');
  await page.keyboard.press('Escape');

  // Export graph as JSON, by its key: the same document, as .json, and the open one stays as it is.
  const download = page.waitForEvent('download');
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+Shift+E');
  const saved = await download;
  expect(saved.suggestedFilename()).toBe('surname-cnn.json');
  expect((JSON.parse(readFileSync(await saved.path(), 'utf8')) as { format: string }).format).toBe('modelwright');
  await expect(page.getByTestId('file-name')).toHaveText('surname-cnn.modelwright');

  await page.keyboard.press('?');
  const help = page.getByTestId('shortcuts-help');
  await expect(help).toBeVisible();
  await expect(help.getByTestId('shortcut-run.stop')).toContainText('Ctrl+.');
  await expect(help.getByTestId('shortcut-run.train')).toContainText('Ctrl+Enter');
  await expect(help.getByTestId('shortcut-file.saveAs')).toContainText('Ctrl+Shift+S');
  await expect(help.getByTestId('shortcut-edit.redo')).toContainText('Ctrl+Y');
  await app.screenshot('shell-shortcuts');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  // Train by its key, Stop by its key.
  await app.setTraining('epochs', '50');
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+Enter');
  await expect(app.stopButton).toBeEnabled({ timeout: 30_000 });
  await page.keyboard.press('Control+.');
  await expect(app.runStatus).toHaveText(/Stopped/, { timeout: 60_000 });
});
