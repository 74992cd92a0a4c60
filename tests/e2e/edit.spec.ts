import { expect, test } from '@playwright/test';
import { AppPage } from './pages/AppPage';

test('a Dropout dragged in between Flatten and Output gets valid shapes; undo takes it back', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const flattenShape = await app.wire('flatten', 'output').innerText();

  // Make room, then drop a Dropout from the palette onto the empty canvas.
  await app.dragBlock('Dropout', { x: 430, y: 390 });
  const dropout = app.node('dropout1');
  await expect(dropout).toBeVisible();
  await expect(app.inspector.getByTestId('param-rate')).toBeVisible();

  await app.deleteWire('flatten', 'output');
  await expect(app.statusProblems).toHaveText(/problem/);
  await app.connect('flatten', 'dropout1');
  await app.connect('dropout1', 'output');

  await expect(app.wire('flatten', 'dropout1')).toHaveText(flattenShape);
  await expect(app.wire('dropout1', 'output')).toHaveText(flattenShape);
  await expect(app.wire('dropout1', 'output')).toHaveAttribute('data-state', 'ok');
  await expect(app.statusProblems).toHaveText(/valid/);
  await expect(page.getByTestId('dirty-marker')).toBeVisible();
  await expect(page).toHaveTitle(/^• /);

  // The inspector edits the selected block; an invalid value is refused inline.
  await dropout.click();
  const rate = app.inspector.getByTestId('param-rate');
  await rate.fill('1.5');
  await expect(app.inspector.locator('.field-error')).toBeVisible();
  await rate.fill('0.3');
  await expect(app.inspector.locator('.field-error')).toHaveCount(0);
  await expect(dropout).toContainText('rate 0.3');
  await app.screenshot('02-dropout-wired');

  // Undo walks back through the edits (rate, wires, delete, add), redo forward again.
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await expect(dropout).toContainText('rate 0.5');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Control+z');
  await expect(app.node('dropout1')).toHaveCount(0);
  await expect(app.wire('flatten', 'output')).toHaveText(flattenShape);
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(app.node('dropout1')).toBeVisible();
  expect(app.pageErrors).toEqual([]);
});

test('a wrong wire is refused with its reason, and a wrong param is refused in the inspector', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();

  // Input straight into Output: a sequence where Output needs a flat vector. Output's one input
  // is taken by Flatten's wire, which stays.
  await app.deleteWire('flatten', 'output');
  await app.connect('chars', 'output');
  await expect(page.getByTestId('wire-refusal')).toContainText(/flat vector/);
  await expect(app.wire('chars', 'output')).toHaveCount(0);
  await app.connect('flatten', 'output');
  await expect(app.wire('flatten', 'output')).toHaveAttribute('data-state', 'ok');
  await expect(app.statusProblems).toHaveText(/valid/);

  // A param out of range is refused in the inspector, and the document keeps its good value.
  await app.node('conv1').click();
  const filters = app.inspector.getByTestId('param-filters');
  await filters.fill('0');
  await expect(app.inspector.locator('.field-error')).toContainText(/at least 1/);
  await expect(app.wire('conv1', 'conv2')).toHaveText(/, 256\]$/);
  await filters.fill('128');
  await expect(app.wire('conv1', 'conv2')).toHaveText(/, 128\]$/);

  await app.screenshot('03-wrong-wire');
  expect(app.pageErrors).toEqual([]);
});

test('moving a block is one undo step; duplicate and delete work from the keyboard', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const before = await app.node('output').boundingBox();
  await app.moveNode('output', { x: 160, y: 20 });
  const after = await app.node('output').boundingBox();
  expect(after!.x - before!.x).toBeGreaterThan(100);

  await page.keyboard.press('Control+z');
  await expect.poll(async () => Math.round((await app.node('output').boundingBox())!.x)).toBe(Math.round(before!.x));
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);

  await app.node('conv4').click();
  await page.keyboard.press('Control+d');
  await expect(app.node('conv1d1')).toBeVisible();
  await expect(app.nodes()).toHaveCount(8);
  await page.keyboard.press('Backspace');
  await expect(app.nodes()).toHaveCount(7);
});

test('copy, paste and rename a block; its wires follow the new id', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.node('flatten').click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(app.node('flatten1')).toBeVisible();

  await app.node('conv4').click();
  const id = app.inspector.getByTestId('node-id');
  await id.fill('conv2');
  await id.press('Enter');
  await expect(app.inspector.getByRole('alert')).toContainText(/already/);
  await id.fill('last_conv');
  await id.press('Enter');
  await expect(app.node('last_conv')).toBeVisible();
  await expect(app.wire('conv3', 'last_conv')).toHaveText(/^\[null, \d+, 256\]$/);
  await expect(app.wire('last_conv', 'flatten')).toHaveText(/^\[null, \d+, 256\]$/);
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+z');
  await expect(app.node('conv4')).toBeVisible();
});
