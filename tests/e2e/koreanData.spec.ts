/**
 * A Korean user's first file: a CSV saved by Korean Excel (CP949), imported through the Data tab,
 * its encoding detected and its Hangul read right, previewed as tokens, bound to the surname CNN
 * and trained for one epoch.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import iconv from 'iconv-lite';
import { AppPage } from './pages/AppPage';
import { DataTab } from './pages/DataTab';

const SURNAMES = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임'];
const MALE = ['민준', '서준', '도윤', '예준', '시우', '하준', '주원', '지호', '준우', '건우'];
const FEMALE = ['서연', '서윤', '지우', '서현', '민서', '하은', '하윤', '윤서', '지유', '채원'];

/**
 * 201 full names labelled 남 (male) or 여 (female), written in CP949 as Korean Excel saves CSV;
 * the first, 홍길동, has syllables no other name has.
 */
function koreanCsv(): string {
  const lines = ['이름,성별', '홍길동,남'];
  for (const s of SURNAMES) {
    for (const g of MALE) lines.push(`${s}${g},남`);
    for (const g of FEMALE) lines.push(`${s}${g},여`);
  }
  const path = join(mkdtempSync(join(tmpdir(), 'mw-korean-')), '이름.csv');
  writeFileSync(path, iconv.encode(lines.join('\r\n') + '\r\n', 'cp949'));
  return path;
}

test('imports a CP949 CSV, previews its Hangul tokens, and trains the surname CNN on it for one epoch', async ({ page }) => {
  test.setTimeout(240_000);
  const csv = koreanCsv();
  const app = new AppPage(page);
  await app.open();
  const data = new DataTab(page);
  await data.open();

  await data.useFile(csv);
  await data.columns('이름', '성별');
  await expect(data.rows).toHaveText('201', { timeout: 60_000 });
  await expect(data.classes).toHaveText('2');
  // Detected, not guessed as Windows-1252: the names read as Hangul.
  await expect(data.encoding).toContainText('CP949 / EUC-KR (Korean)');
  await expect(data.encoding).toContainText('detected');
  await expect(page.getByTestId('data-stats')).toContainText('"이름"');
  await expect(page.getByTestId('class-split-chart')).toContainText('남');

  // Each name as the model gets it: its syllables as tokens, their ids, the one-hot tensor.
  await expect(data.preview.getByTestId('token-row').first()).toContainText('홍길동');
  await expect(data.preview.getByTestId('token').filter({ hasText: '김' }).first()).toBeVisible();
  // The preview follows the tokenizer: as words, a name is one token.
  await page.getByTestId('data-tokenizer').selectOption('word');
  await expect(data.preview.getByTestId('token').filter({ hasText: '김서연' }).first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('data-punctuation')).toBeVisible();
  await page.getByTestId('data-tokenizer').selectOption('char');
  await expect(data.preview.getByTestId('token').filter({ hasText: '김서연' })).toHaveCount(0, { timeout: 60_000 });
  // Syllables seen once become <unk> with a minimum count of 2, and are marked.
  await data.minCount(2);
  await expect(data.preview.getByTestId('token-unk')).toHaveCount(3, { timeout: 60_000 });

  // The CNN's four convolutions need 17 positions: pad every name to 17.
  await data.fixedLength(17);
  await expect(page.getByTestId('data-input-shape')).toContainText('[17, ', { timeout: 60_000 });
  await expect(page.getByTestId('length-histogram')).toHaveAttribute('data-max-length', '17');
  await expect(app.statusProblems).toHaveText(/valid/, { timeout: 30_000 });
  await data.encoding.scrollIntoViewIfNeeded();
  await app.screenshot('11-korean-data');
  await data.preview.scrollIntoViewIfNeeded();
  await app.screenshot('12-korean-tokens');

  await app.setTraining('epochs', '1');
  await app.trainButton.click();
  await expect(page.getByTestId('run-done')).toBeVisible({ timeout: 180_000 });
  await expect(app.runStatus).toHaveText(/Finished after 1 epoch/);
  await app.screenshot('13-korean-trained');
  expect(app.pageErrors).toEqual([]);
  expect(app.cspViolations).toEqual([]);
});

test('a model without data validates on its own and Train asks for data', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const data = new DataTab(page);
  await data.open();
  await page.getByTestId('data-source').selectOption('none');
  // The surname CNN's Input says "auto": with no data it has nothing to take its shape from.
  await expect(app.statusProblems).toHaveText(/problem/);
  await app.trainButton.click();
  await expect(page.getByTestId('run-error')).toContainText('This model has no data yet');
  await expect(data.panel).toBeVisible();
  await app.screenshot('14-no-data');
});
