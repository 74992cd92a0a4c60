/**
 * The main path once in Korean, as a Korean student of the course meets it: the browser says
 * ko-KR, so the app opens in Korean without being told; the block docs, the engine's problems, the
 * status bar's running job, the charts and the test evaluation are in Korean; Settings switches
 * the theme and the language. Screenshots: tests/e2e/screenshots/ko-*.png (look at them).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E_URL } from './env';
import { AppPage } from './pages/AppPage';
import { DataTab } from './pages/DataTab';
import { TrainingViews } from './pages/TrainingViews';

test.use({ locale: 'ko-KR', colorScheme: 'dark' });

test('the whole walk in Korean: open, data, a shape error fixed, train an epoch, charts, evaluate, predict, settings', async ({ page }) => {
  test.setTimeout(300_000);
  const app = new AppPage(page);
  const views = new TrainingViews(page);

  await page.goto(E2E_URL);
  await expect(app.node('output')).toBeVisible();
  // The language came from the browser: nothing was chosen yet.
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await expect(app.statusProblems).toHaveText('✓ 문제 없음', { timeout: 30_000 });
  await expect(page.getByTestId('tab-block')).toHaveText('블록');
  await expect(page.getByTestId('statusbar')).toContainText('블록 7개');

  // A block's doc and its params' labels and help, in Korean.
  await app.node('conv1').click();
  await expect(app.inspector).toContainText('1D 합성곱');
  await expect(app.inspector.locator('[data-field="filters"]')).toContainText('필터 수');
  await expect(app.inspector.locator('[data-field="filters"]')).toContainText('출력 채널 수');
  await app.screenshot('ko-01-model');

  // The engine's problem, worded in Korean from its code and values; then fixed.
  const kernel = app.inspector.getByTestId('param-kernelSize');
  await kernel.fill('30');
  await expect(app.statusProblems).toHaveText(/문제 \d+개/);
  await expect(app.inspector.getByTestId('issues')).toContainText('출력이 비게 됩니다');
  await expect(app.inspector.getByTestId('issues')).toContainText('padding을 "same"으로');
  await app.screenshot('ko-02-problem');
  await kernel.fill('3');
  await expect(app.statusProblems).toHaveText('✓ 문제 없음');

  await app.tab('data');
  await expect(page.getByTestId('tab-data')).toHaveAttribute('aria-selected', 'true');
  await app.screenshot('ko-03-data');

  // One epoch; the status bar names the job while it runs.
  await app.setTraining('epochs', '1');
  await expect(app.inspector).toContainText('학습률');
  await expect(app.inspector).toContainText('배치 크기');
  await app.trainButton.click();
  await expect(page.getByTestId('status-job')).toContainText(/학습 중|시작하는 중/, { timeout: 60_000 });
  await expect.poll(async () => Number(await app.lossChart.getAttribute('data-points')), { timeout: 120_000 }).toBeGreaterThan(3);
  await expect(page.getByTestId('status-job')).toContainText('에포크 1/1');
  await app.screenshot('ko-04-training');
  await expect(page.getByTestId('run-done')).toBeVisible({ timeout: 240_000 });
  await expect(page.getByTestId('status-job')).toHaveCount(0);
  await app.screenshot('ko-05-trained');

  await views.show('test');
  await expect(views.confusionMatrix).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('view-test')).toHaveText(/테스트 평가/);
  await app.screenshot('ko-06-test');

  await views.show('predict');
  await views.predictInput.fill('Nakamura');
  await expect(views.predictions.first()).toBeVisible({ timeout: 60_000 });
  await app.screenshot('ko-07-predict');

  // Settings: the light theme repaints everything; the language switch is immediate and remembered.
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('settings-dialog')).toContainText('테마');
  await page.getByTestId('settings-theme').selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe('rgb(17, 19, 24)');
  await page.getByTestId('settings-close').click();
  await views.show('curves');
  await app.screenshot('ko-08-light');
  await page.getByTestId('open-settings').click();
  await page.getByTestId('settings-language').selectOption('en');
  await expect(page.getByTestId('tab-block')).toHaveText('Block');
  await page.reload();
  await expect(page.getByTestId('tab-block')).toHaveText('Block');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByTestId('open-settings').click();
  await page.getByTestId('settings-language').selectOption('system');
  await page.getByTestId('settings-theme').selectOption('system');
  await expect(page.getByTestId('tab-block')).toHaveText('블록');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  expect(app.pageErrors).toEqual([]);
  expect(app.cspViolations).toEqual([]);
});

test("a data file's problem is said in Korean, with its file, line and column, and fixed", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'mw-ko-bad-'));
  const csv = join(dir, 'names.csv');
  writeFileSync(csv, 'name,class\nKim,Korean\nAbe,\nMori,Japanese\n');
  const app = new AppPage(page);
  await page.goto(E2E_URL);
  await expect(app.statusProblems).toHaveText('✓ 문제 없음', { timeout: 30_000 });
  const data = new DataTab(page);
  await data.open();
  await data.useFile(csv);
  await data.columns('name', 'class');
  const error = page.getByTestId('data-error');
  // The engine's words, in Korean: the place first, then what is wrong and what to do.
  await expect(error).toContainText('names.csv, 3행, "class" 열: 레이블이 비어 있습니다. 모든 행에 레이블을 넣거나 이 행을 지우세요.', { timeout: 60_000 });
  await expect(error).toContainText('데이터를 읽을 수 없습니다');
  await expect(error).not.toContainText('the label is empty');
  await app.screenshot('ko-08-data-error');
  // A fixed copy of the file: read, and the problem is gone.
  const fixed = join(dir, 'fixed.csv');
  writeFileSync(fixed, 'name,class\nKim,Korean\nAbe,Japanese\nMori,Japanese\nLee,Korean\nPark,Korean\nSato,Japanese\n');
  await data.useFile(fixed);
  await expect(error).toHaveCount(0, { timeout: 60_000 });
  expect(app.pageErrors).toEqual([]);
});
