/**
 * Files a document names are read only once the user has seen and accepted them (issue 3):
 * a path typed in the Data tab is the user's own choice; one that came in a document file is
 * shown first, and nothing is read or trained until "Allow".
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { AppPage } from './pages/AppPage';

const ROWS = 200;
let dir: string;
let csv: string;

// Two classes a model can tell apart: names from the first half of the alphabet, and the second.
function writeCsv(path: string): void {
  const lines = ['surname,country'];
  for (let i = 0; i < ROWS; i++) {
    const low = i % 2 === 0;
    const letters = low ? 'abcdefghijklm' : 'nopqrstuvwxyz';
    let name = '';
    for (let j = 0; j < 4 + (i % 5); j++) name += letters[(i * 7 + j * 3) % letters.length];
    lines.push(`${name},${low ? 'Early' : 'Late'}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

test.beforeEach(async ({ page }) => {
  dir = mkdtempSync(join(tmpdir(), 'modelwright-e2e-consent-'));
  csv = join(dir, 'letters.csv');
  writeCsv(csv);
  // The <input type=file> path (no File System Access API), which a test can drive.
  await page.addInitScript(() => {
    for (const name of ['showOpenFilePicker', 'showSaveFilePicker']) Object.defineProperty(window, name, { value: undefined, configurable: true });
  });
});
test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a data path typed in the Data tab is read without asking', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.tab('data');
  await page.getByTestId('data-source').selectOption('file');
  await page.getByTestId('data-path').fill(csv);
  await page.getByTestId('data-path').press('Enter');
  await expect(page.getByTestId('data-rows')).toHaveText(String(ROWS));
  await expect(page.getByTestId('data-classes')).toHaveText('2');
  await expect(page.getByTestId('consent-dialog')).toHaveCount(0);
  // The web host cannot give a path, so there is no Browse… button in a browser.
  await expect(page.getByTestId('data-browse')).toHaveCount(0);
});

test('a document file that names a CSV asks first, explains until allowed, then trains on it', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new AppPage(page);
  await app.open();

  const doc = JSON.parse(readFileSync(join(__dirname, '..', '..', 'assets', 'examples', 'surname-mlp.json'), 'utf8')) as {
    name: string;
    data: Record<string, unknown>;
    training: Record<string, unknown>;
  };
  doc.name = 'Letters';
  doc.data.source = { path: csv };
  doc.training.epochs = 1;
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('open-button').click();
  await (await chooser).setFiles({ name: 'letters.modelwright', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(page.getByTestId('file-name')).toHaveText('letters.modelwright');

  const consent = page.getByTestId('consent-dialog');
  await expect(consent).toBeVisible();
  await expect(consent.getByTestId('consent-file')).toHaveCount(1);
  await expect(consent.getByTestId('consent-file')).toContainText(csv);
  await expect(consent.getByTestId('consent-file')).toContainText('data');
  await app.screenshot('07-consent');

  // "Not now": nothing is read; the Data tab and Train say why.
  await page.getByTestId('consent-dismiss').click();
  await expect(consent).toHaveCount(0);
  await app.tab('data');
  await expect(page.getByTestId('data-needs-consent')).toContainText(csv);
  await expect(page.getByTestId('data-rows')).toHaveCount(0);
  await app.trainButton.click();
  await expect(page.getByTestId('run-error')).toContainText(/not allowed yet/);
  await expect(app.runStatus).toHaveText(/Waiting for you to allow/);
  await expect(consent).toBeVisible();
  await app.screenshot('08-not-allowed-yet');

  await page.getByTestId('consent-allow').click();
  await expect(consent).toHaveCount(0);
  await expect(page.getByTestId('run-error')).toHaveCount(0);
  await expect(page.getByTestId('data-rows')).toHaveText(String(ROWS));
  await expect(page.getByTestId('data-classes')).toHaveText('2');

  await app.trainButton.click();
  await expect(page.getByTestId('run-done')).toBeVisible({ timeout: 90_000 });
  await expect(app.runStatus).toHaveText(/Finished after 1 epoch/);
  await app.screenshot('09-csv-trained');
  expect(app.pageErrors).toEqual([]);
});

test('the GloVe example lists its data and its vectors; paths typed in our own fields need no consent', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByTestId('examples-button').click();
  await page.getByTestId('example-news-glove-cnn.json').click();
  const consent = page.getByTestId('consent-dialog');
  const files = consent.getByTestId('consent-file');
  await expect(files).toHaveCount(2);
  await expect(files.nth(0)).toContainText(/ag_news_train\.csv\s*data/);
  await expect(files.nth(1)).toContainText(/glove\.6B\.100d\.txt\s*pretrained vectors · node glove/);
  await app.screenshot('10-consent-glove');

  // The Embedding's pretrained field: a path typed there is the user's own choice.
  const glove = join(dir, 'glove.txt');
  writeFileSync(glove, 'the 0.1 0.2\n');
  await app.node('glove').click();
  await app.inspector.getByTestId('param-pretrained').fill(glove);
  await expect(files).toHaveCount(1);
  await expect(files).toContainText('ag_news_train.csv');

  await app.tab('data');
  await page.getByTestId('data-path').fill(csv);
  await page.getByTestId('data-path').press('Enter');
  await expect(consent).toHaveCount(0);
  // Read, not refused: the engine got as far as its columns (the example's are AG News's).
  await expect(page.getByTestId('data-panel').getByRole('alert')).toContainText(/text column is "column 3"/);
  await expect(page.getByTestId('data-needs-consent')).toHaveCount(0);

  // A file shaped like AG News (class, title, description; no header): the Data tab says how
  // much of its vocabulary the vectors cover. Words that occur twice (minCount 2) make the
  // vocabulary: "the", "stocks", "rise", "team", "wins", "match"; vectors exist for "the" and "team".
  const news = join(dir, 'news.csv');
  const rows = ['"1","World","the stocks rise"', '"2","Sports","the team wins match"'];
  writeFileSync(news, Array.from({ length: 40 }, (_, i) => rows[i % 2]).join('\n') + '\n');
  writeFileSync(glove, 'the 0.1 0.2\nteam 0.3 0.4\nunseen 0.5 0.6\n');
  await page.getByTestId('data-path').fill(news);
  await page.getByTestId('data-path').press('Enter');
  await expect(page.getByTestId('glove-coverage')).toHaveText('Pretrained vectors: 33% of the vocabulary, 43% of tokens found');
  await app.screenshot('11-glove-coverage');
  expect(app.pageErrors).toEqual([]);
});
