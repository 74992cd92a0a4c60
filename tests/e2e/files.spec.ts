import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { AppPage } from './pages/AppPage';

// Without the File System Access API (Firefox, Safari), the web UI saves through a download and
// opens through <input type=file>; those are the paths a test can drive end to end.
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    for (const name of ['showOpenFilePicker', 'showSaveFilePicker']) Object.defineProperty(window, name, { value: undefined, configurable: true });
  });
});

test('saves the document as a file, clears the unsaved marker, and opens a file again', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.setTraining('epochs', '3');
  await expect(page.getByTestId('dirty-marker')).toBeVisible();

  const download = page.waitForEvent('download');
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+s');
  const saved = await download;
  expect(saved.suggestedFilename()).toBe('surname-cnn.modelwright');
  const text = readFileSync(await saved.path(), 'utf8');
  const doc = JSON.parse(text) as { format: string; training: { epochs: number }; graph: { nodes: { id: string }[] } };
  expect(doc.format).toBe('modelwright');
  expect(doc.training.epochs).toBe(3);
  expect(doc.graph.nodes.map((n) => n.id)).toContain('conv4');
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  await expect(page).toHaveTitle(/^surname-cnn\.modelwright — Modelwright$/);

  // Open it back under another name, with one block fewer.
  doc.graph.nodes = doc.graph.nodes.filter((n) => n.id !== 'conv4');
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Control+o');
  await (
    await chooser
  ).setFiles({ name: 'smaller.modelwright', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...doc, name: 'Smaller' })) });
  await expect(page.getByTestId('file-name')).toHaveText('smaller.modelwright');
  await expect(page.locator('.doc-name')).toHaveValue('Smaller');
  await expect(app.node('conv4')).toHaveCount(0);
  // conv3 now has no wire onward: the problem is shown, not thrown.
  await expect(app.statusProblems).toHaveText(/problem/);
});

test('a file that is not a Modelwright document gets one clear error and changes nothing', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('open-button').click();
  await (await chooser).setFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "something-else"}') });
  await expect(page.getByTestId('notice-error')).toContainText(/Could not open notes\.json: Not a Modelwright document/);
  await expect(page.getByTestId('file-name')).toHaveText('surname-cnn.modelwright');
  await expect(app.nodes()).toHaveCount(7);
});

test('asks before an example replaces unsaved changes', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.node('conv1').click();
  await page.keyboard.press('Delete');
  await expect(app.nodes()).toHaveCount(6);

  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-surname-mlp.json').click();
  await expect(page.getByTestId('unsaved-dialog')).toBeVisible();
  await page.getByTestId('unsaved-cancel').click();
  await expect(app.nodes()).toHaveCount(6);

  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-surname-mlp.json').click();
  await page.getByTestId('unsaved-discard').click();
  await expect(page.getByTestId('file-name')).toHaveText('surname-mlp.modelwright');
  await expect(app.node('hidden')).toBeVisible();
  await expect(app.statusProblems).toHaveText(/valid/);
});

test('a blank model starts empty and says what to do', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByTestId('examples-button').click();
  await page.getByTestId('new-document').click();
  await expect(app.nodes()).toHaveCount(0);
  await expect(page.locator('.canvas-empty')).toContainText(/Drag blocks/);
  await expect(page.getByTestId('file-name')).toHaveText('untitled.modelwright');
  await expect(app.statusProblems).toHaveText(/problem/);
  await page.getByTestId('palette-item-Input').click();
  await expect(app.node('input1')).toBeVisible();
});
