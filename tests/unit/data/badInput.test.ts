/**
 * Bad input: every case the issue lists gets one clear DataError naming the file, and the line
 * and column where there is one, and nothing half-imported (prepare throws; it returns nothing).
 * Every file here is made by the test.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../engine/data/dataError';
import { prepareData, prepareFromBytes, prepareFromText } from '../../../engine/data/dataset';
import { loadGlove } from '../../../engine/data/glove';
import { buildVocabulary } from '../../../engine/data/vocabulary';
import { DataSchema, type DataSpec } from '../../../engine/graph/document';
import { memoryFiles } from './filePort';

const spec = (over: Record<string, unknown> = {}): DataSpec => DataSchema.parse({ source: { path: 'bad.csv' }, text: 'name', label: 'kind', ...over });
const enc = (s: string) => new TextEncoder().encode(s);

/** The DataError `run` throws (the test fails if it throws something else or nothing). */
function errorOf(run: () => unknown): DataError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error('expected a DataError, but nothing was thrown');
}

const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');

describe('bad input: one clear message naming file, line and column', () => {
  it('an empty file', () => {
    expect(errorOf(() => prepareFromBytes(new Uint8Array(0), 'bad.csv', spec())).message).toBe('bad.csv: the file is empty.');
    expect(errorOf(() => prepareFromBytes(enc('\n\r\n  \n'), 'bad.csv', spec())).message).toMatch(/^bad\.csv: /);
  });

  it('a header only', () => {
    const e = errorOf(() => prepareFromText('name,kind\n', 'bad.csv', spec()));
    expect(e.message).toBe('bad.csv: the file has a header row ("name", "kind") but no data rows.');
  });

  it('a missing or misspelled column lists the columns (and guesses the one meant)', () => {
    const text = 'name,knid\nab,x\ncd,y\n';
    const e = errorOf(() => prepareFromText(text, 'bad.csv', spec()));
    expect(e.message).toMatch(
      /^bad\.csv: there is no column named "kind" \(did you mean "knid"\?\); the file's columns are: "name", "knid"\. Choose one of them as the label column\.$/,
    );
    expect(errorOf(() => prepareFromText(text, 'bad.csv', spec({ text: ['name', 'title'], label: 'knid' }))).message).toMatch(
      /no column named "title".*"name", "knid".*as the text column/,
    );
  });

  it('a ragged row names its line', () => {
    const e = errorOf(() => prepareFromText('name,kind\nab,x\n"c\nd",y\nef,x,extra\ngh,y\n', 'bad.csv', spec()));
    expect(e.message).toMatch(/^bad\.csv, line 5: this row has 3 fields but the header has 2; quote fields that contain "," or line breaks\.$/);
    expect(e.line).toBe(5);
    // Past the first 500 rows too (they are read before the header is decided).
    const late = errorOf(() => prepareFromText(`name,kind\n${rows(800, (i) => `n${i},${i % 2}`)}\nlast\n`, 'bad.csv', spec()));
    expect(late.line).toBe(802);
  });

  it('invalid bytes for the chosen encoding name the line and character', () => {
    const good = iconv.encode('name,kind\n김민수,a\n이영희,b\n', 'cp949');
    const bad = new Uint8Array([...good, ...iconv.encode('박', 'cp949').subarray(0, 1), 0x2c, 0x61, 0x0a]);
    const e = errorOf(() => prepareFromBytes(bad, 'bad.csv', spec({ fileEncoding: 'cp949' })));
    expect(e.message).toMatch(/^bad\.csv, line 4, character 1: these bytes are not valid CP949 \/ EUC-KR \(Korean\), the encoding chosen for it\./);
    expect([e.line, e.column]).toEqual([4, 1]);
    // The same bytes read as UTF-8: the error says which encoding it tried, and that it was chosen.
    expect(errorOf(() => prepareFromBytes(good, 'bad.csv', spec({ fileEncoding: 'utf-8' }))).message).toMatch(
      /^bad\.csv, line 2, character 1: these bytes are not valid UTF-8/,
    );
  });

  it('a label column with one class', () => {
    expect(errorOf(() => prepareFromText('name,kind\na,x\nb,x\nc,x\n', 'bad.csv', spec())).message).toBe(
      'bad.csv: the label column (kind) has only one value, "x"; a classifier needs two classes or more.',
    );
  });

  it('a class with no training row names it and its first line', () => {
    const text = `name,kind,split\n${rows(6, (i) => `a${i},x,train`)}\n${rows(3, (i) => `b${i},y,${i ? 'test' : 'dev'}`)}\n`;
    const e = errorOf(() => prepareFromText(text, 'bad.csv', spec({ split: { column: 'split' } })));
    expect(e.message).toMatch(
      /^bad\.csv, line 8, column "kind": the class "y" has no row in the train split \(its 3 rows, this one first, are all dev or test\)/,
    );
    expect([e.line, e.field]).toEqual([8, 'kind']);
  });

  it('split values other than the known ones', () => {
    const text = `name,kind,split\n${rows(4, (i) => `a${i},${i % 2},train`)}\nz,1,holdout\n`;
    const e = errorOf(() => prepareFromText(text, 'bad.csv', spec({ split: { column: 'split' } })));
    expect(e.message).toBe('bad.csv, line 6, column "split": the split column says "holdout"; it must be train, dev (or val, valid, validation) or test.');
  });

  it('an empty text', () => {
    const e = errorOf(() => prepareFromText('name,kind\nab,x\n  ,y\ncd,x\n', 'bad.csv', spec()));
    expect(e.message).toBe('bad.csv, line 3, column "name": the text is empty; give the row a text or delete it.');
    // With several text columns, only a row with all of them empty is refused.
    const two = spec({ text: ['name', 'note'], label: 'kind' });
    expect(
      prepareFromText('name,note,kind\nab,,x\n,cd,y\nef,gh,x\nij,,y\n', 'bad.csv', { ...two, split: { ...two.split, ratios: [1, 0, 0] } }).summary.rows,
    ).toBe(4);
    expect(errorOf(() => prepareFromText('name,note,kind\nab,,x\n, ,y\n', 'bad.csv', two)).message).toMatch(
      /^bad\.csv, line 3, column "name": every text column \("name", "note"\) is empty/,
    );
  });

  it('a numeric column is refused as text, with a hint', () => {
    const e = errorOf(() => prepareFromText(`price,kind\n${rows(20, (i) => `${i * 1.5},${i % 2 ? 'cheap' : 'dear'}`)}\n`, 'bad.csv', spec({ text: 'price' })));
    expect(e.message).toMatch(
      /^bad\.csv, line 2, column "price": the text column holds numbers \("0" here, and all 20 rows read so far\), not text\. Modelwright classifies text/,
    );
    expect(e.field).toBe('price');
  });

  it('a 50 MB single line is refused early, not held whole', () => {
    const bytes = new Uint8Array(50 * 1024 * 1024).fill(0x61);
    bytes.set(enc('name,kind\n'));
    const t0 = performance.now();
    const e = errorOf(() => prepareFromBytes(bytes, 'bad.csv', spec()));
    expect(e.message).toMatch(/^bad\.csv, line 2: this row is longer than 1,000,000 characters/);
    expect(e.line).toBe(2);
    // It stops within the first few chunks, not after decoding all 50 MB.
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('an unclosed quote names the line and character it opens on', () => {
    const e = errorOf(() => prepareFromText('name,kind\nab,x\ncd,"y\nef,x\n', 'bad.csv', spec()));
    expect(e.message).toMatch(/^bad\.csv, line 3, character 4: a quoted field starts here and its closing quote never comes/);
    expect([e.line, e.column]).toEqual([3, 4]);
  });

  it('a binary file renamed .csv', () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]);
    expect(errorOf(() => prepareFromBytes(zip, 'bad.csv', spec())).message).toBe(
      'bad.csv: this is a zip archive (an Excel .xlsx or OpenDocument file is one); save it as CSV.',
    );
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Uint8Array(100)]);
    expect(errorOf(() => prepareFromBytes(elf, 'bad.csv', spec())).message).toBe('bad.csv: this is a program (ELF).');
  });

  it('a GloVe file with rows of different dimensions names the line', () => {
    const vocab = buildVocabulary([['the', 'cat']]);
    const glove = enc('the 0.1 0.2 0.3\ncat 0.4 0.5\n');
    const e = errorOf(() => loadGlove(glove, vocab, undefined, { file: 'glove.txt' }));
    expect(e.message).toBe('glove.txt, line 2: the word "cat" has 2 numbers after it, but the file\'s rows have 3; the file may be cut off or damaged.');
    expect(e.line).toBe(2);
  });

  it('a document without data is told what to do', async () => {
    await expect(prepareData(undefined, memoryFiles())).rejects.toThrow(/this model has no data yet: choose a built-in dataset or a CSV\/TSV file/);
  });

  it('leaves nothing behind: a file read after a failed one is read afresh', async () => {
    const files = memoryFiles({ 'bad.csv': 'name,kind\nab,x\ncd,y,z\n', 'good.csv': 'name,kind\nab,x\ncd,y\nef,x\ngh,y\nij,x\nkl,y\n' });
    await expect(prepareData(spec(), files)).rejects.toThrow(DataError);
    const ok = await prepareData(spec({ source: { path: 'good.csv' }, split: { ratios: [1, 0, 0] } }), files);
    expect(ok.summary.rows).toBe(6);
  });
});
