import { expect, test } from '@playwright/test';
import { AppPage } from './pages/AppPage';
import { TrainingViews } from './pages/TrainingViews';

test('a stopped run resumes from its last checkpoint and completes its epochs', async ({ page }) => {
  test.setTimeout(300_000);
  const app = new AppPage(page);
  const views = new TrainingViews(page);
  await app.open();
  await views.show('runs');
  const before = await views.runIds();
  await app.setTraining('epochs', '3');

  // Train, and stop once the first epoch (and so its checkpoint) is done.
  await views.show('curves');
  await app.trainButton.click();
  await expect(views.lrChart).toHaveAttribute('data-epochs', '1', { timeout: 120_000 });
  await app.stopButton.click();
  await expect(app.trainButton).toBeEnabled({ timeout: 60_000 });

  await views.show('runs');
  await expect.poll(async () => (await views.runIds()).filter((id) => !before.includes(id)).length, { timeout: 15_000 }).toBe(1);
  const runId = (await views.runIds())[0]!;
  const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  await expect(row).toHaveAttribute('data-ended', 'stopped');
  await app.screenshot('15-run-stopped');

  await row.getByTestId('run-resume').click();
  await views.show('curves');
  await expect(page.getByTestId('run-done')).toBeVisible({ timeout: 240_000 });
  await views.show('runs');
  // The same run, now completed after all three epochs; no second run appeared.
  await expect(row).toHaveAttribute('data-ended', 'completed', { timeout: 15_000 });
  await expect(row).toContainText('3');
  expect((await views.runIds()).filter((id) => !before.includes(id))).toEqual([runId]);
  await app.screenshot('16-run-resumed');
});
