/**
 * data.py of the PyTorch project: the app's data pipeline in Python, step for step, so training
 * here sees the same examples in the same splits encoded the same way: the file read in the
 * encoding, with the delimiter, header and columns the run found (config.json's `readAs`, from
 * its data summary; runs that did not record them are decoded and guessed as the first app did),
 * labels and their order, the seeded stratified split with the app's own PRNG or the split
 * column (prng.ts, stratifiedSplit.ts), the tokenizers (tokenize.ts: characters, the first word
 * rules, or words with punctuation, whole decimal numbers and single Chinese characters), text
 * columns joined by `<sep>`, `<bos>`/`<eos>` and the truncated side (encode.ts), the run's
 * vocabulary (vocab.json), and one-hot, index or bag inputs. The same file for every model of
 * texts; its shared part (DATA_PY_SHARED) is also in the data.py of pictures (imageDataPy.ts).
 */

/** The part of data.py before the shared code: the docstring, imports, config and vocabulary. */
const TEXT_HEAD = String.raw`"""The data, read exactly as Modelwright reads it, with the model's own vocabulary.

    import data
    splits = data.load_splits()            # the file config.json names, or load_splits("my.csv")
    ids = data.encode(["Nakamura"])        # int64 token ids [n, maxLength], 0 = padding
    x = data.model_inputs(ids)             # what Model.forward reads (one-hot, ids, or a bag)

The steps follow the app's: the file read in the encoding, with the delimiter, header and
columns the run found; labels in sorted order (numeric when every label is a number); the seeded
stratified train/dev/test split with the app's own random numbers (or the file's split column);
texts tokenized as the run did (Unicode NFC, lowercased, characters or words), several text
columns joined by <sep>, <bos>/<eos> around a text, cut at the end or the start to maxLength,
and encoded with vocab.json: id 0 is padding, id 1 a token training never saw. A text to encode
with several text columns holds them separated by tabs.
"""
import csv
import io
import json
import re
import unicodedata
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
CONFIG = json.loads((HERE / "config.json").read_text(encoding="utf-8"))
VOCAB = json.loads((HERE / "vocab.json").read_text(encoding="utf-8"))
CLASSES = CONFIG["classes"]
#: How texts became ids in the run (preprocessing.json's encodeSpec).
SPEC = CONFIG["encodeSpec"]
ENCODING = CONFIG["encoding"]
TOKEN_IDS = {token: i for i, token in enumerate(VOCAB)}
PAD_ID, UNK_ID = 0, 1
BOS_ID = TOKEN_IDS.get("<bos>", -1) if SPEC.get("bos") else -1
EOS_ID = TOKEN_IDS.get("<eos>", -1) if SPEC.get("eos") else -1
SEP_ID = TOKEN_IDS.get("<sep>", UNK_ID)
# A long text field is one example, not an error.
csv.field_size_limit(2**31 - 1)


class DataError(ValueError):
    """The data file cannot be read as the model's data."""


`;

/**
 * What the data.py of texts and of pictures share: the app's random numbers, the file read in its
 * encoding, CSV/TSV rows, header and columns, labels in the app's order and the seeded stratified
 * split. It reads the module's CONFIG, CLASSES and DataError.
 */
export const DATA_PY_SHARED = String.raw`# --- The app's random numbers (engine/data/prng.ts, engine/train/random.ts) -------------------

M32 = 0xFFFFFFFF


def _imul(a, b):
    return (a * b) & M32


def mulberry32(seed):
    """Uniform floats in [0, 1) from a 32-bit seed, the same on every machine as in the app."""
    state = seed & M32

    def random():
        nonlocal state
        state = (state + 0x6D2B79F5) & M32
        t = state
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296

    return random


def shuffle_in_place(items, random):
    """Fisher-Yates with random, as the app shuffles."""
    for i in range(len(items) - 1, 0, -1):
        j = int(random() * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


def epoch_seed(seed, epoch):
    h = ((seed & M32) ^ 0x9E3779B9) & M32
    h = _imul(h ^ ((epoch + 0x85EBCA6B) & M32), 0xC2B2AE35)
    return (h ^ (h >> 16)) & M32


def epoch_order(n, seed, epoch):
    """The order of the n train examples in epoch (from 1) of a run seeded with seed, as the app's."""
    return shuffle_in_place(list(range(n)), mulberry32(epoch_seed(seed, epoch)))


# --- Bytes to text (engine/data/decode.ts) ---------------------------------------------------

_CP1252_HIGH = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
    0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
]
_CP1252 = {0x80 + i: chr(c) for i, c in enumerate(_CP1252_HIGH)}
#: The app's encodings (data.fileEncoding) by Python's codec names; Windows-1252 is read as the app reads it.
CODECS = {
    "utf-8": "utf-8", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be", "cp949": "cp949", "shift_jis": "cp932",
    "euc-jp": "euc_jp", "gb18030": "gb18030", "big5": "big5hkscs", "windows-1250": "cp1250", "windows-1251": "cp1251",
    "windows-1252": None, "windows-1253": "cp1253", "windows-1254": "cp1254", "windows-1255": "cp1255",
    "windows-1256": "cp1256", "windows-1257": "cp1257", "koi8-r": "koi8_r",
}
_BOMS = {"utf-8": b"\xef\xbb\xbf", "utf-16le": b"\xff\xfe", "utf-16be": b"\xfe\xff"}


def _utf16_without_bom(data):
    n = min(len(data), 4096) & ~1
    if n < 4:
        return None
    even = sum(1 for i in range(0, n, 2) if data[i] == 0)
    odd = sum(1 for i in range(0, n, 2) if data[i + 1] == 0)
    half = n / 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16be"
    return None


def decode_text(data, charset=None, file="the file"):
    """The text of a file: in charset (one of CODECS) when the run says which, else as the first app guessed."""
    if charset is None:
        if data[:2] == b"\xff\xfe":
            charset = "utf-16le"
        elif data[:2] == b"\xfe\xff":
            charset = "utf-16be"
        else:
            charset = _utf16_without_bom(data)
        if charset is None:
            try:
                return data[3:].decode("utf-8") if data[:3] == _BOMS["utf-8"] else data.decode("utf-8")
            except UnicodeDecodeError:
                charset = "windows-1252"
    if charset in _BOMS and data.startswith(_BOMS[charset]):
        data = data[len(_BOMS[charset]):]
    if charset not in CODECS:
        raise DataError(f"{file}: the run read it as {charset}, an encoding this data.py does not know.")
    if CODECS[charset] is None:
        return data.decode("latin-1").translate(_CP1252)
    try:
        return data.decode(CODECS[charset])
    except UnicodeDecodeError as err:
        raise DataError(f"{file}: byte {err.start} cannot be read as {charset}.") from err


# --- CSV (engine/data/csv.ts, csvStream.ts) --------------------------------------------------

# What JavaScript's String.prototype.trim removes, and its \s.
JS_SPACE = " \t\n\v\f\r\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def js_trim(text):
    return text.strip(JS_SPACE)


def _count_outside_quotes(line, ch):
    in_quotes, count = False, 0
    for c in line:
        if c == '"':
            in_quotes = not in_quotes
        elif c == ch and not in_quotes:
            count += 1
    return count


def guess_delimiter(text):
    head = text[: 64 * 1024]
    lines = [l for l in re.split(r"\r?\n", head) if js_trim(l) != ""][:20]
    if len(lines) > 1 and len(head) == 64 * 1024:
        lines.pop()
    best, best_score = ",", 0
    for candidate in [",", "\t", ";", "|"]:
        counts = [_count_outside_quotes(l, candidate) for l in lines]
        first = counts[0] if counts else 0
        if first == 0:
            continue
        score = sum(1 for c in counts if c == first) / len(counts) * 1000 + first
        if score > best_score:
            best, best_score = candidate, score
    return best


def parse_table(text, delimiter, file):
    """Rows of the CSV/TSV text (RFC 4180 quoting; empty lines skipped), all of one width."""
    rows = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if row not in ([], [""])]
    if not rows:
        raise DataError(f"{file}: the file has no rows.")
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            raise DataError(f"{file}: row {i + 1} has {len(row)} fields but the first row has {width}.")
    return rows


# --- Header and columns (engine/data/columns.ts) ---------------------------------------------

_BY_NUMBER = re.compile(r"^\s*(?:column\s*|col\s*|#)?([0-9]+)\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$")


def looks_like_header(rows):
    first = rows[0] if rows else None
    if not first:
        return False
    sample = rows[1:501]
    if not sample:
        return all(js_trim(c) != "" and not _NUMBER.match(c) for c in first)
    for c, name in enumerate(first):
        numeric = sum(1 for r in sample if _NUMBER.match(r[c] if c < len(r) else ""))
        if numeric >= 0.9 * len(sample) and not _NUMBER.match(name) and js_trim(name) != "":
            return True
    if any(js_trim(c) == "" or _NUMBER.match(c) or len(c) > 40 for c in first):
        return False
    if len(set(first)) != len(first):
        return False
    return all(not any(c < len(r) and r[c] == cell for r in sample) for c, cell in enumerate(first))


def _column(ref, first, header, file, role):
    """The index of the column a spec names: by its header name, or by 1-based number."""
    if header and ref in first:
        return first.index(ref)
    m = _BY_NUMBER.match(ref)
    if m and 1 <= int(m.group(1)) <= len(first):
        return int(m.group(1)) - 1
    raise DataError(f'{file}: the {role} column is "{ref}", which the file does not have (its first row is {first[:4]}).')


def choose_columns(rows, spec, file):
    """(has a header, text columns, label column, split column or None), as the run chose them."""
    first = rows[0]
    split = spec.get("split", {}).get("column")
    texts = [spec["text"]] if isinstance(spec["text"], str) else list(spec["text"])
    read = CONFIG.get("readAs")
    if read:
        header = read["hasHeader"]
        names = read["all"]
        if len(names) != len(first):
            raise DataError(f"{file}: it has {len(first)} columns; the run's file had {len(names)} ({names[:6]}).")
        column = lambda name, role: names.index(name) if name in names else _column(name, first, header, file, role)
        text_cols = [column(name, "text") for name in read["text"]]
        label = column(read["label"], "label")
    else:
        names_it = lambda ref: not _BY_NUMBER.match(ref) and ref in first
        header = spec.get("header")
        if header is None:
            header = any(names_it(t) for t in texts) or names_it(spec["label"]) or (split is not None and names_it(split)) or looks_like_header(rows)
        text_cols = [_column(t, first, header, file, "text") for t in texts]
        label = _column(spec["label"], first, header, file, "label")
    return header, text_cols, label, (_column(split, first, header, file, "split") if split is not None else None)


# --- Labels and splits (engine/data/dataset.ts, stratifiedSplit.ts, splitColumn.ts) ----------

_NUMERIC_LABEL = re.compile(r"^[-+]?[0-9]+(\.[0-9]+)?$")
_SPLIT_NAMES = {"train": "train", "dev": "dev", "val": "dev", "valid": "dev", "validation": "dev", "test": "test"}


def sorted_labels(labels):
    """Distinct labels in the app's order: numeric when all are numbers, else by UTF-16 code units."""
    distinct = list(dict.fromkeys(labels))
    if all(_NUMERIC_LABEL.match(l) for l in distinct):
        return sorted(distinct, key=float)
    return sorted(distinct, key=lambda l: l.encode("utf-16-be", errors="surrogatepass"))


def _allocate(n, ratios):
    exact = [n * r for r in ratios]
    counts = [int(e // 1) for e in exact]
    left = n - sum(counts)
    for i in sorted(range(3), key=lambda i: (-(exact[i] - counts[i]), i)):
        if left == 0:
            break
        counts[i] += 1
        left -= 1
    for i in range(3):
        if ratios[i] > 0 and counts[i] == 0:
            donor = 0
            for j in (1, 2):
                if counts[j] > counts[donor]:
                    donor = j
            counts[donor] -= 1
            counts[i] = 1
    return counts


def stratified_split(labels, ratios, seed, stratify, file):
    """Row indices of train, dev and test: each class split in the ratios, then each split shuffled."""
    if abs(sum(ratios) - 1) > 1e-6:
        raise DataError(f"{file}: the split ratios {ratios} do not add up to 1.")
    random = mulberry32(seed)
    parts = [[], [], []]
    groups = [[i for i, l in enumerate(labels) if l == c] for c in range(len(CLASSES))] if stratify else [list(range(len(labels)))]
    needed = sum(1 for r in ratios if r > 0)
    for rows in groups:
        if len(rows) < needed:
            raise DataError(f"{file}: a class has {len(rows)} rows, too few for the split {ratios}.")
        counts = _allocate(len(rows), ratios)
        shuffle_in_place(rows, random)
        at = 0
        for s in range(3):
            parts[s].extend(rows[at : at + counts[s]])
            at += counts[s]
    return [shuffle_in_place(p, random) for p in parts]


`;

/** Texts to ids, and the whole file read. */
const TEXT_TAIL = String.raw`# --- Tokens and ids (engine/data/tokenize.ts, encode.ts) -------------------------------------

# Unicode's Han script (Scripts.txt): each such character is a word of its own with punctuation on.
_HAN = [
    (0x2E80, 0x2E99), (0x2E9B, 0x2EF3), (0x2F00, 0x2FD5), (0x3005, 0x3005), (0x3007, 0x3007), (0x3021, 0x3029),
    (0x3038, 0x303B), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFA6D), (0xFA70, 0xFAD9), (0x16FE2, 0x16FE3),
    (0x16FF0, 0x16FF1), (0x20000, 0x2A6DF), (0x2A700, 0x2B739), (0x2B740, 0x2B81D), (0x2B820, 0x2CEA1),
    (0x2CEB0, 0x2EBE0), (0x2EBF0, 0x2EE5D), (0x2F800, 0x2FA1D), (0x30000, 0x3134A), (0x31350, 0x323AF),
]


def _han(c):
    o = ord(c)
    return any(a <= o <= b for a, b in _HAN)


def _lmn(c):
    return unicodedata.category(c)[0] in "LMN"


def _number(c):
    return unicodedata.category(c)[0] == "N"


def _words(text, punctuation):
    """The app's word rules: runs of letters, marks and digits (apostrophes inside a word kept); with
    punctuation, also decimal numbers whole (3.5, 1,000), each Han character, and each other
    character that is not a space a token of its own."""
    out, i, n = [], 0, len(text)
    word = (lambda c: _lmn(c) and not _han(c)) if punctuation else _lmn
    while i < n:
        c = text[i]
        if punctuation and _number(c):
            j = i
            while j < n and _number(text[j]):
                j += 1
            k, groups = j, 0
            while k + 1 < n and text[k] in ".," and _number(text[k + 1]):
                k += 1
                while k < n and _number(text[k]):
                    k += 1
                groups += 1
            if groups:
                out.append(text[i:k])
                i = k
                continue
        if punctuation and _han(c):
            out.append(c)
            i += 1
            continue
        if word(c):
            start = i
            while i < n and word(text[i]):
                i += 1
            while i + 1 < n and text[i] in "'\u2019" and word(text[i + 1]):
                i += 1
                while i < n and word(text[i]):
                    i += 1
            out.append(text[start:i])
            continue
        if punctuation and c not in JS_SPACE and not _lmn(c):
            out.append(c)
        i += 1
    return out


def tokenize(text):
    """The run's tokens of one text: its characters (code points) or its words."""
    text = unicodedata.normalize("NFC", text)
    if SPEC["lowercase"]:
        text = text.lower()
    if SPEC["tokenizer"] == "char":
        return list(text)
    return _words(text, SPEC.get("punctuation") is True)


def token_ids(columns):
    """One example's ids before framing: each text column's tokens, <sep> between columns."""
    ids = []
    for c, text in enumerate(columns):
        if c > 0:
            ids.append(SEP_ID)
        ids.extend(TOKEN_IDS.get(t, UNK_ID) for t in tokenize(text))
    return ids


def frame(ids, max_length=SPEC["maxLength"]):
    """<bos>, the ids cut to fit (at the end, or the start), <eos>, then padding: max_length ids."""
    out = [PAD_ID] * max_length
    at = 0
    if BOS_ID >= 0:
        out[at] = BOS_ID
        at += 1
    room = max(0, max_length - (BOS_ID >= 0) - (EOS_ID >= 0))
    keep = min(len(ids), room)
    start = len(ids) - keep if SPEC.get("truncate") == "start" else 0
    out[at : at + keep] = ids[start : start + keep]
    at += keep
    if EOS_ID >= 0 and at < max_length:
        out[at] = EOS_ID
    return out


def encode(texts):
    """Token ids of each text, int64 [n, maxLength]; a text holds its columns separated by tabs when the model reads several."""
    columns = SPEC.get("textColumns") or 1
    rows = [frame(token_ids(text.split("\t") if columns > 1 else [text])) for text in texts]
    return torch.tensor(rows, dtype=torch.int64).reshape(len(texts), SPEC["maxLength"])


def model_inputs(ids):
    """What Model.forward reads: the ids (index), one-hot float32 [n, length, vocabulary] with padding
    all zeros (onehot), or each token's count or presence, float32 [n, vocabulary] (bag)."""
    if ENCODING == "index":
        return ids
    if ENCODING == "bag":
        bag = torch.zeros(ids.shape[0], len(VOCAB)).scatter_add_(1, ids, torch.ones(ids.shape, dtype=torch.float32))
        bag[:, PAD_ID] = 0
        return (bag > 0).to(torch.float32) if SPEC.get("bagValue") == "presence" else bag
    x = torch.nn.functional.one_hot(ids, len(VOCAB)).to(torch.float32)
    x[..., PAD_ID] = 0
    return x


# --- The whole file --------------------------------------------------------------------------

def default_data_file():
    """The data file config.json names (a path relative to this folder, or as the document wrote it)."""
    name = CONFIG.get("dataFile")
    if not name:
        return None
    path = Path(name)
    return path if path.is_absolute() else HERE / path


def read_examples(path=None):
    """(each row's text columns, class ids, [train, dev, test] row indices) of the data file, as the app splits it."""
    path = Path(path) if path else default_data_file()
    if path is None or not path.exists():
        raise DataError(f"the data file {path or '(none named)'} is not there; pass its path (train.py --data FILE).")
    spec = CONFIG["data"]
    if not spec:
        raise DataError("the model was exported without a data section; there is nothing to read.")
    file = str(path)
    read = CONFIG.get("readAs") or {}
    named = spec.get("fileEncoding", "auto")
    text = decode_text(path.read_bytes(), read.get("charset") or (None if named == "auto" else named), file)
    if text.startswith("\ufeff"):
        text = text[1:]
    if js_trim(text) == "":
        raise DataError(f"{file}: the file is empty.")
    delimiter = read.get("delimiter") or spec.get("delimiter") or ("\t" if file.lower().endswith(".tsv") else guess_delimiter(text))
    rows = parse_table(text, delimiter, file)
    header, text_cols, label_col, split_col = choose_columns(rows, spec, file)
    body = rows[1:] if header else rows
    if not body:
        raise DataError(f"{file}: the file has a header row but no data rows.")
    raw, texts = [], []
    for i, row in enumerate(body):
        label = js_trim(row[label_col])
        if label == "":
            raise DataError(f"{file}: data row {i + 1} has no label.")
        columns = [row[c] for c in text_cols]
        if all(js_trim(t) == "" for t in columns):
            raise DataError(f"{file}: data row {i + 1} has no text.")
        raw.append(label)
        texts.append(columns)
    names = spec.get("labelNames") or {}
    order = sorted_labels(raw)
    classes = [names.get(l, l) for l in order]
    if classes != CLASSES:
        raise DataError(f"{file}: its classes {classes[:8]} are not the model's {CLASSES[:8]}.")
    index = {l: i for i, l in enumerate(order)}
    labels = [index[l] for l in raw]
    if split_col is not None:
        parts = {"train": [], "dev": [], "test": []}
        for i, row in enumerate(body):
            part = _SPLIT_NAMES.get(js_trim(row[split_col]).lower())
            if part is None:
                raise DataError(f'{file}: the split column says "{row[split_col]}"; it must be train, dev (or val, valid, validation) or test.')
            parts[part].append(i)
        parts = [parts["train"], parts["dev"], parts["test"]]
    else:
        s = spec["split"]
        parts = stratified_split(labels, s["ratios"], s["seed"], s["stratify"], file)
    return texts, labels, parts


def load_splits(path=None):
    """{"train", "dev", "test"}: each a dict of texts (columns joined by " | "), ids (int64 [n, maxLength]) and labels (int64 [n])."""
    texts, labels, parts = read_examples(path)
    out = {}
    for name, rows in zip(("train", "dev", "test"), parts):
        ids = torch.tensor([frame(token_ids(texts[i])) for i in rows], dtype=torch.int64).reshape(len(rows), SPEC["maxLength"])
        out[name] = {"texts": [" | ".join(texts[i]) for i in rows], "ids": ids, "labels": torch.tensor([labels[i] for i in rows], dtype=torch.int64)}
    return out
`;

export const DATA_PY = TEXT_HEAD + DATA_PY_SHARED + TEXT_TAIL;
