import { expect, test } from '@playwright/test';
import { AppPage } from './pages/AppPage';
import { TrainingViews } from './pages/TrainingViews';

/** Presses Train and waits, watching the curves, for the run to end. */
async function trainToEnd(app: AppPage, views: TrainingViews): Promise<void> {
  await views.show('curves');
  await app.trainButton.click();
  await expect(app.stopButton).toBeEnabled();
  await expect(app.page.getByTestId('run-done')).toBeVisible({ timeout: 240_000 });
  await expect(app.trainButton).toBeEnabled();
  await expect(views.biasVariance).not.toHaveAttribute('data-diagnosis', 'none');
}

/**
 * The newest run's id, once the runs list shows a run that is not in `known` (the runs folder is
 * the whole test run's: other specs' runs are listed too).
 */
async function newRunId(views: TrainingViews, known: readonly string[]): Promise<string> {
  await views.show('runs');
  await expect.poll(async () => (await views.runIds()).filter((id) => !known.includes(id)).length, { timeout: 15_000 }).toBe(1);
  const newest = (await views.runIds())[0]!;
  expect(known).not.toContain(newest);
  return newest;
}

test('close the loop: two runs, their test evaluation, a prediction, and the runs overlaid', async ({ page }) => {
  test.setTimeout(480_000);
  const app = new AppPage(page);
  const views = new TrainingViews(page);
  await app.open();
  await views.show('runs');
  const before = await views.runIds();
  await app.setTraining('epochs', '1');

  // Run 1: the example as it is, for one epoch.
  await trainToEnd(app, views);
  await expect(views.biasVariance).toContainText(/Train error\s*\d+\.\d%/);
  await expect(views.biasVariance).toContainText(/High (bias|variance)|Both gaps are small/);
  await expect(views.biasVariance.getByTestId('bv-gaps')).toContainText('(best taken as 0%)');
  await expect(views.lrChart).toHaveAttribute('data-epochs', '1');
  // The best possible error the user knows changes the reading.
  const gaps = await views.biasVariance.getByTestId('bv-gaps').textContent();
  await views.biasVariance.getByTestId('bv-human-error').fill('20');
  await expect(views.biasVariance.getByTestId('bv-gaps')).not.toHaveText(gaps!);
  await expect(views.biasVariance.getByTestId('bv-gaps')).not.toContainText('taken as 0%');
  await app.screenshot('10-bias-variance');

  // Its test evaluation: per class, the averages, the confusion matrix with class names.
  await views.show('test');
  await expect(views.confusionMatrix).toBeVisible();
  const classes = Number(await views.confusionMatrix.getAttribute('data-classes'));
  expect(classes).toBeGreaterThan(10);
  await expect(views.confusionMatrix.locator('g[data-true="Italian"][data-predicted="Italian"]')).toHaveCount(1);
  await expect(views.classMetrics.locator('tbody tr')).toHaveCount(classes);
  await expect(views.classMetrics.locator('tfoot')).toContainText('macro avg');
  await expect(views.classMetrics.locator('tfoot')).toContainText('weighted avg');
  await app.screenshot('11-test-evaluation');

  const first = await newRunId(views, before);
  await views.rename(first, 'baseline');

  // Run 2: change one thing (a higher learning rate), two epochs.
  await app.setTraining('epochs', '2');
  await app.setTraining('lr', '0.003');
  await trainToEnd(app, views);
  const second = await newRunId(views, [...before, first]);
  expect((await views.runIds()).slice(0, 2)).toEqual([second, first]);
  await expect(views.row(first)).toContainText('baseline');
  await expect(views.row(second)).toHaveAttribute('data-ended', 'completed');
  await expect(views.row(second).getByTestId('run-best-dev')).toHaveText(/\d+\.\d%/);

  // Tick both: their curves on one chart.
  await views.tick(first);
  await views.tick(second);
  await expect(views.overlay).toHaveAttribute('data-runs', '2');
  await expect.poll(async () => Number(await views.overlay.getAttribute('data-points'))).toBe(3);
  // One line each (a one-epoch run is a single dot), named in the legend.
  await expect(views.overlay.locator('.recharts-legend-item')).toHaveCount(2);
  await expect(views.overlay.locator('.recharts-legend-item').last()).toContainText('baseline');
  // The single run's chart toggles, where they apply: no log scale for an accuracy, smoothing
  // only for the curve of every step.
  const logToggle = views.overlay.getByTestId('overlay-log');
  const smoothToggle = views.overlay.getByTestId('overlay-smooth');
  await expect(logToggle).toBeDisabled();
  await expect(smoothToggle).toBeDisabled();
  await views.overlay.getByTestId('overlay-metric').selectOption('batchLoss');
  await expect.poll(async () => Number(await views.overlay.getAttribute('data-points'))).toBeGreaterThan(100);
  const points = await views.overlay.getAttribute('data-points');
  const curve = views.overlay.locator('path.recharts-line-curve').first();
  const raw = await curve.getAttribute('d');
  await smoothToggle.click();
  await expect(views.overlay).toHaveAttribute('data-smoothed', 'true');
  await expect(smoothToggle).toHaveAttribute('aria-pressed', 'true');
  await expect(curve).not.toHaveAttribute('d', raw!);
  await expect(views.overlay).toHaveAttribute('data-points', points!);
  const smoothed = await curve.getAttribute('d');
  await logToggle.click();
  await expect(views.overlay).toHaveAttribute('data-log', 'true');
  await expect(curve).not.toHaveAttribute('d', smoothed!);
  await app.screenshot('12-runs-overlay');
  // One setting with the single run's chart: its loss chart is on a log scale now too.
  await views.show('curves');
  await expect(page.getByTestId('loss-log')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('loss-smooth')).toHaveAttribute('aria-pressed', 'true');
  await views.show('runs');

  // Predict with the picked (first) run: a name it never saw.
  await views.row(first).getByTestId('run-predict').click();
  await expect(views.predictInput).toBeVisible();
  await expect(page.getByTestId('predict-view')).toContainText('baseline');
  await views.predictInput.fill('Nakamura');
  await expect(views.predictions).toHaveCount(5);
  await expect(page.getByTestId('predict-result')).toHaveAttribute('data-text', 'Nakamura');
  await expect(views.predictions.first()).toContainText(/\d+\.\d%/);
  await app.screenshot('13-predict');

  // Its test evaluation on demand, from the runs list.
  await views.show('runs');
  await views.row(first).getByTestId('run-test').click();
  await expect(page.getByTestId('test-view')).toContainText('baseline');
  await expect(views.confusionMatrix).toBeVisible();

  // Open the model the first run trained: the edited document asks first.
  await views.show('runs');
  await views.row(first).getByTestId('run-open').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Discard unsaved changes?');
  await page.getByTestId('confirm-ok').click();
  await app.tab('training');
  await expect(app.inspector.getByTestId('training-lr')).toHaveValue('0.001');
  await expect(app.inspector.getByTestId('training-epochs')).toHaveValue('1');

  // Delete the second run (asks first).
  await views.show('runs');
  await views.row(second).getByTestId('run-delete').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Delete this run?');
  await page.getByTestId('confirm-ok').click();
  await expect(views.row(second)).toHaveCount(0);
  expect(await views.runIds()).toEqual([first, ...before]);

  expect(app.pageErrors).toEqual([]);
  expect(app.cspViolations).toEqual([]);
});

test('closing the tab while a run trains asks first', async ({ page }) => {
  test.setTimeout(180_000);
  const app = new AppPage(page);
  await app.open();
  await app.setTraining('epochs', '3');
  await app.trainButton.click();
  await expect(app.stopButton).toBeEnabled();
  const asked = new Promise<string>((resolve) =>
    page.once('dialog', (dialog) => {
      resolve(dialog.type());
      void dialog.dismiss();
    }),
  );
  await page.close({ runBeforeUnload: true });
  expect(await asked).toBe('beforeunload');
  // Dismissed: the page stays, and the run goes on; stop it.
  expect(page.isClosed()).toBe(false);
  await app.stopButton.click();
  await expect(app.runStatus).toHaveText(/Stopped/, { timeout: 60_000 });
});

test('the Data tab names a split column, and clearing it goes back to the ratios', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.tab('data');
  const field = app.inspector.getByTestId('data-split-column');
  await expect(field).toHaveValue('');
  await expect(app.inspector).toContainText(/Empty: 70% train, 15% dev, 15% test/);
  await field.fill('split');
  await field.press('Enter');
  await expect(app.inspector).toContainText('Each row goes where its "split" column says');
  await expect(page.getByTestId('dirty-marker')).toBeVisible();
  await app.screenshot('14-split-column');
  await field.fill('');
  await field.press('Enter');
  await expect(app.inspector).toContainText(/Empty: 70% train/);
});
