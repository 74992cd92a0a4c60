/**
 * The Modelwright window, as the end-to-end specs drive it: what a person sees and does, named
 * once here so the specs read like the steps of a task.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { join } from 'node:path';
import { E2E_URL } from '../env';

export const SCREENSHOTS = join(__dirname, '..', 'screenshots');

export class AppPage {
  /** Console messages that report a Content-Security-Policy violation. */
  readonly cspViolations: string[] = [];
  readonly pageErrors: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) this.cspViolations.push(message.text());
    });
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
  }

  /** Opens the app; it shows the surname CNN example with every shape known. */
  async open(): Promise<void> {
    await this.page.goto(E2E_URL);
    await expect(this.node('output')).toBeVisible();
    await expect(this.statusProblems).toHaveText(/valid/, { timeout: 30_000 });
  }

  get canvas(): Locator {
    return this.page.getByTestId('canvas');
  }
  get inspector(): Locator {
    return this.page.getByTestId('inspector');
  }
  get statusProblems(): Locator {
    return this.page.getByTestId('status-problems');
  }
  get trainButton(): Locator {
    return this.page.getByTestId('train-button');
  }
  get stopButton(): Locator {
    return this.page.getByTestId('stop-button');
  }
  get lossChart(): Locator {
    return this.page.getByTestId('loss-chart');
  }
  get runStatus(): Locator {
    return this.page.getByTestId('run-status');
  }
  /** The progress line: the status, then "epoch E/N · step B/S · …" while a run goes on. */
  get runProgress(): Locator {
    return this.page.getByTestId('run-progress');
  }
  /** How many batch points the loss chart holds, and the step of its first. */
  async lossCurve(): Promise<{ points: number; firstStep: number | null }> {
    const points = Number(await this.lossChart.getAttribute('data-points'));
    const first = await this.lossChart.getAttribute('data-first-step');
    return { points, firstStep: first ? Number(first) : null };
  }

  node(id: string): Locator {
    return this.page.locator(`.react-flow__node[data-id="${id}"]`);
  }
  nodes(): Locator {
    return this.page.locator('.react-flow__node');
  }
  /** The label on the wire from `source` to `target`: its shape, or its reason in red. */
  wire(source: string, target: string): Locator {
    return this.page.locator(`.edge-label[data-source="${source}"][data-target="${target}"]`);
  }
  nodeShape(id: string): Locator {
    return this.page.getByTestId(`node-shape-${id}`);
  }

  /** Drags a block from the palette and drops it at a point of the canvas (pixels from its top-left). */
  async dragBlock(type: string, at: { x: number; y: number }): Promise<void> {
    await this.page.getByTestId(`palette-item-${type}`).dragTo(this.canvas, { targetPosition: at });
  }

  /** Every block's id on the canvas, sorted. */
  async nodeIds(): Promise<string[]> {
    const ids = await this.nodes().evaluateAll((els) => els.map((el) => el.getAttribute('data-id') ?? ''));
    return ids.sort();
  }

  /**
   * Drags a block from the palette to a point of the canvas (pixels from its top-left) and
   * returns the id the editor gave it, the one block that was not there before.
   */
  async dropBlock(type: string, at: { x: number; y: number }): Promise<string> {
    const before = new Set(await this.nodeIds());
    const count = before.size;
    await this.dragBlock(type, at);
    await expect(this.nodes()).toHaveCount(count + 1);
    const added = (await this.nodeIds()).filter((id) => !before.has(id));
    if (added.length !== 1) throw new Error(`dropping ${type} added ${added.length} blocks`);
    return added[0]!;
  }

  /**
   * Sets a param of the block shown in the inspector to `value` the way a person does: picks it
   * in a list, ticks a switch or types it. A param the field already shows is left alone, and
   * "auto" is left to a field that already says auto.
   */
  async setParam(key: string, value: unknown): Promise<void> {
    const field = this.inspector.getByTestId(`param-${key}`);
    await expect(field).toBeVisible();
    const tag = await field.evaluate((el) => `${el.tagName.toLowerCase()}:${(el as HTMLInputElement).type}`);
    if (tag.startsWith('select')) {
      // An option's value is the param's code; its text is a label in the user's language.
      await field.selectOption(String(value));
      await expect(field).toHaveValue(String(value));
    } else if (tag === 'input:checkbox') {
      await field.setChecked(value === true);
    } else if (value === 'auto') {
      await expect(field).toHaveAttribute('placeholder', 'auto');
    } else if ((await field.inputValue()) !== String(value)) {
      await field.fill(String(value));
      await expect(field).toHaveValue(String(value));
      await expect(this.inspector.locator('.field-error')).toHaveCount(0);
    }
  }

  /** Draws a wire with the mouse, from a block's output to an input port of another. */
  async connect(source: string, target: string, port = 'in'): Promise<void> {
    // Where the ports are once the blocks have settled: a block's look follows the analysis a
    // frame or two after an edit (a wire just drawn), and a block that grows a line moves its
    // ports; a press beside a port grabs the block instead.
    const from = await settledCenter(this.node(source).locator('.react-flow__handle.source'));
    const to = await settledCenter(this.node(target).locator(`.react-flow__handle.target[data-handleid="${port}"]`));
    const mouse = this.page.mouse;
    await mouse.move(from.x, from.y);
    await mouse.down();
    await mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
    await mouse.move(to.x, to.y, { steps: 5 });
    await mouse.up();
  }

  /** Selects a wire by its label and deletes it with the keyboard. */
  async deleteWire(source: string, target: string): Promise<void> {
    await this.wire(source, target).click();
    await this.page.keyboard.press('Delete');
    await expect(this.wire(source, target)).toHaveCount(0);
  }

  async moveNode(id: string, by: { x: number; y: number }): Promise<void> {
    const head = await center(this.node(id).locator('.block-head'));
    await this.page.mouse.move(head.x, head.y);
    await this.page.mouse.down();
    await this.page.mouse.move(head.x + by.x, head.y + by.y, { steps: 8 });
    await this.page.mouse.up();
  }

  async tab(name: 'block' | 'model' | 'training' | 'data'): Promise<void> {
    await this.page.getByTestId(`tab-${name}`).click();
  }

  /** Sets a training setting in the inspector's Training tab, e.g. `epochs` to 1. */
  async setTraining(key: string, value: string): Promise<void> {
    await this.tab('training');
    const input = this.inspector.getByTestId(`training-${key}`);
    await input.fill(value);
    await expect(input).toHaveValue(value);
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  }
}

async function center(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${String(locator)} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** `center`, once two reads three frames apart agree. */
export async function settledCenter(locator: Locator): Promise<{ x: number; y: number }> {
  let last = await center(locator);
  for (let i = 0; i < 40; i++) {
    await locator.page().evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(done)))));
    const now = await center(locator);
    if (now.x === last.x && now.y === last.y) return now;
    last = now;
  }
  return last;
}
