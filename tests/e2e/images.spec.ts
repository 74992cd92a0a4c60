import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { AppPage, SCREENSHOTS } from './pages/AppPage';
import { DataTab } from './pages/DataTab';

/** Draws a stroke through `points` (fractions of the canvas) with the mouse. */
async function draw(app: AppPage, points: [number, number][]): Promise<void> {
  const canvas = app.page.getByTestId('draw-canvas');
  const box = (await canvas.boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await app.page.mouse.move(...at(points[0]!));
  await app.page.mouse.down();
  for (const p of points.slice(1)) await app.page.mouse.move(...at(p), { steps: 6 });
  await app.page.mouse.up();
}

test('picks the digits, shows them per class, trains LeNet, and reads a drawn digit', async ({ page }) => {
  test.setTimeout(600_000);
  const app = new AppPage(page);
  await app.open();
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-digits-lenet.json').click();
  await expect(app.node('conv1')).toBeVisible();
  await expect(app.statusProblems).toHaveText(/valid/, { timeout: 60_000 });

  const data = new DataTab(page);
  await data.open();
  await expect(page.getByTestId('data-source')).toHaveValue('digits');
  await expect(page.getByTestId('data-license-line')).toContainText('LeCun');
  await expect(data.rows).toHaveText('10.0k', { timeout: 60_000 });
  await expect(data.classes).toHaveText('10');
  await expect(page.getByTestId('data-input-shape')).toContainText('[28, 28, 1] float32');
  await expect(page.getByTestId('image-grid-row')).toHaveCount(10);
  await expect(page.getByTestId('image-grid-row').first().locator('canvas')).toHaveCount(8);
  await expect(page.getByTestId('data-license')).toContainText('LeCun');
  await page.getByTestId('image-grid').scrollIntoViewIfNeeded();
  await app.screenshot('images-01-digits-grid');
  await page.getByTestId('image-grid').screenshot({ path: join(SCREENSHOTS, 'images-01b-grid-close.png') });

  // Augmentation shows what it does to train pictures, from the engine's own code.
  await page.getByTestId('augment-rotate').fill('15');
  await page.getByTestId('augment-rotate').press('Enter');
  await expect(page.getByTestId('augment-preview')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('augment-preview').locator('canvas')).toHaveCount(20);
  await page.getByTestId('augment-preview').scrollIntoViewIfNeeded();
  await page.getByTestId('augment-preview').screenshot({ path: join(SCREENSHOTS, 'images-02-augment-preview.png') });
  await page.getByTestId('augment-rotate').fill('0');
  await page.getByTestId('augment-rotate').press('Enter');
  await expect(page.getByTestId('augment-preview')).toHaveCount(0, { timeout: 60_000 });

  await app.trainButton.click();
  await expect(page.getByTestId('run-done')).toBeVisible({ timeout: 540_000 });
  await expect(app.runStatus).toHaveText(/Finished after 3 epochs/);
  await app.screenshot('images-03-trained');
  // The test split's accuracy, as the Test evaluation view shows it: at least 95% after 3 epochs.
  await page.getByTestId('view-test').click();
  const accuracy = page.getByTestId('test-accuracy');
  await expect(accuracy).toBeVisible({ timeout: 60_000 });
  expect(Number((await accuracy.innerText()).replace('%', ''))).toBeGreaterThanOrEqual(95);
  await app.screenshot('images-04-test-evaluation');

  await page.getByTestId('view-predict').click();
  await expect(page.getByTestId('draw-canvas')).toBeVisible({ timeout: 60_000 });
  // A "1": one stroke down the middle.
  await draw(app, [
    [0.5, 0.15],
    [0.5, 0.85],
  ]);
  const first = page.getByTestId('predict-class').first();
  await expect(first).toBeVisible({ timeout: 60_000 });
  await expect(first.locator('.class-name')).toHaveText('1');
  await app.screenshot('images-05-drew-a-one');

  // A "7": across the top, then down to the bottom left.
  await page.getByTestId('draw-clear').click();
  await draw(app, [
    [0.3, 0.22],
    [0.72, 0.22],
    [0.5, 0.85],
  ]);
  await expect(page.getByTestId('predict-class').first().locator('.class-name')).toHaveText('7', { timeout: 60_000 });
  await app.screenshot('images-06-drew-a-seven');
  expect(app.pageErrors).toEqual([]);
  expect(app.cspViolations).toEqual([]);
});
