/**
 * The main path once in Korean, as a Korean student of the course meets it: the browser says
 * ko-KR, so the app opens in Korean without being told; the block docs, the engine's problems, the
 * status bar's running job, the charts and the test evaluation are in Korean; Settings switches
 * the theme and the language. Screenshots: tests/e2e/screenshots/ko-*.png (look at them).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E_URL, e2eRunsDir } from './env';
import { AppPage } from './pages/AppPage';
import { DataTab } from './pages/DataTab';
import { TrainingViews } from './pages/TrainingViews';

test.use({ locale: 'ko-KR', colorScheme: 'dark' });

/** The run folder this spec trained last (the one with final weights). */
function newestRun(): string {
  const root = e2eRunsDir();
  const runs = readdirSync(root)
    .map((name) => join(root, name))
    .filter((dir) => existsSync(join(dir, 'final.json')))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!runs[0]) throw new Error(`no finished run in ${root}`);
  return runs[0];
}

/** Every text the element `testId` shows from now on, as it changes (a progress line lasts a moment). */
async function recordTexts(page: import('@playwright/test').Page, testId: string): Promise<() => Promise<string[]>> {
  await page.evaluate((id) => {
    const seen: string[] = [];
    (window as unknown as { __seen: string[] }).__seen = seen;
    const note = () => {
      const text = document.querySelector(`[data-testid="${id}"]`)?.textContent;
      if (text && seen.at(-1) !== text) seen.push(text);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, testId);
  return () => page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
}

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
  // A param's choices are labelled in Korean; the code stays the value the document keeps.
  const padding = app.inspector.getByTestId('param-padding');
  await expect(padding.locator('option[value="same"]')).toHaveText('same (크기 유지)');
  await expect(padding.locator('option[value="causal"]')).toHaveText('causal (미래를 보지 않음)');
  await expect(app.inspector.getByTestId('param-activation').locator('option[value="relu"]')).toHaveText('ReLU');
  await padding.selectOption('same');
  await expect(padding).toHaveValue('same');
  await expect(padding.locator('option:checked')).toHaveText('same (크기 유지)');
  await app.screenshot('ko-01b-choices');
  await padding.selectOption('valid');

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
  await expect(page.getByTestId('data-license-line')).toContainText('언어별 성씨');
  await expect(page.getByTestId('data-license-line')).not.toContainText('derived from');
  await expect(page.getByTestId('data-tokenizer').locator('option:checked')).toHaveText('문자 (char)');
  await expect(page.getByTestId('data-tokenizer').locator('option[value="word"]')).toHaveText('단어 (word)');
  await app.screenshot('ko-03-data');

  // One epoch; the status bar names the job while it runs.
  await app.setTraining('epochs', '1');
  await expect(app.inspector).toContainText('학습률');
  await expect(app.inspector).toContainText('배치 크기');
  const statusSeen = await recordTexts(page, 'run-status');
  await app.trainButton.click();
  await expect(page.getByTestId('status-job')).toContainText(/학습 중|시작하는 중/, { timeout: 60_000 });
  await expect.poll(async () => Number(await app.lossChart.getAttribute('data-points')), { timeout: 120_000 }).toBeGreaterThan(3);
  await expect(page.getByTestId('status-job')).toContainText('에포크 1/1');
  await app.screenshot('ko-04-training');
  await expect(page.getByTestId('run-done')).toBeVisible({ timeout: 240_000 });
  // What the run said while it started (the backend, loading the data, compiling), in Korean.
  const said = await statusSeen();
  expect(
    said.some((text) => /내장 데이터셋 surnames을\(를\) 불러오는 중|모델을 컴파일하는 중|백엔드/.test(text)),
    said.join(' | '),
  ).toBe(true);
  for (const text of said) expect(text).not.toMatch(/Loading|Compiling|Backend:/);
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

  // An export that really fails (the run's final weights are gone) says why in Korean.
  const runDir = newestRun();
  rmSync(join(runDir, 'final.json'));
  await page.getByTestId('export-button').click();
  await page.getByTestId('export-pytorch').click();
  const notice = page.getByTestId('notice-error');
  await expect(notice).toContainText('내보낼 수 없습니다', { timeout: 30_000 });
  await expect(notice).toContainText('최종 가중치가 없습니다');
  await expect(notice).not.toContainText('is incomplete');
  await app.screenshot('ko-07b-export-failed');

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
  // The learning-rate finder cannot read it either, and says so in Korean.
  await app.tab('training');
  await page.getByTestId('lr-find-button').click();
  const findError = page.getByTestId('lr-find-error');
  await expect(findError).toContainText(`데이터를 불러오지 못했습니다. ${csv}, 3행, "class" 열: 레이블이 비어 있습니다`, { timeout: 60_000 });
  await expect(findError).not.toContainText('could not be loaded');
  await app.screenshot('ko-08b-lr-finder-failed');
  await data.open();
  // A fixed copy of the file: read, and the problem is gone.
  const fixed = join(dir, 'fixed.csv');
  writeFileSync(fixed, 'name,class\nKim,Korean\nAbe,Japanese\nMori,Japanese\nLee,Korean\nPark,Korean\nSato,Japanese\n');
  await data.useFile(fixed);
  await expect(error).toHaveCount(0, { timeout: 60_000 });
  expect(app.pageErrors).toEqual([]);
});

test('the learning-rate finder says where it is and what it found in Korean', async ({ page }) => {
  test.setTimeout(240_000);
  const app = new AppPage(page);
  await page.goto(E2E_URL);
  await expect(app.statusProblems).toHaveText('✓ 문제 없음', { timeout: 30_000 });
  await app.tab('training');
  const seen = await recordTexts(page, 'lr-find');
  await page.getByTestId('lr-find-button').click();
  const find = page.getByTestId('lr-find');
  await expect(find).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  await expect(find).toContainText(/배치 \d+\/\d+/, { timeout: 120_000 });
  await app.screenshot('ko-09-lr-finder-running');
  await expect(find).toHaveAttribute('data-state', /done|stopped/, { timeout: 180_000 });
  await expect(page.getByTestId('lr-find-result')).toContainText('추천값');
  await app.screenshot('ko-10-lr-finder');
  // The sweep editor's problems, in Korean: a log scale from 0 cannot be sampled.
  if ((await page.getByTestId('sweep-add').count()) > 0) await page.getByTestId('sweep-add').click();
  await expect(page.getByTestId('sweep-scale-0')).toHaveValue('log');
  const min = page.getByTestId('sweep-min-0');
  await min.fill('0');
  await min.press('Enter');
  await expect(page.getByTestId('sweep-issues')).toContainText('학습률: log 스케일은 min이 0보다 커야 합니다(지금 0)');
  await page.getByTestId('sweep-issues').scrollIntoViewIfNeeded();
  await app.screenshot('ko-11-sweep-problem');
  const texts = await seen();
  // Its progress before the first batch, in Korean: the worker's words, not its English.
  expect(
    texts.some((text) => /학습률 탐색기를 시작하는 중|백엔드|데이터를 불러오는 중|모델을 컴파일하는 중|배치마다 학습률을 키우는 중/.test(text)),
    texts.join(' | '),
  ).toBe(true);
  for (const text of texts) expect(text).not.toMatch(/Starting|Loading|Compiling|Raising|Backend/);
  expect(app.pageErrors).toEqual([]);
});
