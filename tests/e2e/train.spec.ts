import { expect, test } from '@playwright/test';
import { AppPage } from './pages/AppPage';

test('trains the example for one epoch and draws the loss live', async ({ page }) => {
  test.setTimeout(300_000);
  const app = new AppPage(page);
  await app.open();
  await app.setTraining('epochs', '1');

  await app.trainButton.click();
  await expect(app.stopButton).toBeEnabled();
  await expect(app.trainButton).toBeDisabled();
  // Batch points arrive while the epoch runs, and the curve is drawn.
  await expect.poll(async () => Number(await app.lossChart.getAttribute('data-points')), { timeout: 120_000 }).toBeGreaterThan(3);
  await expect(app.lossChart.locator('.recharts-line-curve').first()).toBeVisible();
  await app.screenshot('04-training');

  await expect(page.getByTestId('run-done')).toBeVisible({ timeout: 240_000 });
  await expect(app.runStatus).toHaveText(/Finished after 1 epoch/);
  await expect(app.lossChart).toHaveAttribute('data-epochs', '1');
  await expect(app.lossChart.locator('.recharts-line-dots circle, .recharts-dot').first()).toBeVisible();
  await expect(app.trainButton).toBeEnabled();
  await app.screenshot('05-trained');
  expect(app.pageErrors).toEqual([]);
  // Live charts and progress bars stay inside the strict CSP (no inline styles or scripts).
  expect(app.cspViolations).toEqual([]);
});

test('Stop ends a run early', async ({ page }) => {
  test.setTimeout(180_000);
  const app = new AppPage(page);
  await app.open();
  await app.setTraining('epochs', '3');

  await app.trainButton.click();
  await expect.poll(async () => Number(await app.lossChart.getAttribute('data-points')), { timeout: 120_000 }).toBeGreaterThan(0);
  await app.stopButton.click();
  await expect(app.runStatus).toHaveText(/Stopped/, { timeout: 60_000 });
  await expect(app.trainButton).toBeEnabled();
  await expect(app.stopButton).toBeDisabled();
  await app.screenshot('06-stopped');
});
