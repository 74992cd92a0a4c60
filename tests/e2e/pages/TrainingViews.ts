/**
 * The training panel's views beyond the live curves, as the runs spec drives them: the test
 * evaluation, the prediction box, the runs list and its overlay, the bias/variance readout.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class TrainingViews {
  constructor(readonly page: Page) {}

  async show(view: 'curves' | 'test' | 'predict' | 'runs'): Promise<void> {
    await this.page.getByTestId(`view-${view}`).click();
    await expect(this.page.getByTestId(`view-${view}`)).toHaveAttribute('aria-selected', 'true');
  }

  get biasVariance(): Locator {
    return this.page.getByTestId('bias-variance');
  }
  get confusionMatrix(): Locator {
    return this.page.getByTestId('confusion-matrix');
  }
  get classMetrics(): Locator {
    return this.page.getByTestId('class-metrics');
  }
  get predictInput(): Locator {
    return this.page.getByTestId('predict-input');
  }
  get predictions(): Locator {
    return this.page.getByTestId('predict-class');
  }
  get runsPanel(): Locator {
    return this.page.getByTestId('runs-panel');
  }
  get runRows(): Locator {
    return this.page.getByTestId('run-row');
  }
  get overlay(): Locator {
    return this.page.getByTestId('runs-overlay');
  }
  get lrChart(): Locator {
    return this.page.getByTestId('lr-chart');
  }

  row(runId: string): Locator {
    return this.page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  }

  /** The run ids in the list, top (newest) first, once the list has been read. */
  async runIds(): Promise<string[]> {
    await expect(this.runsPanel).toHaveAttribute('data-loaded', 'true');
    return this.runRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id') ?? ''));
  }

  async rename(runId: string, name: string): Promise<void> {
    await this.row(runId).getByTestId('run-rename').click();
    const input = this.row(runId).getByTestId('run-name-input');
    await input.fill(name);
    await input.press('Enter');
    await expect(this.row(runId)).toContainText(name);
  }

  async tick(runId: string): Promise<void> {
    await this.row(runId).getByTestId('run-tick').check();
  }
}
