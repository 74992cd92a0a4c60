/**
 * Which text encoding a file's first bytes are in. A byte-order mark decides (UTF-8, UTF-16
 * LE/BE), then UTF-16 without one (a NUL in every other byte), then plain ASCII and valid UTF-8,
 * which are certain; anything else is asked of jschardet (a port of Python's chardet), and only
 * the candidates that decode the bytes without an error are believed.
 */
import iconv from 'iconv-lite';
import jschardet from 'jschardet';
import { charsetNamed, iconvName, type Charset } from './charsets';

/** How sure a choice is: certain (a BOM, valid UTF-8, ASCII), likely (well ahead of the next reading), or a guess. */
export type Certainty = 'certain' | 'likely' | 'guess';

/** The encoding a file is read in, and why. */
export interface EncodingChoice {
  charset: Charset;
  /**
   * bom: its byte-order mark; utf-16: NULs in every other byte; ascii: no byte above 127 (any
   * encoding reads it the same); utf-8: valid UTF-8 with non-ASCII text; detected: jschardet's
   * best reading; chosen: the data spec named it.
   */
  how: 'bom' | 'utf-16' | 'ascii' | 'utf-8' | 'detected' | 'chosen';
  /** 0–1: 1 for a BOM, ASCII, valid UTF-8 or a chosen one; else the detector's confidence. */
  confidence: number;
  certainty: Certainty;
  /** Other encodings that read the bytes without an error but differently, best first (at most 3). */
  alternatives: Charset[];
  /** Bytes at the start of the file that are its byte-order mark, not text. */
  bomBytes: number;
}

/** How many bytes detection looks at. */
export const DETECT_BYTES = 256 * 1024;

/** The encoding the data spec names, as a choice (its BOM, if it has one, is skipped). */
export function chosenEncoding(charset: Charset, head: Uint8Array): EncodingChoice {
  const bom = bomOf(head);
  return { charset, how: 'chosen', confidence: 1, certainty: 'certain', alternatives: [], bomBytes: bom && bom.charset === charset ? bom.bytes : 0 };
}

/**
 * Detects the encoding of `head`, the first bytes of a file (all of it when `complete`; else a
 * multi-byte character may be cut at its end). Undefined when no encoding reads it without an
 * error.
 */
export function detectEncoding(head: Uint8Array, complete: boolean): EncodingChoice | undefined {
  const bom = bomOf(head);
  if (bom) return { charset: bom.charset, how: 'bom', confidence: 1, certainty: 'certain', alternatives: [], bomBytes: bom.bytes };
  const utf16 = utf16WithoutBom(head);
  if (utf16) return { charset: utf16, how: 'utf-16', confidence: 0.9, certainty: 'likely', alternatives: [], bomBytes: 0 };
  if (isAscii(head)) return { charset: 'utf-8', how: 'ascii', confidence: 1, certainty: 'certain', alternatives: [], bomBytes: 0 };
  if (isUtf8(head, complete)) return { charset: 'utf-8', how: 'utf-8', confidence: 1, certainty: 'certain', alternatives: [], bomBytes: 0 };

  // Cut the sample at its last line end, so no candidate fails on a character cut in two.
  let whole = head;
  if (!complete) {
    const nl = head.lastIndexOf(10);
    if (nl > 0) whole = head.subarray(0, nl + 1);
  }
  // The evidence is in the lines with non-ASCII bytes (the rest reads the same in every
  // candidate); a file of mostly ASCII names would otherwise look like Windows-1252.
  const sample = nonAsciiLines(whole);
  const readings: { charset: Charset; confidence: number; text: string }[] = [];
  for (const guess of jschardet.detectAll(sample, { minimumThreshold: 0 })) {
    const charset = guess.encoding ? charsetNamed(guess.encoding) : undefined;
    if (!charset || charset === 'utf-8' || charset.startsWith('utf-16') || readings.some((r) => r.charset === charset)) continue;
    const text = iconv.decode(toBuffer(sample), iconvName(charset));
    if (text.includes('\uFFFD')) continue;
    readings.push({ charset, confidence: guess.confidence, text });
  }
  const best = readings[0];
  if (!best) return undefined;
  const others = readings.slice(1).filter((r) => r.text !== best.text);
  const next = others[0];
  const certainty: Certainty = next === undefined || best.confidence >= 2 * next.confidence ? 'likely' : 'guess';
  return {
    charset: best.charset,
    how: 'detected',
    confidence: best.confidence,
    certainty,
    alternatives: others.slice(0, 3).map((r) => r.charset),
    bomBytes: 0,
  };
}

/** The byte-order mark at the start of `bytes`, if any. */
export function bomOf(bytes: Uint8Array): { charset: Charset; bytes: number } | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', bytes: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', bytes: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', bytes: 2 };
  return undefined;
}

/**
 * UTF-16 saved without a BOM shows as a NUL in every other byte of ASCII text: NULs at even
 * offsets mean big-endian, at odd offsets little-endian.
 */
export function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const half = n / 2;
  if (odd > 0.4 * half && even < 0.05 * half) return 'utf-16le';
  if (even > 0.4 * half && odd < 0.05 * half) return 'utf-16be';
  return null;
}

/** The lines of `bytes` that hold a byte above 127, each with its line end, at most 64 KB of them. */
function nonAsciiLines(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  let start = 0;
  while (start < bytes.length && size < 64 * 1024) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length - 1;
    let high = false;
    for (let i = start; i <= end; i++) {
      if (bytes[i]! >= 0x80) {
        high = true;
        break;
      }
    }
    if (high) {
      parts.push(bytes.subarray(start, end + 1));
      size += end + 1 - start;
    }
    start = end + 1;
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Whether `bytes` are valid UTF-8 (a character cut at the very end counts, unless `complete`). */
function isUtf8(bytes: Uint8Array, complete: boolean): boolean {
  const end = complete ? bytes.length : completeUtf8Prefix(bytes);
  try {
    FATAL_UTF8.decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** The length of `bytes` without a UTF-8 sequence that is cut at its end. */
export function completeUtf8Prefix(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back]!;
    if (b < 0x80) return n; // ASCII: nothing is cut
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return need > back ? n - back : n;
    }
  }
  return n;
}

/** A Buffer over the same memory (iconv-lite takes Buffers). */
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
