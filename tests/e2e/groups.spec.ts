import { expect, test } from '@playwright/test';
import { EditorPage } from './pages/editor';

const RES1 = ['res1_conv1', 'res1_bn1', 'res1_conv2', 'res1_bn2', 'res1_add', 'res1_relu'];
const RES2 = ['res2_conv1', 'res2_bn1', 'res2_conv2', 'res2_bn2', 'res2_add', 'res2_relu'];

test('save a residual group, place it twice, train; expand one back into its blocks', async ({ page }) => {
  test.setTimeout(300_000);
  const app = new EditorPage(page);
  await app.open();
  await app.openTemplate('resnet1d');
  await expect(app.nodes()).toHaveCount(20);
  await expect(app.statusProblems).toHaveText(/valid/, { timeout: 30_000 });
  const poolShape = await app.nodeShape('pool').innerText();

  // The first residual block becomes a group, in its place and wired as it was.
  await app.selectNodes(RES1);
  await app.saveGroup('Residual block');
  await expect(app.node('residualblock1')).toBeVisible();
  await expect(app.node('residualblock1')).toContainText('Residual block');
  await expect(app.node('residualblock1')).toContainText('a group of 6 blocks');
  await expect(app.nodes()).toHaveCount(15);
  await expect(app.wire('stem_bn', 'residualblock1')).toHaveText(/^\[null, \d+, 64\]$/);
  await expect(app.wire('residualblock1', 'res2_conv1')).toHaveText(/^\[null, \d+, 64\]$/);
  await expect(page.getByTestId('palette-group-residual-block')).toBeVisible();

  // The second block goes; the group is placed from the palette in its stead.
  await app.selectNodes(RES2);
  await page.keyboard.press('Delete');
  await expect(app.nodes()).toHaveCount(9);
  await page.getByTestId('palette-group-residual-block').click();
  await expect(app.node('residualblock2')).toBeVisible();
  await app.connect('residualblock1', 'residualblock2');
  await app.connect('residualblock2', 'nin');
  await expect(app.statusProblems).toHaveText(/valid/);
  await expect(app.nodeShape('pool')).toHaveText(poolShape);
  await app.screenshot('editor-06-residual-group-twice');

  // The groups train as their blocks, through the real engine.
  await app.setTraining('epochs', '1');
  await app.trainButton.click();
  await expect(page.getByTestId('run-done')).toBeVisible({ timeout: 240_000 });
  await expect(app.runStatus).toHaveText(/Finished after 1 epoch/);

  // Expand the second back into blocks: the same model, one undo step away.
  await app.node('residualblock2').locator('.block-head').click();
  await page.getByTestId('expand-group').click();
  await expect(app.node('residualblock2')).toHaveCount(0);
  await expect(app.nodes()).toHaveCount(15);
  await expect(app.statusProblems).toHaveText(/valid/);
  await expect(app.nodeShape('pool')).toHaveText(poolShape);
  await page.locator('.react-flow__pane').click({ position: { x: 12, y: 12 } });
  await page.keyboard.press('Control+z');
  await expect(app.node('residualblock2')).toBeVisible();
  expect(app.pageErrors).toEqual([]);
});

test('a group that cannot have one output is refused with the reason', async ({ page }) => {
  const app = new EditorPage(page);
  await app.open();
  await app.selectNodes(['conv1', 'conv3']);
  await app.saveGroup('Two ends');
  await expect(page.getByTestId('group-problem')).toContainText(/one output/);
  await expect(app.nodes()).toHaveCount(7);
  expect(app.pageErrors).toEqual([]);
});
