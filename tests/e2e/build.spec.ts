/**
 * Issue 14's end-to-end walks through the editor: a model built from nothing with the mouse, undo
 * and redo back and forth, and a shape error made and fixed from the problems list. Real Chromium,
 * the real engine behind the web host.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EditorPage } from './pages/editor';

interface TemplateNode {
  id: string;
  type: string;
  params: Record<string, unknown>;
}
interface Template {
  graph: { nodes: TemplateNode[]; edges: { source: string; target: string }[] };
}

const TEMPLATE: Template = JSON.parse(readFileSync(join(__dirname, '..', '..', 'assets', 'examples', 'surname-cnn.json'), 'utf8'));

/** The template's blocks in wire order: its Input first, then each block its one wire feeds. */
function chain(template: Template): TemplateNode[] {
  const byId = new Map(template.graph.nodes.map((n) => [n.id, n]));
  const fed = new Set(template.graph.edges.map((e) => e.target));
  const order = [template.graph.nodes.find((n) => !fed.has(n.id))!];
  for (;;) {
    const next = template.graph.edges.find((e) => e.source === order[order.length - 1]!.id);
    if (!next) return order;
    order.push(byId.get(next.target)!);
  }
}

test('the surname CNN built from an empty canvas by dragging and wiring has the template’s shapes, and trains', async ({ page }) => {
  test.setTimeout(360_000);
  const app = new EditorPage(page);
  await app.open();
  const blocks = chain(TEMPLATE);
  expect(blocks.map((b) => b.type)).toEqual(['Input', 'Conv1D', 'Conv1D', 'Conv1D', 'Conv1D', 'Flatten', 'Output']);

  // The template, opened in this run: the shapes its wires show are the ones to reach.
  await app.openTemplate('surname-cnn');
  await expect(app.statusProblems).toHaveText(/valid/, { timeout: 30_000 });
  const wanted: string[] = [];
  for (let i = 1; i < blocks.length; i++) {
    const label = app.wire(blocks[i - 1]!.id, blocks[i]!.id);
    await expect(label).toHaveAttribute('data-state', 'ok');
    wanted.push(await label.innerText());
  }
  expect(
    wanted.every((s) => /^\[null(, \d+)+\]$/.test(s)),
    wanted.join(' '),
  ).toBe(true);

  await app.newBlankModel();
  await expect(page.getByTestId('file-name')).toContainText('untitled');

  // Each block dragged from the palette to its own spot, three to a row, its params set in the
  // inspector (the block just dropped is the one it shows).
  const box = (await app.canvas.boundingBox())!;
  const ids: string[] = [];
  for (const [i, block] of blocks.entries()) {
    const at = { x: Math.round((box.width * (1 + 2 * (i % 3))) / 6), y: 70 + 130 * Math.floor(i / 3) };
    const id = await app.dropBlock(block.type, at);
    await expect(app.node(id).locator('.block-type')).toHaveText(block.type);
    // It lands where it was dropped (its middle under the pointer), and the view stays put.
    const placed = (await app.node(id).boundingBox())!;
    expect(Math.abs(placed.x + placed.width / 2 - (box.x + at.x)), `${id} across`).toBeLessThan(4);
    expect(Math.abs(placed.y + placed.height / 2 - (box.y + at.y)), `${id} down`).toBeLessThan(placed.height / 2);
    await expect(app.selectedNodes).toHaveCount(1);
    for (const [key, value] of Object.entries(block.params)) await app.setParam(key, value);
    ids.push(id);
  }
  await app.screenshot('build-01-blocks-placed');

  // Wired by dragging each output handle to the next block's input handle.
  for (let i = 1; i < ids.length; i++) {
    await app.connect(ids[i - 1]!, ids[i]!);
    await expect(app.wire(ids[i - 1]!, ids[i]!)).toBeVisible();
  }
  await expect(app.wires).toHaveCount(ids.length - 1);
  await expect(app.statusProblems).toHaveText(/valid/, { timeout: 30_000 });
  for (let i = 1; i < ids.length; i++) {
    const label = app.wire(ids[i - 1]!, ids[i]!);
    await expect(label).toHaveAttribute('data-state', 'ok');
    await expect(label, `${ids[i - 1]} → ${ids[i]}`).toHaveText(wanted[i - 1]!);
  }
  // The params really are the template's: each block says them on its face.
  await app.node(ids[2]!).locator('.block-head').click();
  await expect(app.inspector.getByTestId('param-strides')).toHaveValue('2');
  await expect(app.inspector.getByTestId('param-activation')).toHaveValue('elu');
  await app.screenshot('build-02-wired');

  await app.setTraining('epochs', '1');
  await app.trainButton.click();
  await expect(app.stopButton).toBeEnabled();
  await expect.poll(async () => Number(await app.lossChart.getAttribute('data-points')), { timeout: 120_000 }).toBeGreaterThan(3);
  await expect(page.getByTestId('run-done')).toBeVisible({ timeout: 300_000 });
  await expect(app.runStatus).toHaveText(/Finished after 1 epoch/);
  await expect(app.lossChart).toHaveAttribute('data-epochs', '1');
  await app.screenshot('build-03-trained');
  expect(app.pageErrors).toEqual([]);
});

test('undo walks back through add, wire, param, delete and move one state at a time, redo forward; a new edit clears redo', async ({ page }) => {
  const app = new EditorPage(page);
  await app.open();

  /** What the document looks like: its blocks, its wires, the Dropout's rate, where Output is. */
  const state = async () => ({
    nodes: await app.nodeIds(),
    wires: await app.wireList(),
    rate: (await app.node('dropout1').count()) ? await app.node('dropout1').locator('.block-summary').innerText() : null,
    output: await app.position('output'),
  });
  const states = [await state()];
  const record = async () => {
    const now = await state();
    expect(now, `edit ${states.length} changed something`).not.toEqual(states[states.length - 1]);
    states.push(now);
  };

  // 1. add
  const dropout = await app.dropBlock('Dropout', { x: 430, y: 390 });
  expect(dropout).toBe('dropout1');
  await record();
  // 2. delete a wire
  await app.deleteWire('flatten', 'output');
  await record();
  // 3, 4. wire the Dropout in
  await app.connect('flatten', 'dropout1');
  await expect(app.wire('flatten', 'dropout1')).toBeVisible();
  await record();
  await app.connect('dropout1', 'output');
  await expect(app.wire('dropout1', 'output')).toHaveAttribute('data-state', 'ok');
  await record();
  // 5. param
  await app.node('dropout1').locator('.block-head').click();
  await app.setParam('rate', 0.3);
  await expect(app.node('dropout1')).toContainText('rate 0.3');
  await record();
  // 6. move
  await app.moveNode('output', { x: 120, y: 60 });
  await record();
  // 7. delete a block (and the wire into it)
  await app.node('dropout1').locator('.block-head').click();
  await page.keyboard.press('Delete');
  await expect(app.node('dropout1')).toHaveCount(0);
  await record();
  await app.screenshot('build-04-edits-done');
  await app.focusCanvas();
  await expect(app.redoButton).toBeDisabled();

  // Undo all the way back, the keyboard and the toolbar in turn, each step one state back.
  for (let i = states.length - 2; i >= 0; i--) {
    if (i % 2) await page.keyboard.press('Control+z');
    else await app.undoButton.click();
    await expect.poll(state, { message: `after undo to state ${i}` }).toEqual(states[i]);
  }
  await expect(app.undoButton).toBeDisabled();
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  // Nothing more to undo: the keyboard changes nothing.
  await page.keyboard.press('Control+z');
  expect(await state()).toEqual(states[0]);

  // Redo all the way forward: Ctrl+Shift+Z, Ctrl+Y and the toolbar.
  const redoKeys = ['Control+Shift+z', 'Control+y', null] as const;
  for (let i = 1; i < states.length; i++) {
    const key = redoKeys[i % 3];
    if (key) await page.keyboard.press(key);
    else await app.redoButton.click();
    await expect.poll(state, { message: `after redo to state ${i}` }).toEqual(states[i]);
  }
  await expect(app.redoButton).toBeDisabled();
  await expect(page.getByTestId('dirty-marker')).toBeVisible();

  // Undo half way (back to the rate of 0.3 with Output not yet moved), then a new edit.
  const half = Math.floor((states.length - 1) / 2);
  for (let i = states.length - 1; i > half; i--) await page.keyboard.press('Control+z');
  await expect.poll(state).toEqual(states[half]);
  await expect(app.redoButton).toBeEnabled();
  await app.node('conv1').locator('.block-head').click();
  await app.setParam('filters', 128);
  await expect(app.wire('conv1', 'conv2')).toHaveText(/, 128\]$/);
  await app.focusCanvas();
  await expect(app.redoButton).toBeDisabled();
  const edited = await state();
  await page.keyboard.press('Control+Shift+z');
  expect(await state()).toEqual(edited);
  // And undo takes the new edit back to the half-way state, then on down.
  await page.keyboard.press('Control+z');
  await expect(app.wire('conv1', 'conv2')).toHaveText(/, 256\]$/);
  await expect.poll(state).toEqual(states[half]);
  expect(app.pageErrors).toEqual([]);
});

test('a kernel too wide for its input: outlined red and listed; a click on the problem selects the block; fixed in the inspector it clears', async ({
  page,
}) => {
  const app = new EditorPage(page);
  await app.open();
  const good = await app.wire('conv4', 'flatten').innerText();
  const length = Number(/^\[null, (\d+), \d+\]$/.exec(await app.wire('conv3', 'conv4').innerText())![1]);
  expect(length).toBeGreaterThan(0);

  // conv4's input is `length` steps long; a kernel one wider does not fit.
  await app.node('conv4').locator('.block-head').click();
  await app.setParam('kernelSize', length + 1);
  await expect(app.node('conv4').locator('.block-node')).toHaveClass(/has-issue/);
  await expect(app.statusProblems).toHaveText(/1 problem/);
  await app.focusCanvas();
  await expect(app.selectedNodes).toHaveCount(0);

  // The status bar's count opens the list; the problem names the block and what is wrong.
  await app.openProblems();
  await expect(app.problems).toHaveCount(1);
  await expect(app.problems.first()).toContainText(/conv4|Conv1D/);
  await expect(app.problems.first()).toContainText(String(length));
  await app.screenshot('build-05-shape-error');
  await app.problems.first().click();
  await expect(app.selectedNodes).toHaveCount(1);
  await expect(app.node('conv4')).toHaveClass(/selected/);
  const kernel = app.inspector.getByTestId('param-kernelSize');
  await expect(kernel).toHaveValue(String(length + 1));

  await kernel.fill(String(length));
  await expect(app.node('conv4').locator('.block-node')).not.toHaveClass(/has-issue/);
  await expect(app.statusProblems).toHaveText(/valid/);
  await expect(app.wire('conv4', 'flatten')).toHaveText(/^\[null, 1, 256\]$/);
  await kernel.fill('3');
  await expect(app.wire('conv4', 'flatten')).toHaveText(good);
  await app.screenshot('build-06-shape-fixed');
  expect(app.pageErrors).toEqual([]);
});
