/**
 * What a streamed file leaves of each row while it is read: its tokens as ids into a dictionary
 * of every distinct token seen (the vocabulary is chosen later, on the train split only), its
 * label, split and line. Typed arrays that grow by doubling, so a 120,000-row file costs about
 * four bytes a token and a few a row, not the text.
 */

/** An Int32Array that grows. */
export class GrowableInt32 {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  /** Room for `n` more. */
  reserve(n: number): void {
    if (this.length + n > this.data.length) this.grow(this.length + n);
  }
  private grow(min: number): void {
    const next = new Int32Array(Math.max(min, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  /** The values pushed, as a view (valid until the next push). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** The id a dictionary gives the `<sep>` between two columns' tokens. */
export const SEP_MARK = -1;

/** Each distinct string seen gets the next id. */
export class Dictionary {
  readonly ids = new Map<string, number>();
  readonly strings: string[] = [];
  idOf(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      const own = fresh(s);
      this.ids.set(own, id);
      this.strings.push(own);
    }
    return id;
  }
}

/**
 * A copy of `s` that does not keep the string it was cut from alive: V8 makes a long slice a
 * view of its parent (a whole chunk of the file), and a dictionary holds on to its keys.
 */
export function fresh(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** The rows read so far. */
export class RowStore {
  /** Token ids of all rows, one after another (`SEP_MARK` between columns). */
  readonly tokens = new GrowableInt32(1 << 16);
  /** Row i's tokens are `tokens[offsets[i] .. offsets[i+1])`. */
  readonly offsets = new GrowableInt32(1 << 12);
  readonly labels = new GrowableInt32(1 << 12);
  /** 0 train, 1 dev, 2 test, when a split column says; else unused. */
  readonly parts = new GrowableInt32(1 << 12);
  /** The 1-based line each row starts on. */
  readonly lines = new GrowableInt32(1 << 12);
  readonly dictionary = new Dictionary();
  readonly labelNames = new Dictionary();

  constructor() {
    this.offsets.push(0);
  }

  get rows(): number {
    return this.labels.length;
  }
}
