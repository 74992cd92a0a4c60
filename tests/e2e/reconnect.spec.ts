/**
 * Runs outlive the page: a page reloaded mid-run (or one that reconnects) is shown the run in
 * progress whole, with its true totals and its curve from step 1, and can still stop it.
 */
import { expect, test } from '@playwright/test';
import { AppPage } from './pages/AppPage';

test('a page reloaded mid-run shows the run whole: true totals and the curve from step 1', async ({ page }) => {
  test.setTimeout(300_000);
  const app = new AppPage(page);
  await app.open();
  await app.setTraining('epochs', '4');
  await app.trainButton.click();
  await expect.poll(async () => (await app.lossCurve()).points, { timeout: 120_000 }).toBeGreaterThan(8);
  const before = await app.lossCurve();
  expect(before.firstStep).toBe(1);
  const progress = (await app.runProgress.textContent()) ?? '';
  const totals = /epoch \d+\/(\d+) · step \d+\/(\d+)/.exec(progress);
  expect(totals, progress).not.toBeNull();
  const [epochs, stepsPerEpoch] = [Number(totals![1]), Number(totals![2])];
  expect(epochs).toBe(4);
  expect(stepsPerEpoch).toBeGreaterThan(0);

  await page.reload();
  await expect(app.node('output')).toBeVisible();
  // The run is still going, shown as it was, with the same totals, not "epoch 1/0 · step 9/0".
  await expect(app.stopButton).toBeEnabled({ timeout: 30_000 });
  await expect(app.trainButton).toBeDisabled();
  await expect(app.runProgress).toContainText(new RegExp(`epoch \\d+/${epochs} · step \\d+/${stepsPerEpoch}`));
  const after = await app.lossCurve();
  expect(after.firstStep).toBe(1);
  expect(after.points).toBeGreaterThanOrEqual(before.points);
  await expect(app.lossChart.locator('.recharts-line-curve').first()).toBeVisible();
  // And it goes on live after the snapshot.
  await expect.poll(async () => (await app.lossCurve()).points, { timeout: 60_000 }).toBeGreaterThan(after.points);
  await app.screenshot('07-reloaded-mid-run');

  // The page that rejoined can stop it.
  await app.stopButton.click();
  await expect(app.runStatus).toHaveText(/Stopped/, { timeout: 60_000 });
  await expect(app.trainButton).toBeEnabled();
  expect(app.pageErrors).toEqual([]);
  expect(app.cspViolations).toEqual([]);
});
