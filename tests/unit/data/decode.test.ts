/**
 * Encodings: tiny CSVs written in each encoding with iconv-lite here, detected and read back;
 * a named encoding overrides detection; bytes the encoding cannot read are an error on their line.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetNamed, fileEncodingNamed } from '../../../engine/data/charsets';
import { DataError } from '../../../engine/data/dataError';
import { prepareFromBytes } from '../../../engine/data/dataset';
import { chunkDecoder, decodeText, InvalidBytes, notTextReason } from '../../../engine/data/decode';
import { detectEncoding } from '../../../engine/data/detectEncoding';
import { DataSchema, type DataSpec } from '../../../engine/graph/document';

const encode = (text: string, charset: string): Uint8Array => new Uint8Array(iconv.encode(text, charset));
const spec = (over: Record<string, unknown> = {}): DataSpec => DataSchema.parse({ text: 'name', label: 'class', ...over });

/** A small file of each script, long enough for a detector to have something to go on. */
const FILES: { charset: string; text: string; names: string[] }[] = [
  {
    charset: 'cp949',
    text: 'name,class\n김민수,남\n이영희,여\n박지성,남\n최수진,여\n정우성,남\n한지민,여\n',
    names: ['김민수', '이영희', '박지성'],
  },
  { charset: 'shift_jis', text: 'name,class\n田中太郎,男\n佐藤花子,女\n鈴木一郎,男\n高橋美咲,女\n', names: ['田中太郎', '佐藤花子'] },
  { charset: 'gb18030', text: 'name,class\n王伟,男\n李娜,女\n张敏,女\n刘洋,男\n陈静,女\n', names: ['王伟', '李娜'] },
  { charset: 'windows-1250', text: 'name,class\nDvořák,Česko\nŁukasz Żółć,Polska\nŠťastný,Česko\nWięcek,Polska\n', names: ['dvořák', 'łukasz żółć'] },
  { charset: 'windows-1251', text: 'name,class\nИванов,Россия\nПетренко,Украина\nСидоров,Россия\nКоваленко,Украина\n', names: ['иванов', 'петренко'] },
  {
    charset: 'windows-1252',
    text: 'name,class\nMüller,Deutschland\nGarçon,France\nJosé Peña,España\nSchröder,Deutschland\nLefèvre,France\n',
    names: ['müller', 'garçon'],
  },
];

describe('detectEncoding', () => {
  for (const f of FILES) {
    it(`detects ${f.charset} and says how sure it is`, () => {
      const choice = detectEncoding(encode(f.text, f.charset), true)!;
      expect(choice.charset).toBe(charsetNamed(f.charset));
      expect(choice.how).toBe('detected');
      expect(choice.confidence).toBeGreaterThan(0);
      expect(['likely', 'guess']).toContain(choice.certainty);
    });
  }

  it('is certain of a BOM, of valid UTF-8 and of plain ASCII', () => {
    const text = 'name,class\nMüller,de\n김민수,ko\n';
    expect(detectEncoding(new Uint8Array([0xef, 0xbb, 0xbf, ...encode(text, 'utf-8')]), true)).toMatchObject({
      charset: 'utf-8',
      how: 'bom',
      bomBytes: 3,
      certainty: 'certain',
    });
    expect(detectEncoding(encode(text, 'utf-8'), true)).toMatchObject({ charset: 'utf-8', how: 'utf-8', certainty: 'certain' });
    expect(detectEncoding(encode('a,b\n1,2\n', 'utf-8'), true)).toMatchObject({ charset: 'utf-8', how: 'ascii', certainty: 'certain' });
    expect(detectEncoding(new Uint8Array([0xff, 0xfe, ...encode(text, 'utf-16le')]), true)).toMatchObject({ charset: 'utf-16le', how: 'bom', bomBytes: 2 });
    expect(detectEncoding(new Uint8Array([0xfe, 0xff, ...encode(text, 'utf-16be')]), true)).toMatchObject({ charset: 'utf-16be', how: 'bom', bomBytes: 2 });
  });

  it('finds UTF-16 without a BOM by its NULs', () => {
    expect(detectEncoding(encode('name,class\nSmith,en\n', 'utf-16le'), true)).toMatchObject({ charset: 'utf-16le', how: 'utf-16' });
    expect(detectEncoding(encode('name,class\nSmith,en\n', 'utf-16be'), true)).toMatchObject({ charset: 'utf-16be', how: 'utf-16' });
  });

  it('knows the names spreadsheets and people use', () => {
    expect(charsetNamed('EUC-KR')).toBe('cp949');
    expect(charsetNamed('ks_c_5601-1987')).toBe('cp949');
    expect(charsetNamed('SJIS')).toBe('shift_jis');
    expect(charsetNamed('GBK')).toBe('gb18030');
    expect(charsetNamed('Latin1')).toBe('windows-1252');
    expect(charsetNamed('cp1251')).toBe('windows-1251');
    expect(fileEncodingNamed('AUTO')).toBe('auto');
    expect(charsetNamed('ebcdic')).toBeUndefined();
  });
});

describe('reading a file in its encoding', () => {
  for (const f of FILES) {
    it(`reads a ${f.charset} CSV: its text survives tokenizing and the vocabulary`, () => {
      const d = prepareFromBytes(encode(f.text, f.charset), `names-${f.charset}.csv`, spec({ split: { ratios: [1, 0, 0] } }), { keepTexts: true });
      expect(d.summary.fileEncoding).toMatchObject({ name: charsetNamed(f.charset), how: 'detected' });
      const texts = d.train.texts!.map((t) => t.toLowerCase());
      for (const name of f.names) expect(texts).toContain(name.toLowerCase());
      // Every character of the file's names is in the vocabulary (built on train) or counted as <unk>.
      const chars = new Set([...d.train.texts!.join('')].map((c) => c.toLowerCase()));
      for (const c of chars) expect(d.vocab.ids.has(c), c).toBe(true);
      expect(d.vocab.tokens.join('')).not.toMatch(/\uFFFD/);
    });
  }

  it('reads UTF-8 with and without a BOM, and UTF-16 LE and BE, the same', () => {
    const text = 'name,class\r\nMüller,de\r\nŁukasz,pl\r\n김민수,ko\r\nSchmidt,de\r\nNowak,pl\r\n이영희,ko\r\n';
    const s = spec({ split: { ratios: [1, 0, 0] } });
    const plain = prepareFromBytes(encode(text, 'utf-8'), 'a.csv', s);
    for (const bytes of [
      new Uint8Array([0xef, 0xbb, 0xbf, ...encode(text, 'utf-8')]),
      new Uint8Array([0xff, 0xfe, ...encode(text, 'utf-16le')]),
      new Uint8Array([0xfe, 0xff, ...encode(text, 'utf-16be')]),
      encode(text, 'utf-16le'),
    ]) {
      const d = prepareFromBytes(bytes, 'a.csv', s);
      expect(d.vocab.tokens).toEqual(plain.vocab.tokens);
      expect(d.train.ids).toEqual(plain.train.ids);
    }
  });

  it('uses the encoding the data spec names instead of detecting', () => {
    // Windows-1252 bytes read as Windows-1250 on purpose: "ñ" (0xF1) is "ń" there.
    const bytes = encode('name,class\nPeña,a\nGómez,b\nPeña,a\nGómez,b\n', 'windows-1252');
    const d = prepareFromBytes(bytes, 'x.csv', spec({ fileEncoding: 'windows-1250', split: { ratios: [1, 0, 0] } }));
    expect(d.summary.fileEncoding).toMatchObject({ name: 'windows-1250', how: 'chosen', certainty: 'certain' });
    expect(d.vocab.tokens).toContain('ń');
  });

  it('turns bytes the chosen encoding cannot read into an error on their line and character', () => {
    const bytes = encode('name,class\nSmith,a\nJones,b\nSmith,a\nJones,b\n', 'utf-8');
    const bad = new Uint8Array([...bytes.subarray(0, 27), 0xc3, 0x28, ...bytes.subarray(27)]);
    let err: DataError | undefined;
    try {
      prepareFromBytes(bad, 'bad.csv', spec({ fileEncoding: 'utf-8' }));
    } catch (e) {
      err = e as DataError;
    }
    expect(err).toBeInstanceOf(DataError);
    expect(err!.message).toMatch(/^bad\.csv, line 4, character 1: these bytes are not valid UTF-8, the encoding chosen for it\./);
    expect(err!.line).toBe(4);
    expect(err!.column).toBe(1);
    const cp949 = new Uint8Array([...encode('name,class\n김민수,a\n', 'cp949'), 0xb1, 0x0a]);
    expect(() => prepareFromBytes(cp949, 'k.csv', spec({ fileEncoding: 'cp949' }))).toThrow(/^k\.csv, line 3, character 1: these bytes are not valid CP949/);
  });

  it('reads a file whose non-ASCII text starts after the first chunk in the encoding found there', () => {
    // 300 KB of ASCII rows (more than detection reads), then Korean rows in CP949.
    const ascii = Array.from({ length: 30_000 }, (_, i) => `Name${i},${i % 2 ? 'a' : 'b'}`).join('\n');
    const korean = Array.from({ length: 40 }, (_, i) => `${['김민수', '이영희', '박지성', '최수진'][i % 4]}${i},${i % 2 ? 'a' : 'b'}`).join('\n');
    const bytes = new Uint8Array([...encode(`name,class\n${ascii}\n`, 'utf-8'), ...encode(`${korean}\n`, 'cp949')]);
    const d = prepareFromBytes(bytes, 'late.csv', spec());
    expect(d.summary.fileEncoding).toMatchObject({ name: 'cp949', how: 'detected' });
    expect(d.vocab.tokens).toContain('김');
  });

  it('decodes in chunks cut anywhere, inside a character too', () => {
    const text = '김민수,남\n田中,男\n';
    for (const charset of ['cp949', 'utf-8'] as const) {
      const bytes = encode(text.replace('田中', '이영'), charset);
      for (let cut = 1; cut < bytes.length; cut++) {
        const dec = chunkDecoder(charset);
        expect(dec.write(bytes.subarray(0, cut)) + dec.write(bytes.subarray(cut)) + dec.end()).toBe(text.replace('田中', '이영'));
      }
    }
    const dec = chunkDecoder('utf-8');
    dec.write(new Uint8Array([0x41, 0xe2, 0x82]));
    expect(() => dec.end()).toThrow(InvalidBytes);
  });

  it('decodes a whole file with decodeText, detected or named', () => {
    const bytes = encode('이름,국가\n김철수,한국\n', 'cp949');
    expect(decodeText(bytes)).toMatchObject({ text: '이름,국가\n김철수,한국\n', encoding: 'cp949' });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])).text).toBe('a');
    expect(() => decodeText(new Uint8Array([0x61, 0xff]), 'utf-8', 'f.csv')).toThrow(/^f\.csv, line 1, character 2: these bytes are not valid UTF-8/);
  });
});

describe('files that are not text', () => {
  it('says what a binary file renamed .csv is instead of parsing it', () => {
    const s = DataSchema.parse({ source: { path: 'book.csv' }, text: 'a', label: 'b' });
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
    expect(() => prepareFromBytes(xlsx, 'book.csv', s)).toThrow(
      /^book\.csv: this is a zip archive \(an Excel \.xlsx or OpenDocument file is one\); save it as CSV\.$/,
    );
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(() => prepareFromBytes(png, 'photo.csv', s)).toThrow(/^photo\.csv: this is a PNG image\.$/);
    const noise = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) % 256);
    expect(() => prepareFromBytes(noise, 'noise.csv', s)).toThrow(/^noise\.csv: this is not a text file/);
    expect(notTextReason(encode('a,b\n1,2\n', 'utf-8'))).toBeNull();
    expect(notTextReason(encode('name,lang\nMüller,German\n', 'utf-16le'))).toBeNull();
  });
});
