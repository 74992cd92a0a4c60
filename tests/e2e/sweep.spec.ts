/**
 * Tuning from the UI (issue 17): a small sweep of the surname MLP example (3 trials of 2 epochs,
 * halving on) runs from the Training tab; its table sorts, its scatter has a point a trial on
 * each param, "Apply best" writes the best settings into the document as one undo step; then the
 * learning-rate finder draws its curve and its suggestion is applied.
 */
import { expect, test } from '@playwright/test';
import { AppPage } from './pages/AppPage';
import { TunePanel } from './pages/TunePanel';

test('a small sweep from the UI: table, scatter, parallel coordinates, apply and undo; then the learning-rate finder', async ({ page }) => {
  test.setTimeout(420_000);
  const app = new AppPage(page);
  const tune = new TunePanel(page);
  await app.open();
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-surname-mlp.json').click();
  await expect(app.node('dropout')).toBeVisible();
  await app.tab('training');

  // The example's own sweep: learning rate, dropout and hidden units; a smaller budget here.
  await expect(tune.panel.getByTestId('sweep-param')).toHaveCount(3);
  await tune.setSweep('trials', '3');
  await tune.setSweep('epochs', '2');
  await app.screenshot('17-sweep-editor');

  await tune.run();
  await expect(page.getByTestId('sweep-status')).toHaveText(/Trial|Finished/);
  await tune.waitDone(300_000);
  await expect(tune.rows).toHaveCount(3);

  // The table sorts: by best dev loss ascending first, then descending.
  const ascending = await tune.losses();
  expect(ascending).toHaveLength(3);
  expect([...ascending].sort((a, b) => a - b)).toEqual(ascending);
  await tune.sortBy('best dev loss');
  const descending = await tune.losses();
  expect(descending).toEqual([...ascending].reverse());
  await tune.sortBy('#');
  expect(await tune.table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trial')))).toEqual(['1', '2', '3']);

  // A scatter per param, each with a point per trial, on the param's own scale.
  const charts = tune.scatter.locator('figure');
  await expect(charts).toHaveCount(3);
  for (const name of ['lr', 'dropout.rate', 'hidden.units']) {
    const chart = page.getByTestId(`sweep-scatter-${name}`);
    await expect(chart).toHaveAttribute('data-points', '3');
    await expect(chart.locator('.recharts-scatter-symbol')).toHaveCount(3);
  }
  await expect(page.getByTestId('sweep-scatter-lr')).toHaveAttribute('data-scale', 'log');
  await expect(tune.parallel).toHaveAttribute('data-lines', '3');
  await expect(tune.parallel.locator('polyline')).toHaveCount(3);
  await expect(page.getByTestId('sweep-saving')).toHaveText(/of 6 epochs trained/);
  await app.screenshot('18-sweep-results');

  // Apply the best trial's settings: one undo step puts the example's own back.
  const bestRow = tune.table.locator('tr.best');
  await expect(bestRow).toHaveCount(1);
  const bestLr = (await bestRow.locator('td').nth(1).textContent())!.trim();
  const bestRate = (await bestRow.locator('td').nth(2).textContent())!.trim();
  await page.getByTestId('sweep-apply').click();
  await tune.close();
  await expect(app.inspector.getByTestId('training-lr')).toHaveValue(String(Number(bestLr)));
  await app.node('dropout').click();
  await app.tab('block');
  await expect(app.inspector.locator('[data-field="rate"] input')).toHaveValue(String(Number(bestRate)));
  await page.getByTestId('undo-button').click();
  await expect(app.inspector.locator('[data-field="rate"] input')).toHaveValue('0.5');
  await app.tab('training');
  await expect(app.inspector.getByTestId('training-lr')).toHaveValue('0.001');

  // The learning-rate finder: a curve of one point per batch, marked, and its suggestion applied.
  await tune.panel.getByTestId('lr-find-button').click();
  await expect(page.getByTestId('lr-find')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect.poll(async () => Number(await tune.lrPlot.getAttribute('data-points'))).toBeGreaterThan(20);
  await expect(tune.lrPlot.locator('.recharts-reference-dot')).toHaveCount(2);
  const suggested = (await page.getByTestId('lr-suggested').textContent())!.trim();
  await tune.lrPlot.scrollIntoViewIfNeeded();
  await app.screenshot('19-lr-finder');
  await page.getByTestId('lr-apply').click();
  await expect(app.inspector.getByTestId('training-lr')).toHaveValue(String(Number(suggested)));

  expect(app.pageErrors).toEqual([]);
  expect(app.cspViolations).toEqual([]);
});
