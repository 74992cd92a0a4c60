/**
 * The graph editor, as the editor specs drive it: wiring (and refused wires), selection, the
 * block search a double-click opens, layout and snapping. Built on AppPage's window.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage, settledCenter } from './AppPage';

export class EditorPage extends AppPage {
  constructor(page: Page) {
    super(page);
  }

  /** The reason a wire was refused, shown at the pointer after the mouse is let go. */
  get refusal(): Locator {
    return this.page.getByTestId('wire-refusal');
  }
  /** The same reason while the wire is still held over the input. */
  get liveRefusal(): Locator {
    return this.page.getByTestId('wire-refusal-live');
  }
  get wires(): Locator {
    return this.page.locator('.react-flow__edge');
  }
  get selectedNodes(): Locator {
    return this.page.locator('.react-flow__node.selected');
  }
  get search(): Locator {
    return this.page.getByTestId('block-search');
  }

  get gallery(): Locator {
    return this.page.getByTestId('template-gallery');
  }
  /** File → New from template. */
  async openGallery(): Promise<void> {
    await this.page.getByTestId('examples-button').click();
    await this.page.getByTestId('new-from-template').click();
    await expect(this.gallery).toBeVisible();
  }
  template(stem: string): Locator {
    return this.page.getByTestId(`template-${stem}`);
  }

  /** File → New from template → Blank model: an empty canvas on the built-in data. */
  async newBlankModel(): Promise<void> {
    await this.openGallery();
    await this.template('blank').click();
    await expect(this.gallery).toHaveCount(0);
    await expect(this.nodes()).toHaveCount(0);
  }

  get undoButton(): Locator {
    return this.page.getByTestId('undo-button');
  }
  get redoButton(): Locator {
    return this.page.getByTestId('redo-button');
  }
  /** Clicks an empty corner of the canvas, so the keyboard goes to the editor, not a field. */
  async focusCanvas(): Promise<void> {
    await this.canvas.locator('.react-flow__pane').click({ position: { x: 12, y: 12 } });
  }

  /** The model's problems, as the Model tab lists them (the status bar's count opens it). */
  get problems(): Locator {
    return this.page.getByTestId('model-summary').getByTestId('issues').locator('li');
  }
  async openProblems(): Promise<void> {
    await this.statusProblems.click();
    await expect(this.page.getByTestId('model-summary')).toBeVisible();
  }

  /** Selects blocks: a click on the first, shift-clicks on the rest. */
  async selectNodes(ids: readonly string[]): Promise<void> {
    const [first, ...rest] = ids;
    await this.node(first!).locator('.block-head').click();
    for (const id of rest) await this.clickWith(id, 'Shift');
    await expect(this.selectedNodes).toHaveCount(ids.length);
  }

  /** Saves the selected blocks as a group named `name`, from the selection bar. */
  async saveGroup(name: string): Promise<void> {
    await this.page.getByTestId('save-group').click();
    await this.page.getByTestId('group-name').fill(name);
    await this.page.getByTestId('group-save').click();
  }

  /** Opens a template from File → New from template. */
  async openTemplate(stem: string): Promise<void> {
    await this.openGallery();
    await this.template(stem).click();
    await expect(this.gallery).toHaveCount(0);
  }

  /** Holds a wire from `source`'s output over `target`'s input, mouse still down. */
  async holdWire(source: string, target: string, port = 'in'): Promise<() => Promise<void>> {
    const from = await settledCenter(this.node(source).locator('.react-flow__handle.source'));
    const to = await settledCenter(this.node(target).locator(`.react-flow__handle.target[data-handleid="${port}"]`));
    const mouse = this.page.mouse;
    await mouse.move(from.x, from.y);
    await mouse.down();
    await mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
    await mouse.move(to.x, to.y, { steps: 5 });
    return () => mouse.up();
  }

  /** Every wire as `source->target`, sorted, from the labels on the canvas. */
  async wireList(): Promise<string[]> {
    const labels = this.page.locator('.edge-label');
    const n = await labels.count();
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const label = labels.nth(i);
      out.push(`${await label.getAttribute('data-source')}->${await label.getAttribute('data-target')}`);
    }
    return out.sort();
  }

  /** Clicks a block with a modifier held (Shift, Control or Meta). */
  async clickWith(id: string, modifier: 'Shift' | 'Control' | 'Meta'): Promise<void> {
    await this.node(id)
      .locator('.block-head')
      .click({ modifiers: [modifier] });
  }

  /** Double-clicks an empty point of the canvas (pixels from its top-left). */
  async doubleClickCanvas(at: { x: number; y: number }): Promise<void> {
    await this.canvas.locator('.react-flow__pane').dblclick({ position: at });
  }

  /** A block's position on the canvas (flow coordinates), from React Flow's transform. */
  async position(id: string): Promise<{ x: number; y: number }> {
    const transform = await this.node(id).evaluate((el) => (el as HTMLElement).style.transform);
    const m = /translate\((-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(transform);
    if (!m) throw new Error(`${id} has no position (${transform})`);
    return { x: Number(m[1]), y: Number(m[2]) };
  }
}
