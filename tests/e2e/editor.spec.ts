import { expect, test } from '@playwright/test';
import { EditorPage } from './pages/editor';

const SURNAME_CNN_WIRES = ['chars->conv1', 'conv1->conv2', 'conv2->conv3', 'conv3->conv4', 'conv4->flatten', 'flatten->output'];

test('a wire that closes a loop is refused at the pointer, and no wire is lost', async ({ page }) => {
  const app = new EditorPage(page);
  await app.open();
  expect(await app.wireList()).toEqual(SURNAME_CNN_WIRES);

  // The wire of the bug report: conv3's output back into conv1, which chars already feeds.
  const release = await app.holdWire('conv3', 'conv1');
  await expect(app.liveRefusal).toContainText(/loop/);
  await app.screenshot('editor-01-cycle-refused-live');
  await release();
  await expect(app.refusal).toContainText(/loop: “conv1” already feeds “conv3”/);
  await expect(app.refusal).toContainText(/one way/);
  expect(await app.wireList()).toEqual(SURNAME_CNN_WIRES);
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);

  // An input that takes one wire and has it: refused, naming the wire that is there.
  await app.connect('chars', 'conv3');
  await expect(app.refusal).toContainText(/“conv3” already takes its input from “conv2”/);
  expect(await app.wireList()).toEqual(SURNAME_CNN_WIRES);

  // Shapes that cannot meet: a sequence straight into the Output. Free its input first.
  await app.deleteWire('flatten', 'output');
  await app.connect('conv4', 'output');
  await expect(app.refusal).toContainText(/flat vector/);
  await app.screenshot('editor-02-shape-refused');
  expect(await app.wireList()).toEqual(SURNAME_CNN_WIRES.filter((w) => w !== 'flatten->output'));

  // The right wire is taken.
  await app.connect('flatten', 'output');
  await expect(app.wire('flatten', 'output')).toHaveAttribute('data-state', 'ok');
  expect(await app.wireList()).toEqual(SURNAME_CNN_WIRES);
  await expect(app.statusProblems).toHaveText(/valid/);
  expect(app.pageErrors).toEqual([]);
});

test('shift- and ctrl-click add to the selection; select all; a double-click places a searched block at the pointer', async ({ page }) => {
  const app = new EditorPage(page);
  await app.open();
  await app.node('conv1').locator('.block-head').click();
  await app.clickWith('conv2', 'Shift');
  await app.clickWith('conv3', 'Control');
  await expect(app.selectedNodes).toHaveCount(3);
  await app.clickWith('conv2', 'Control');
  await expect(app.selectedNodes).toHaveCount(2);
  await page.locator('.react-flow__pane').click({ position: { x: 12, y: 12 } });
  await page.keyboard.press('Control+a');
  await expect(app.selectedNodes).toHaveCount(7);
  await page.keyboard.press('Escape');
  await expect(app.selectedNodes).toHaveCount(0);

  // A double-click on the empty canvas opens the search there instead of zooming.
  const zoomBefore = await page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  const canvasBox = (await app.canvas.boundingBox())!;
  const at = { x: canvasBox.width - 220, y: canvasBox.height - 140 };
  await app.doubleClickCanvas(at);
  await expect(app.search).toBeVisible();
  expect(await page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform)).toBe(zoomBefore);
  await page.keyboard.type('drop');
  await expect(app.search.getByRole('option').first()).toContainText('Dropout');
  await app.screenshot('editor-03-block-search');
  await page.keyboard.press('Enter');
  await expect(app.search).toHaveCount(0);
  const placed = (await app.node('dropout1').boundingBox())!;
  const pointer = { x: canvasBox.x + at.x, y: canvasBox.y + at.y };
  // Centred on the pointer (within a block's size).
  expect(Math.abs(placed.x + placed.width / 2 - pointer.x)).toBeLessThan(placed.width / 2);
  expect(Math.abs(placed.y + placed.height / 2 - pointer.y)).toBeLessThan(placed.height);

  // Escape closes a search and places nothing; undo takes the Dropout back in one step.
  await app.doubleClickCanvas({ x: 40, y: canvasBox.height - 60 });
  await expect(app.search).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(app.search).toHaveCount(0);
  await expect(app.nodes()).toHaveCount(8);
  await page.keyboard.press('Control+z');
  await expect(app.nodes()).toHaveCount(7);
  expect(app.pageErrors).toEqual([]);
});

test('layout top to bottom and left to right, each one undo step; snap to grid', async ({ page }) => {
  const app = new EditorPage(page);
  await app.open();
  const saved = await app.position('conv2');

  await page.getByTestId('layout-tb').click();
  await expect.poll(async () => (await app.position('conv1')).y).toBeGreaterThan((await app.position('chars')).y + 60);
  const down = await Promise.all(['chars', 'conv1', 'conv2', 'conv3', 'conv4', 'flatten', 'output'].map((id) => app.position(id)));
  for (let i = 1; i < down.length; i++) expect(down[i]!.y).toBeGreaterThan(down[i - 1]!.y);
  await app.screenshot('editor-04-layout-down');

  await page.getByTestId('layout-lr').click();
  await expect.poll(async () => (await app.position('conv1')).x).toBeGreaterThan((await app.position('chars')).x + 150);
  const across = await Promise.all(['chars', 'conv1', 'conv2', 'conv3', 'conv4', 'flatten', 'output'].map((id) => app.position(id)));
  for (let i = 1; i < across.length; i++) expect(across[i]!.x).toBeGreaterThan(across[i - 1]!.x);

  // Two undos: back to top to bottom, then back to the layout the file was saved with.
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await app.position('conv1')).y).toBe(down[1]!.y);
  await page.keyboard.press('Control+z');
  await expect.poll(() => app.position('conv2')).toEqual(saved);
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);

  // Snap on: a dragged block lands on the 20-pixel grid.
  await page.getByTestId('snap-toggle').click();
  await expect(page.getByTestId('snap-toggle')).toHaveAttribute('aria-pressed', 'true');
  await app.moveNode('output', { x: 37, y: 23 });
  const snappedTo = await app.position('output');
  expect(snappedTo.x % 20).toBe(0);
  expect(snappedTo.y % 20).toBe(0);
  expect(app.pageErrors).toEqual([]);
});

test('zoomed far out, each block says its type in large letters instead of small print; zoomed back in, all of it', async ({ page }) => {
  const app = new EditorPage(page);
  await app.open();
  const canvas = page.getByTestId('canvas');
  const block = page.locator('.react-flow__node[data-id="conv2"] .block-node');
  const summary = block.locator('.block-summary');
  const shape = page.getByTestId('node-shape-conv2');
  await expect(summary).toBeVisible();
  await expect(shape).toBeVisible();
  const height = await block.evaluate((el) => (el as HTMLElement).offsetHeight);
  expect(await block.evaluate((el) => getComputedStyle(el, '::after').content)).toBe('none');

  const zoomOut = page.locator('.react-flow__controls-zoomout');
  for (let i = 0; i < 15 && !/\bfar\b/.test((await canvas.getAttribute('class')) ?? ''); i++) await zoomOut.click();
  await expect(canvas).toHaveClass(/\bfar\b/);
  await expect(summary).toBeHidden();
  await expect(shape).toBeHidden();
  await expect(page.locator('.react-flow__edgelabel-renderer')).toBeHidden();
  expect(await block.evaluate((el) => getComputedStyle(el, '::after').content)).toBe('"Conv1D"');
  // The block keeps its size, so its wires and the layout stay where they were.
  expect(await block.evaluate((el) => (el as HTMLElement).offsetHeight)).toBe(height);
  await app.screenshot('editor-09-zoomed-far');

  const zoomIn = page.locator('.react-flow__controls-zoomin');
  for (let i = 0; i < 15 && /\bfar\b/.test((await canvas.getAttribute('class')) ?? ''); i++) await zoomIn.click();
  await expect(canvas).not.toHaveClass(/\bfar\b/);
  await expect(summary).toBeVisible();
  await expect(shape).toBeVisible();
  expect(app.pageErrors).toEqual([]);
});

test('File → New from template: a gallery with a picture and a note per example; picking one opens it', async ({ page }) => {
  const app = new EditorPage(page);
  await app.open();
  await app.openGallery();
  const notes: Record<string, RegExp> = {
    'surname-mlp': /bag of characters/,
    'surname-cnn': /[Cc]onvolutions/,
    'surname-gru': /gat(ing|es)/,
    'news-glove-cnn': /[Pp]retrained embeddings/,
    resnet1d: /BatchNorm, residual.*network-in-network/,
  };
  for (const [stem, note] of Object.entries(notes)) {
    const card = app.template(stem);
    await expect(card).toContainText(note);
    // The picture is the example's own graph: one box per block.
    const blocks = await card.locator('svg .graph-picture-node').count();
    expect(blocks, stem).toBeGreaterThan(2);
  }
  await expect(app.template('resnet1d').locator('svg .graph-picture-node')).toHaveCount(20);
  await expect(app.template('blank')).toBeVisible();
  await app.screenshot('editor-05-template-gallery');

  await app.template('surname-gru').click();
  await expect(app.gallery).toHaveCount(0);
  await expect(app.nodes()).toHaveCount(4);
  await expect(page.locator('.react-flow__node .block-type', { hasText: 'GRU' })).toBeVisible();
  await expect(page.getByTestId('file-name')).toContainText('surname-gru');

  // Escape closes it without opening anything.
  await app.openGallery();
  await page.keyboard.press('Escape');
  await expect(app.gallery).toHaveCount(0);
  await expect(app.nodes()).toHaveCount(4);
  expect(app.pageErrors).toEqual([]);
});

test('the model summary estimates the time per epoch from measured steps, and again after a change', async ({ page }) => {
  test.setTimeout(180_000);
  const app = new EditorPage(page);
  await app.open();
  await app.tab('model');
  const estimate = page.getByTestId('model-summary').getByTestId('epoch-estimate');
  await expect(estimate).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(estimate).toContainText(/per epoch/);
  await expect(estimate).toContainText(/ms a step × \d+ steps of 64 · (wasm|cpu|tensorflow|webgl)/);
  const first = Number(await estimate.getByTestId('epoch-seconds').getAttribute('data-seconds'));
  expect(first).toBeGreaterThan(0);
  await app.screenshot('editor-07-epoch-estimate');

  // A bigger batch: fewer steps an epoch, measured again.
  await app.setTraining('batchSize', '128');
  await app.tab('model');
  await expect(estimate).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(estimate).toContainText(/steps of 128/);
  expect(app.pageErrors).toEqual([]);
});
