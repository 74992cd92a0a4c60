/**
 * data.py of the PyTorch project: the app's data pipeline in Python, step for step, so training
 * here sees the same examples in the same splits encoded the same way. Decoding (BOM, UTF-16,
 * UTF-8 else Windows-1252: engine/data/decode.ts), CSV parsing with the delimiter guessed as the
 * app guesses it (csv.ts), the header and columns (columns.ts), labels and their order,
 * the seeded stratified split with the app's own PRNG or the split column (prng.ts,
 * stratifiedSplit.ts, splitColumn.ts), the tokenizers (tokenize.ts), and the run's vocabulary
 * (vocab.json) and encoding (encode.ts). The same file for every model; config.json says what
 * the model's data section is.
 */
export const DATA_PY = String.raw`"""The data, read exactly as Modelwright reads it, with the model's own vocabulary.

    import data
    splits = data.load_splits()            # the file config.json names, or load_splits("my.csv")
    ids = data.encode(["Nakamura"])        # int64 token ids [n, maxLength], 0 = padding
    x = data.model_inputs(ids)             # what Model.forward reads (one-hot or ids)

The steps follow the app's: bytes to text (a BOM decides; else UTF-8, else Windows-1252), the
CSV's delimiter and header found as the app finds them, labels in sorted order (numeric when
every label is a number), the seeded stratified train/dev/test split with the app's own random
numbers (or the file's split column), and texts tokenized (Unicode NFC, lowercased, characters or
words) and encoded with vocab.json: id 0 is padding, id 1 a token training never saw.
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
TOKEN_IDS = {token: i for i, token in enumerate(VOCAB)}
PAD_ID, UNK_ID = 0, 1
# A long text field is one example, not an error.
csv.field_size_limit(2**31 - 1)


class DataError(ValueError):
    """The data file cannot be read as the model's data."""


# --- The app's random numbers (engine/data/prng.ts, engine/train/random.ts) -------------------

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


def _utf16_without_bom(data):
    n = min(len(data), 4096) & ~1
    if n < 4:
        return None
    even = sum(1 for i in range(0, n, 2) if data[i] == 0)
    odd = sum(1 for i in range(0, n, 2) if data[i + 1] == 0)
    half = n / 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode_text(data):
    if data[:2] == b"\xff\xfe":
        return data[2:].decode("utf-16-le", errors="replace")
    if data[:2] == b"\xfe\xff":
        return data[2:].decode("utf-16-be", errors="replace")
    guessed = _utf16_without_bom(data)
    if guessed:
        return data.decode(guessed, errors="replace")
    body = data[3:] if data[:3] == b"\xef\xbb\xbf" else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("latin-1").translate(_CP1252)


# --- CSV (engine/data/csv.ts) ----------------------------------------------------------------

# What JavaScript's String.prototype.trim removes.
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


def parse_table(text, file):
    if js_trim(text) == "":
        raise DataError(f"{file}: the file is empty.")
    delimiter = CONFIG["data"].get("delimiter") or ("\t" if file.lower().endswith(".tsv") else guess_delimiter(text))
    # Empty lines are skipped (papaparse's skipEmptyLines: a row of one empty field).
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


def choose_columns(rows, spec, file):
    first = rows[0]
    width = len(first)
    split = spec.get("split", {}).get("column")
    names_it = lambda ref: not _BY_NUMBER.match(ref) and ref in first
    header = spec.get("header")
    if header is None:
        header = names_it(spec["text"]) or names_it(spec["label"]) or (split is not None and names_it(split)) or looks_like_header(rows)

    def resolve(ref, role):
        if header and ref in first:
            return first.index(ref)
        m = _BY_NUMBER.match(ref)
        if m:
            n = int(m.group(1))
            if 1 <= n <= width:
                return n - 1
        raise DataError(f'{file}: the {role} column is "{ref}", which the file does not have (its first row is {first[:4]}).')

    text, label = resolve(spec["text"], "text"), resolve(spec["label"], "label")
    return header, text, label, (resolve(split, "split") if split is not None else None)


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


def split_by_column(values, file):
    parts = {"train": [], "dev": [], "test": []}
    for i, value in enumerate(values):
        part = _SPLIT_NAMES.get(js_trim(value).lower())
        if part is None:
            raise DataError(f'{file}: the split column says "{value}"; it must be train, dev (or val, valid, validation) or test.')
        parts[part].append(i)
    return [parts["train"], parts["dev"], parts["test"]]


# --- Tokens and ids (engine/data/tokenize.ts, encode.ts) -------------------------------------

def _word_char(c):
    return unicodedata.category(c)[0] in "LMN"


def tokenize(text, kind=CONFIG["tokenizer"], lowercase=CONFIG["lowercase"]):
    """Characters (code points) or words (letters, marks and digits, apostrophes inside a word kept)."""
    text = unicodedata.normalize("NFC", text)
    if lowercase:
        text = text.lower()
    if kind == "char":
        return list(text)
    words, i, n = [], 0, len(text)
    while i < n:
        if not _word_char(text[i]):
            i += 1
            continue
        start = i
        while i < n and _word_char(text[i]):
            i += 1
        while i + 1 < n and text[i] in "'\u2019" and _word_char(text[i + 1]):
            i += 1
            while i < n and _word_char(text[i]):
                i += 1
        words.append(text[start:i])
    return words


def encode(texts, max_length=CONFIG["maxLength"]):
    """Token ids of each text, int64 [n, max_length]: cut at max_length, padded with 0 at the end."""
    ids = torch.zeros(len(texts), max_length, dtype=torch.int64)
    for row, text in enumerate(texts):
        tokens = tokenize(text)[:max_length]
        if tokens:
            ids[row, : len(tokens)] = torch.tensor([TOKEN_IDS.get(t, UNK_ID) for t in tokens], dtype=torch.int64)
    return ids


def model_inputs(ids):
    """What Model.forward reads: the ids themselves, or one-hot float32 [n, length, vocabulary] with padding all zeros."""
    if CONFIG["encoding"] == "index":
        return ids
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
    """(texts, class ids, [train, dev, test] row indices) of the data file, as the app splits it."""
    path = Path(path) if path else default_data_file()
    if path is None or not path.exists():
        raise DataError(f"the data file {path or '(none named)'} is not there; pass its path (train.py --data FILE).")
    spec = CONFIG["data"]
    file = str(path)
    rows = parse_table(decode_text(path.read_bytes()), file)
    header, text_col, label_col, split_col = choose_columns(rows, spec, file)
    body = rows[1:] if header else rows
    if not body:
        raise DataError(f"{file}: the file has a header row but no data rows.")
    raw = []
    for i, row in enumerate(body):
        label = js_trim(row[label_col])
        if label == "":
            raise DataError(f"{file}: row {i + 1} has no label.")
        raw.append(label)
    names = spec.get("labelNames") or {}
    order = sorted_labels(raw)
    classes = [names.get(l, l) for l in order]
    if classes != CLASSES:
        raise DataError(f"{file}: its classes {classes[:8]} are not the model's {CLASSES[:8]}.")
    index = {l: i for i, l in enumerate(order)}
    labels = [index[l] for l in raw]
    texts = [row[text_col] for row in body]
    if split_col is not None:
        parts = split_by_column([row[split_col] for row in body], file)
    else:
        s = spec["split"]
        parts = stratified_split(labels, s["ratios"], s["seed"], s["stratify"], file)
    return texts, labels, parts


def load_splits(path=None):
    """{"train", "dev", "test"}: each a dict of texts, ids (int64 [n, maxLength]) and labels (int64 [n])."""
    texts, labels, parts = read_examples(path)
    out = {}
    for name, rows in zip(("train", "dev", "test"), parts):
        chosen = [texts[i] for i in rows]
        out[name] = {"texts": chosen, "ids": encode(chosen), "labels": torch.tensor([labels[i] for i in rows], dtype=torch.int64)}
    return out
`;
