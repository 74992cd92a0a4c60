import { describe, expect, it } from 'vitest';
import { chooseColumns, looksLikeHeader } from '../../../engine/data/columns';
import { formatCsv, parseTable } from '../../../engine/data/csv';
import { prepareFromBytes, prepareFromText } from '../../../engine/data/dataset';
import { previewFile } from '../../../engine/data/preview';
import { DataSchema } from '../../../engine/graph/document';

const AG = [
  '"3","Fears for T N pension after talks","Unions representing workers at Turner   Newall say they are \'disappointed\'."',
  '"4","The Race is On: Second Private Team Sets Launch Date","SPACE.com - TORONTO, Canada -- A second\\team of rocketeers"',
  '"1","Kerry, Bush trade barbs","Washington - the candidates, again."',
  '"2","Phelps wins gold","Athens -- ""Michael"" Phelps won."',
];

describe('parseTable', () => {
  it('detects comma, tab, semicolon and pipe delimiters', () => {
    for (const d of [',', '\t', ';', '|']) {
      const t = parseTable(`a${d}b${d}c\n1${d}2${d === ',' ? '' : ', x'}${d}3\n4${d}5${d}6\n`, 'f.txt');
      expect(t.delimiter).toBe(d);
      expect(t.rows[0]).toEqual(['a', 'b', 'c']);
    }
  });

  it('reads a .tsv file as tab-separated even when its fields hold commas', () => {
    const t = parseTable('text\tlabel\nhello, world\tx\n', 'data.tsv');
    expect(t.rows).toEqual([
      ['text', 'label'],
      ['hello, world', 'x'],
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const t = parseTable('a,b\n"x, y","say ""hi""\nthere"\n', 'q.csv');
    expect(t.rows[1]).toEqual(['x, y', 'say "hi"\nthere']);
  });

  it('handles CRLF line ends', () => {
    expect(parseTable('a,b\r\n1,2\r\n', 'crlf.csv').rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('names the line of an unclosed quote', () => {
    expect(() => parseTable('a,b\n1,2\n3,"oops\n', 'q.csv')).toThrow(
      /^q\.csv, line 3, character 3: a quoted field starts here and its closing quote never comes/,
    );
  });

  it('round-trips what formatCsv writes', () => {
    const rows = [
      ["O'Brien", 'English'],
      ['a,b', 'x"y'],
      ['line\nbreak', 'z'],
    ];
    const text = formatCsv(['surname', 'country'], rows);
    expect(parseTable(text, 'r.csv').rows).toEqual([['surname', 'country'], ...rows]);
  });
});

describe('header detection and columns', () => {
  const rows = (text: string) => parseTable(text, 'f.csv').rows;

  it('sees that AG News has no header row', () => {
    expect(looksLikeHeader(rows(AG.join('\n')))).toBe(false);
  });

  it('sees a header above a numeric column or above repeating labels', () => {
    expect(looksLikeHeader(rows('label,text\n1,aa\n2,bb\n1,cc\n'))).toBe(true);
    expect(looksLikeHeader(rows('name,lang\nSmith,English\nMüller,German\nJones,English\n'))).toBe(true);
    expect(looksLikeHeader(rows('Smith,English\nMüller,German\nJones,English\n'))).toBe(false);
  });

  it('resolves columns by 1-based number in several spellings', () => {
    const r = rows(AG.join('\n'));
    for (const ref of ['2', 'column 2', 'Column2', '#2']) {
      expect(chooseColumns(r, { text: ref, label: '1' }, 'ag.csv')).toMatchObject({ hasHeader: false, textColumn: 1, labelColumn: 0 });
    }
  });

  it('takes a number that is also a cell of row 0 as a number, unless the file has a header', () => {
    const r = rows('2,1\na,x\nb,y\n');
    expect(chooseColumns(r, { text: '2', label: '1' }, 'f.csv')).toMatchObject({ hasHeader: false, textColumn: 1, labelColumn: 0 });
    expect(chooseColumns(r, { text: '2', label: '1', header: true }, 'f.csv')).toMatchObject({ hasHeader: true, textColumn: 0, labelColumn: 1 });
    const ag = rows([AG[2], AG[0], AG[1], AG[3]].join('\n')); // row 0 is class "1"
    expect(chooseColumns(ag, { text: '2', label: '1' }, 'ag.csv')).toMatchObject({ hasHeader: false, textColumn: 1, labelColumn: 0 });
  });

  it('takes row 0 as the header when it holds a named column', () => {
    const r = rows('text,label\nhello,text\nbye,label\n');
    expect(chooseColumns(r, { text: 'text', label: 'label' }, 'f.csv')).toMatchObject({ hasHeader: true, textColumn: 0, labelColumn: 1 });
  });

  it('explains names used on a file without a header, and numbers out of range', () => {
    const r = rows(AG.join('\n'));
    expect(() => chooseColumns(r, { text: 'title', label: '1' }, 'ag.csv')).toThrow(
      /^ag\.csv: the text column is "title", but the file has no header row \(its first row is "3", "Fears for T N pension after ta…", .*name them by number, e\.g\. "column 2"/,
    );
    expect(() => chooseColumns(r, { text: 'column 7', label: '1' }, 'ag.csv')).toThrow(/the text column is "column 7", but the file has 3 columns/);
    expect(() => chooseColumns(r, { text: '1', label: '1' }, 'ag.csv')).toThrow(/both column 1/);
  });
});

describe('an AG-News-format file end to end', () => {
  const lines = Array.from({ length: 80 }, (_, i) => AG[i % 4]!.replace('Fears', `Fears${i}`));
  const spec = DataSchema.parse({
    source: { path: 'ag.csv' },
    text: 'column 2',
    label: 'column 1',
    tokenizer: 'word',
    encoding: 'index',
    labelNames: { '1': 'World', '2': 'Sports', '3': 'Business', '4': 'Sci/Tech' },
  });

  it('reads classes 1–4 in order, named, with word tokens as int32 ids', () => {
    const d = prepareFromText(lines.join('\n') + '\n', 'ag.csv', spec, { keepTexts: true });
    expect(d.classes).toEqual(['World', 'Sports', 'Business', 'Sci/Tech']);
    expect(d.summary.classCounts).toEqual([20, 20, 20, 20]);
    expect(d.summary.inputDtype).toBe('int32');
    expect(d.vocab.tokens).toContain('kerry');
    expect(d.vocab.tokens).not.toContain('Kerry');
    const i = d.train.texts!.findIndex((t) => t.startsWith('Phelps'));
    const ids = Array.from(d.train.ids.subarray(i * d.summary.maxLength, (i + 1) * d.summary.maxLength));
    expect(ids.slice(0, 3).map((id) => d.vocab.tokens[id])).toEqual(['phelps', 'wins', 'gold']);
    expect(ids.slice(3).every((id) => id === 0)).toBe(true);
  });

  it('reads the same file from UTF-16 and with a UTF-8 BOM', () => {
    const text = lines.join('\r\n');
    const utf8 = prepareFromBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]), 'ag.csv', spec);
    const le = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) le[2 + 2 * i] = text.charCodeAt(i);
    const u16 = prepareFromBytes(le, 'ag.csv', spec);
    expect(u16.train.ids).toEqual(utf8.train.ids);
    expect(u16.vocab.tokens).toEqual(utf8.vocab.tokens);
  });

  it('caps the vocabulary at maxVocab, keeping the most frequent words', () => {
    const d = prepareFromText(lines.join('\n'), 'ag.csv', { ...spec, maxVocab: 5 });
    expect(d.vocab.size).toBe(5);
    expect(d.summary.vocabSize).toBe(5);
    expect(Math.max(...d.train.ids)).toBeLessThan(5);
  });
});

describe('previewFile', () => {
  it('shows what was detected and the first rows', () => {
    const ag = previewFile(new TextEncoder().encode(AG.join('\n')), 'ag.csv', { rows: 2 });
    expect(ag).toMatchObject({ encoding: 'utf-8', delimiter: ',', hasHeader: false, columns: ['column 1', 'column 2', 'column 3'], rowCount: 4 });
    expect(ag.rows).toHaveLength(2);
    const tsv = previewFile(new TextEncoder().encode('text\tlabel\nhi\t1\nho\t2\n'), 'x.tsv');
    expect(tsv).toMatchObject({
      delimiter: '\t',
      hasHeader: true,
      columns: ['text', 'label'],
      rows: [
        ['hi', '1'],
        ['ho', '2'],
      ],
      rowCount: 2,
    });
  });
});
