/**
 * The tuning part of the Training tab and the sweep results over the workspace, as the sweep
 * spec drives them (issue 17).
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class TunePanel {
  constructor(readonly page: Page) {}

  get panel(): Locator {
    return this.page.getByTestId('tune-panel');
  }
  get results(): Locator {
    return this.page.getByTestId('sweep-results');
  }
  get table(): Locator {
    return this.page.getByTestId('sweep-table');
  }
  get rows(): Locator {
    return this.table.locator('tbody tr');
  }
  get scatter(): Locator {
    return this.page.getByTestId('sweep-scatter');
  }
  get parallel(): Locator {
    return this.page.getByTestId('sweep-parallel');
  }
  get lrPlot(): Locator {
    return this.page.getByTestId('lr-finder-plot');
  }

  /** Types a value into one of the sweep's settings (trials, seed, epochs a trial) and commits it. */
  async setSweep(name: 'trials' | 'seed' | 'epochs', value: string): Promise<void> {
    const input = this.panel.getByTestId(`sweep-${name}`);
    await input.fill(value);
    await input.press('Enter');
    await expect(this.panel.getByTestId(`sweep-${name}`)).toHaveValue(value);
  }

  async run(): Promise<void> {
    await this.panel.getByTestId('sweep-run').click();
    await expect(this.results).toBeVisible();
  }

  /** Waits for the sweep shown to end, and checks it finished. */
  async waitDone(timeout: number): Promise<void> {
    await expect(this.results).toHaveAttribute('data-state', 'done', { timeout });
  }

  /** Sorts the table by the column whose header says `label`. */
  async sortBy(label: string): Promise<void> {
    await this.table.locator('th', { hasText: label }).first().click();
  }

  /** Each row's best dev loss, top to bottom. */
  async losses(): Promise<number[]> {
    return (await this.table.getByTestId('sweep-row-loss').allTextContents()).map(Number);
  }

  /** The text of one column (by header label) in the row of trial `trial`. */
  async cell(trial: number, column: number): Promise<string> {
    return (await this.table.locator(`tr[data-trial="${trial}"] td`).nth(column).textContent()) ?? '';
  }

  async close(): Promise<void> {
    await this.page.getByTestId('sweep-close').click();
    await expect(this.results).toHaveCount(0);
  }
}
