/** The inspector's Data tab, as the data specs drive it: choose a file, its columns, read what the engine found. */
import { expect, type Locator, type Page } from '@playwright/test';

export class DataTab {
  constructor(readonly page: Page) {}

  get panel(): Locator {
    return this.page.getByTestId('data-panel');
  }
  get rows(): Locator {
    return this.page.getByTestId('data-rows');
  }
  get classes(): Locator {
    return this.page.getByTestId('data-classes');
  }
  get encoding(): Locator {
    return this.page.getByTestId('data-encoding-detected');
  }
  get preview(): Locator {
    return this.page.getByTestId('token-preview');
  }
  get error(): Locator {
    return this.page.getByTestId('data-error');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('tab-data').click();
    await expect(this.panel).toBeVisible();
  }

  /** Reads a CSV/TSV file on the host by its path (a typed path counts as the user's choice). */
  async useFile(path: string): Promise<void> {
    await this.page.getByTestId('data-source').selectOption('file');
    await this.commit(this.page.getByTestId('data-path'), path);
  }

  /** The text column(s), "a + b" for several, and the label column. */
  async columns(text: string, label: string): Promise<void> {
    await this.commit(this.page.getByTestId('data-text'), text);
    await this.commit(this.page.getByTestId('data-label'), label);
  }

  /** Every example cut or padded to `n` tokens. */
  async fixedLength(n: number): Promise<void> {
    await this.page.getByTestId('data-maxLength-mode').selectOption('fixed');
    await this.commit(this.page.getByTestId('data-maxLength'), String(n));
  }

  /** Tokens seen fewer times than `n` in train become <unk>. */
  async minCount(n: number): Promise<void> {
    await this.commit(this.page.getByTestId('data-minCount'), String(n));
  }

  async fileEncoding(name: string): Promise<void> {
    await this.page.getByTestId('data-file-encoding').selectOption(name);
  }

  private async commit(input: Locator, value: string): Promise<void> {
    await input.fill(value);
    await input.press('Enter');
    await expect(input).toHaveValue(value);
  }
}
