import { describe, expect, it } from 'vitest';
import { prepareFromBytes } from '../../../engine/data/dataset';
import { decodeText, notTextReason } from '../../../engine/data/decode';
import { DataSchema } from '../../../engine/graph/document';

const utf16 = (text: string, bigEndian: boolean): Uint8Array => {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 + 2 * i + (bigEndian ? 0 : 1)] = c >> 8;
    out[2 + 2 * i + (bigEndian ? 1 : 0)] = c & 0xff;
  }
  return out;
};

describe('decodeText', () => {
  const text = 'name,lang\nMüller,German\nŁukasz,Polish\n';

  it('reads UTF-8, with or without a BOM (the BOM is not part of the text)', () => {
    const bytes = new TextEncoder().encode(text);
    expect(decodeText(bytes)).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]))).toEqual({ text, encoding: 'utf-8' });
  });

  it('reads UTF-16 LE and BE by their BOM', () => {
    expect(decodeText(utf16(text, false))).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeText(utf16(text, true))).toEqual({ text, encoding: 'utf-16be' });
  });

  it('falls back to Latin-1 (Windows-1252) when the bytes are not valid UTF-8', () => {
    const bytes = new Uint8Array([...'Andr'].map((c) => c.charCodeAt(0)).concat([0xe9, 0x2c, 0x80, 0x0a]));
    expect(decodeText(bytes)).toEqual({ text: 'André,€\n', encoding: 'windows-1252' });
  });

  it('decodes a large Latin-1 file whole', () => {
    const bytes = new Uint8Array(100_000).fill(0xe9);
    const { text: out } = decodeText(bytes);
    expect(out.length).toBe(100_000);
    expect(out).toBe('é'.repeat(100_000));
  });
});

describe('files that are not text', () => {
  it('reads UTF-16 saved without a BOM', () => {
    const text = 'name,lang\nMüller,German\n';
    const le = utf16(text, false).subarray(2);
    const be = utf16(text, true).subarray(2);
    expect(decodeText(le)).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeText(be)).toEqual({ text, encoding: 'utf-16be' });
    expect(notTextReason(le)).toBeNull();
  });

  it('says what a binary file is instead of parsing it', () => {
    const spec = DataSchema.parse({ source: { path: 'book.xlsx' }, text: 'a', label: 'b' });
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
    expect(() => prepareFromBytes(xlsx, 'book.xlsx', spec)).toThrow(/^book\.xlsx: this is a zip archive \(an Excel \.xlsx or OpenDocument file is one\); save it as CSV\.$/);
    const noise = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) % 256);
    expect(notTextReason(noise)).toMatch(/not a text file/);
    expect(notTextReason(new TextEncoder().encode('a,b\n1,2\n'))).toBeNull();
  });
});
