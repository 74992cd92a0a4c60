import { expect, test } from '@playwright/test';
import { AppPage } from './pages/AppPage';

test('the surname CNN example opens with a shape on every wire', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();

  await expect(app.nodes()).toHaveCount(7);
  for (const id of ['chars', 'conv1', 'conv2', 'conv3', 'conv4', 'flatten', 'output']) await expect(app.node(id)).toBeVisible();

  // Keras-style shapes, batch axis first; strides 1, 2, 2, 1 shorten the sequence.
  const shape = /^\[null, \d+, \d+\]$/;
  await expect(app.wire('chars', 'conv1')).toHaveText(shape);
  await expect(app.wire('conv1', 'conv2')).toHaveText(/^\[null, \d+, 256\]$/);
  await expect(app.wire('conv4', 'flatten')).toHaveText(/^\[null, \d+, 256\]$/);
  await expect(app.wire('flatten', 'output')).toHaveText(/^\[null, \d+\]$/);
  await expect(page.locator('.edge-label[data-state="bad"]')).toHaveCount(0);
  const [length, channels] = (await app.wire('chars', 'conv1').innerText()).match(/\d+/g)!.map(Number) as [number, number];
  await expect(app.wire('conv1', 'conv2')).toHaveText(`[null, ${length - 2}, 256]`);
  expect(channels).toBeGreaterThan(20);

  // The output has one unit per class of the data, which the Data tab summarises.
  await app.tab('data');
  const classes = Number(await page.getByTestId('data-classes').innerText());
  expect(classes).toBeGreaterThan(5);
  await expect(app.nodeShape('output')).toHaveText(`[null, ${classes}]`);

  // The model summary counts parameters.
  await app.tab('model');
  await expect(page.getByTestId('total-params')).not.toHaveText('0');

  // Selecting a block shows its generated form.
  await app.node('conv2').click();
  await app.tab('block');
  await expect(app.inspector.getByTestId('param-filters')).toHaveValue('256');
  await expect(app.inspector.getByTestId('param-padding')).toBeVisible();

  await expect(page.getByTestId('backend')).toContainText(/Backend: (wasm|cpu|tensorflow)/);
  await expect(page).toHaveTitle(/Modelwright/);
  await app.screenshot('01-example-loaded');
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});
