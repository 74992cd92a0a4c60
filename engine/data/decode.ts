/**
 * Bytes → text for user files, a chunk at a time, in the encoding detectEncoding.ts chose (or the
 * data spec named): UTF-8 through the platform's strict decoder, everything else through
 * iconv-lite. A byte the encoding cannot read is an error, never a replacement character.
 */
import iconv from 'iconv-lite';
import { CHARSET_LABELS, iconvName, type Charset } from './charsets';
import { completeUtf8Prefix, detectEncoding, toBuffer, utf16WithoutBom, type EncodingChoice } from './detectEncoding';
import { english, type Words } from '../words';
import { dataError, type DataError } from './dataError';

/** Bytes that `charset` cannot read: `before` is the text of the chunk up to them. */
export class InvalidBytes extends Error {
  constructor(
    readonly charset: Charset,
    /** The chunk's text before the first unreadable byte. */
    readonly before: string,
    /** Where in the chunk written the unreadable byte is, when the decoder knows (UTF-8 does). */
    readonly byteOffset?: number,
  ) {
    super(`bytes that are not valid ${CHARSET_LABELS[charset]}`);
  }
}

/** A streaming decoder: feed it chunks in order; it keeps a character cut between two chunks for the next. */
export interface ChunkDecoder {
  /** The text of `bytes` (less a character cut at its end). Throws {@link InvalidBytes}. */
  write(bytes: Uint8Array): string;
  /** The text still held back; throws {@link InvalidBytes} when the file ends inside a character. */
  end(): string;
}

const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LENIENT_UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** A decoder for `charset`. */
export function chunkDecoder(charset: Charset): ChunkDecoder {
  return charset === 'utf-8' ? utf8Decoder() : iconvDecoder(charset);
}

function utf8Decoder(): ChunkDecoder {
  let carry: Uint8Array | null = null;
  const decode = (bytes: Uint8Array, carried: number): string => {
    try {
      return FATAL_UTF8.decode(bytes);
    } catch {
      const bad = firstInvalidUtf8(bytes);
      throw new InvalidBytes('utf-8', LENIENT_UTF8.decode(bytes.subarray(0, bad)), Math.max(0, bad - carried));
    }
  };
  return {
    write(chunk) {
      let bytes = chunk;
      const carried = carry?.length ?? 0;
      if (carry) {
        bytes = new Uint8Array(carry.length + chunk.length);
        bytes.set(carry);
        bytes.set(chunk, carry.length);
        carry = null;
      }
      const end = completeUtf8Prefix(bytes);
      if (end < bytes.length) carry = bytes.slice(end);
      return decode(bytes.subarray(0, end), carried);
    },
    end() {
      if (!carry) return '';
      const rest = carry;
      carry = null;
      return decode(rest, 0);
    },
  };
}

/** The offset of the first byte of `bytes` that is not part of a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + need >= bytes.length) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

function iconvDecoder(charset: Charset): ChunkDecoder {
  // The BOM is skipped by the caller (EncodingChoice.bomBytes); iconv must not eat a second one.
  const decoder = iconv.getDecoder(iconvName(charset), { stripBOM: false });
  // UTF-16 can hold U+FFFD itself; a legacy encoding that yields it could not read a byte.
  const strict = !charset.startsWith('utf-16');
  const check = (text: string): string => {
    if (strict) {
      const bad = text.indexOf('\uFFFD');
      if (bad >= 0) throw new InvalidBytes(charset, text.slice(0, bad));
    }
    return text;
  };
  return {
    write: (bytes) => check(decoder.write(toBuffer(bytes))),
    end: () => check(decoder.end() ?? ''),
  };
}

/**
 * Decodes a whole file: in the named charset, or detected. The BOM, if any, is not part of the
 * text. Throws a `DataError` naming the line of a byte the encoding cannot read.
 */
export function decodeText(bytes: Uint8Array, charset?: Charset, file = 'the file'): { text: string; encoding: Charset; choice: EncodingChoice } {
  const choice: EncodingChoice | undefined = charset
    ? { charset, how: 'chosen', confidence: 1, certainty: 'certain', alternatives: [], bomBytes: 0 }
    : detectEncoding(bytes.subarray(0, 256 * 1024), bytes.length <= 256 * 1024);
  if (!choice) throw dataError('data.noEncoding', file);
  const decoder = chunkDecoder(choice.charset);
  let text = '';
  try {
    text = decoder.write(bytes.subarray(choice.bomBytes));
    text += decoder.end();
    return { text, encoding: choice.charset, choice };
  } catch (err) {
    if (!(err instanceof InvalidBytes)) throw err;
    const { line, column } = positionAfter(text + err.before);
    throw invalidBytesError(file, err.charset, line, column, choice);
  }
}

/** The 1-based line and column just after `text`. */
function positionAfter(text: string): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: text.length - last };
}

/** The error for bytes `choice.charset` cannot read at `line`, `column`, with what to do about it. */
export function invalidBytesError(file: string, charset: Charset, line: number, column: number, choice: Pick<EncodingChoice, 'how'>): DataError {
  const why = choice.how === 'chosen' ? 'data.encodingWhy.chosen' : choice.how === 'ascii' ? 'data.encodingWhy.ascii' : 'data.encodingWhy.detected';
  return dataError('data.invalidBytes', { file, line, column }, { charset: CHARSET_LABELS[charset], why: { key: why } });
}

const SIGNATURES: [number[], Words['key']][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'data.binary.zip'],
  [[0x1f, 0x8b], 'data.binary.gzip'],
  [[0x25, 0x50, 0x44, 0x46], 'data.binary.pdf'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'data.binary.ole'],
  [[0x89, 0x50, 0x4e, 0x47], 'data.binary.png'],
  [[0xff, 0xd8, 0xff], 'data.binary.jpeg'],
  [[0x47, 0x49, 0x46, 0x38], 'data.binary.gif'],
  [[0x7f, 0x45, 0x4c, 0x46], 'data.binary.elf'],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], 'data.binary.sqlite'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'data.binary.7z'],
  [[0x52, 0x61, 0x72, 0x21], 'data.binary.rar'],
  [[0x50, 0x41, 0x52, 0x31], 'data.binary.parquet'],
  [[0x42, 0x5a, 0x68], 'data.binary.bzip2'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'data.binary.xz'],
];

/**
 * Why `bytes` (a file's start) is not a text file, or null when it looks like one: a known binary
 * signature, or NUL bytes (or many control characters) in its first 4 KB that UTF-16 does not
 * explain.
 */
export function notTextReason(bytes: Uint8Array): string | null {
  const words = notTextWords(bytes);
  return words ? english(words) : null;
}

/** `notTextReason` as words, for the error that says it ("data.csv: this is a PNG image."). */
export function notTextWords(bytes: Uint8Array): Words | null {
  for (const [magic, key] of SIGNATURES) {
    if (bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b)) return { key };
  }
  const hasBom = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (hasBom || utf16WithoutBom(bytes)) return null;
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) return { key: 'data.binary.nul' };
  let controls = 0;
  for (const b of head) if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12) controls++;
  if (head.length >= 64 && controls > head.length / 20) return { key: 'data.binary.controls' };
  return null;
}
