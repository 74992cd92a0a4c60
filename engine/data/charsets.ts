/**
 * The text encodings a data file may be in: their readable names, the other names people and
 * detectors give them, and the name iconv-lite decodes each by. The list itself is the
 * Document's (`FILE_ENCODINGS` in engine/graph/document.ts), so a file names only these.
 */
import { FILE_ENCODING_LABELS, FILE_ENCODINGS, type FileEncodingName } from '../graph/document';

/** A concrete encoding: any of the Document's but `auto`. */
export type Charset = Exclude<FileEncodingName, 'auto'>;

/** Every concrete encoding, in the order a menu shows them. */
export const CHARSETS = FILE_ENCODINGS.filter((e): e is Charset => e !== 'auto');

/** What each is called in messages and menus, with the language it is for. */
export const CHARSET_LABELS: Readonly<Record<Charset, string>> = FILE_ENCODING_LABELS;

/**
 * Other names for each, as detectors, spreadsheets and people write them (compared without case,
 * spaces, "-" or "_"). A subset is read as its superset: EUC-KR as CP949, ASCII as UTF-8,
 * ISO-8859-1 as Windows-1252, GBK and GB2312 as GB18030.
 */
const ALIASES: Readonly<Record<Charset, readonly string[]>> = {
  'utf-8': ['utf8', 'ascii', 'usascii'],
  'utf-16le': ['utf16le', 'utf16', 'ucs2', 'unicode'],
  'utf-16be': ['utf16be'],
  cp949: ['cp949', 'euckr', 'uhc', 'windows949', 'ksc56011987', 'ksc5601', 'ms949', 'korean'],
  shift_jis: ['shiftjis', 'sjis', 'cp932', 'windows31j', 'ms932', 'mskanji', 'windows932'],
  'euc-jp': ['eucjp', 'eucjis2004'],
  gb18030: ['gb18030', 'gbk', 'gb2312', 'cp936', 'windows936', 'euccn'],
  big5: ['big5', 'big5hkscs', 'cp950', 'windows950'],
  'windows-1250': ['windows1250', 'cp1250', 'iso88592', 'latin2'],
  'windows-1251': ['windows1251', 'cp1251'],
  'windows-1252': ['windows1252', 'cp1252', 'iso88591', 'latin1', 'l1'],
  'windows-1253': ['windows1253', 'cp1253'],
  'windows-1254': ['windows1254', 'cp1254', 'iso88599', 'latin5'],
  'windows-1255': ['windows1255', 'cp1255'],
  'windows-1256': ['windows1256', 'cp1256'],
  'windows-1257': ['windows1257', 'cp1257', 'iso885913'],
  'koi8-r': ['koi8r', 'koi8'],
};

const BY_KEY = new Map<string, Charset>();
for (const charset of CHARSETS) {
  BY_KEY.set(key(charset), charset);
  for (const alias of ALIASES[charset]) BY_KEY.set(alias, charset);
}

function key(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

/** The charset a name means ("EUC-KR" → cp949, "Latin1" → windows-1252), or undefined. */
export function charsetNamed(name: string): Charset | undefined {
  return BY_KEY.get(key(name));
}

/** `auto`, or the charset a name means; undefined for a name we cannot read. */
export function fileEncodingNamed(name: string): FileEncodingName | undefined {
  return key(name) === 'auto' ? 'auto' : charsetNamed(name);
}

/** The names `--encoding` and the Data tab accept, for a message that lists them. */
export function charsetChoices(): string {
  return ['auto', ...CHARSETS].join(', ');
}

/** The name iconv-lite knows each by (all of ours are the same but for two). */
export function iconvName(charset: Charset): string {
  return charset === 'utf-16le' ? 'utf16-le' : charset === 'utf-16be' ? 'utf16-be' : charset;
}
