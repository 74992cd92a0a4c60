import { describe, expect, it } from 'vitest';
import { DataError } from '../../../engine/data/dataError';
import { prepareFromText } from '../../../engine/data/dataset';
import { splitByColumn, splitNamed } from '../../../engine/data/splitColumn';
import { DataSchema, type DataSpec } from '../../../engine/graph/document';

const spec = (over: Record<string, unknown> = {}): DataSpec => DataSchema.parse({ text: 'surname', label: 'nationality', ...over });

/** The course's surnames file in miniature: nationality, nationality_index, split, surname. */
function courseCsv(): string {
  const lines = ['nationality,nationality_index,split,surname'];
  const splits = ['train', 'train', 'train', 'train', 'val', 'test'];
  for (let i = 0; i < 36; i++) {
    const nat = i % 3 === 0 ? 'English' : i % 3 === 1 ? 'Greek' : 'Czech';
    lines.push(`${nat},${i % 3},${splits[i % 6]},N${i}ame`);
  }
  return lines.join('\n') + '\n';
}

describe('splitNamed', () => {
  it('reads the split names in any case, trimmed', () => {
    expect(['train', ' TRAIN ', 'Train'].map(splitNamed)).toEqual(['train', 'train', 'train']);
    expect(['dev', 'val', 'Valid', 'VALIDATION', ' val\t'].map(splitNamed)).toEqual(['dev', 'dev', 'dev', 'dev', 'dev']);
    expect(['test', 'Test '].map(splitNamed)).toEqual(['test', 'test']);
    expect(['', 'training', 'toString', '__proto__', 'eval'].map(splitNamed)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('splitByColumn', () => {
  it('keeps file order in each part', () => {
    const parts = splitByColumn(['test', 'train', 'val', 'train', 'dev'], { file: 'f.csv', column: 'split', lineOf: (i) => i + 2 });
    expect(Array.from(parts.train)).toEqual([1, 3]);
    expect(Array.from(parts.dev)).toEqual([2, 4]);
    expect(Array.from(parts.test)).toEqual([0]);
  });

  it('needs at least one train row', () => {
    expect(() => splitByColumn(['val', 'test'], { file: 'f.csv', column: 'split', lineOf: (i) => i + 2 })).toThrow(
      /f\.csv: no row of the split column \(split\) says train/,
    );
  });
});

describe('prepareFromText with data.split.column', () => {
  it('puts every row where its split column says, ignoring the ratios', () => {
    const d = prepareFromText(courseCsv(), 'surnames.csv', spec({ split: { column: 'split', ratios: [0.2, 0.4, 0.4] } }), { keepTexts: true });
    expect(d.summary.split).toEqual({ train: 24, dev: 6, test: 6 });
    expect(d.summary.splitColumn).toBe('split');
    expect(d.train.texts!.slice(0, 4)).toEqual(['N0ame', 'N1ame', 'N2ame', 'N3ame']);
    expect(d.dev.texts!).toEqual(['N4ame', 'N10ame', 'N16ame', 'N22ame', 'N28ame', 'N34ame']);
    expect(d.test.texts![0]).toBe('N5ame');
    expect(d.summary.trainClassCounts).toEqual([6, 12, 6]); // Czech, English, Greek
    expect(d.classes).toEqual(['Czech', 'English', 'Greek']);
  });

  it('names the column by number too, and finds the header by it', () => {
    const d = prepareFromText(courseCsv(), 'surnames.csv', spec({ text: '4', label: '1', split: { column: 'column 3' }, header: true }));
    expect(d.summary.split).toEqual({ train: 24, dev: 6, test: 6 });
  });

  it('without a column, splits by the seeded ratios as before', () => {
    const d = prepareFromText(courseCsv(), 'surnames.csv', spec(), { keepTexts: true });
    expect(d.summary.splitColumn).toBeUndefined();
    expect(d.summary.split.train + d.summary.split.dev + d.summary.split.test).toBe(36);
    expect(d.summary.split.train).toBe(24);
    // Stratified ratios interleave: not the file's train rows.
    expect(d.train.texts!.slice(0, 4)).not.toEqual(['N0ame', 'N1ame', 'N2ame', 'N3ame']);
  });

  it('reports an unknown split value with its file line and the value', () => {
    const text = courseCsv().replace('Greek,1,train,N7ame', 'Greek,1,training,N7ame');
    let err: DataError | undefined;
    try {
      prepareFromText(text, 'surnames.csv', spec({ split: { column: 'split' } }));
    } catch (e) {
      err = e as DataError;
    }
    expect(err).toBeInstanceOf(DataError);
    // Header on line 1, row i on line i + 2.
    expect(err!.line).toBe(9);
    expect(err!.message).toMatch(
      /^surnames\.csv, line 9, column "split": the split column says "training"; it must be train, dev \(or val, valid, validation\) or test\./,
    );
    expect(err!.field).toBe('split');
  });

  it('reports an empty split value on its line, counting quoted line breaks', () => {
    const text = 'surname,nationality,split\n"A\nB",x,train\nC,y,train\nD,x,\n';
    expect(() => prepareFromText(text, 'q.csv', spec({ split: { column: 'split' } }))).toThrow(/^q\.csv, line 5, column "split": the split column says ""/);
  });

  it('refuses a split column that does not exist, or that is the text or the label', () => {
    expect(() => prepareFromText(courseCsv(), 's.csv', spec({ split: { column: 'part' } }))).toThrow(/there is no column named "part".*as the split column/);
    expect(() => prepareFromText(courseCsv(), 's.csv', spec({ split: { column: 'surname' } }))).toThrow(
      /split column is column 4 \("surname"\), which is also the text/,
    );
  });

  it('keeps the old split form loading unchanged, and the column form round-trips', () => {
    expect(DataSchema.parse({ split: { ratios: [0.8, 0.1, 0.1], seed: 2, stratify: false } }).split).toEqual({
      ratios: [0.8, 0.1, 0.1],
      seed: 2,
      stratify: false,
    });
    expect(DataSchema.parse({ split: { column: 'split' } }).split).toEqual({ ratios: [0.7, 0.15, 0.15], seed: 1337, stratify: true, column: 'split' });
    expect(DataSchema.safeParse({ split: { column: '' } }).success).toBe(false);
  });
});
