/**
 * data.py of an image model's PyTorch project: the app's picture pipeline in Python, step for
 * step, so training here sees the same pictures in the same splits as the same bytes: the
 * built-in digits atlas, a folder with one sub-folder per class (or train/val/test folders of
 * them), or a CSV of picture paths (engine/data/imageDataset.ts), in the app's order with its
 * ids and labels; decoded with Pillow as pngjs and jpeg-js do (imageDecode.ts: transparency on
 * white, 16-bit samples rounded, gray or colour by the file); converted and resized in numpy with
 * the app's own arithmetic (imageResize.ts), since Pillow's BILINEAR rounds between its passes;
 * scaled as the run recorded (unit or the train split's mean and std); and the train pictures
 * augmented with the app's random amounts (augment.ts), each picture's draws found from its place
 * in the run. The random numbers, CSV reading, columns and split are data.py's of texts.
 */
import { DATA_PY_SHARED } from './dataPy';

const HEAD = String.raw`"""The pictures, read exactly as Modelwright reads them, at the model's size and scaling.

    import data
    splits = data.load_splits()             # the data config.json names, or load_splits("my/folder")
    pixels = data.encode(["cat.png"])       # uint8 [n, height, width, channels]: decoded, resized
    x = data.model_inputs(pixels)           # float32, scaled as the run scaled: what Model.forward reads

The steps follow the app's: the pictures of the built-in digits, of a folder with one sub-folder
per class (or train/, val/ and test/ folders holding the class folders), or of a CSV with a column
of picture paths (relative to the CSV) and a label column, in the app's order; labels in sorted
order (numeric when every label is a number); the folders' or the split column's split, else the
seeded stratified one with the app's own random numbers. Each PNG or JPEG is decoded (any
transparency composited on white), converted to gray (round(0.299 R + 0.587 G + 0.114 B)) or RGB,
resized to the model's size (kept aspect with black padding, or stretched) with the app's
bilinear filter, and scaled (pixel / 255, or standardized with the train split's mean and std
the run recorded). Train pictures are augmented as the app augments them (train_inputs).
"""
import csv
import io
import json
import math
import os
import re
from pathlib import Path

import numpy as np
import torch

try:
    from PIL import Image
except ImportError:  # the error says what to install when a picture is read
    Image = None

HERE = Path(__file__).resolve().parent
CONFIG = json.loads((HERE / "config.json").read_text(encoding="utf-8"))
CLASSES = CONFIG["classes"]
#: What train.py asks: this data.py reads pictures.
KIND = "image"
#: How a picture becomes the model's input, as the run resolved it (preprocessing.json's image).
IMAGE = CONFIG["image"]
HEIGHT, WIDTH, CHANNELS = IMAGE["height"], IMAGE["width"], IMAGE["channels"]
#: The document's image settings (pathColumn of a CSV, augment).
SETTINGS = (CONFIG.get("data") or {}).get("image") or {}
_AUGMENT = SETTINGS.get("augment") or {}
AUGMENT = {"shift": _AUGMENT.get("shift", 0), "flip": _AUGMENT.get("flip", False), "rotate": _AUGMENT.get("rotate", 0), "crop": _AUGMENT.get("crop", 0)}
#: The most pixels one picture may have before it is decoded (the app's limit).
MAX_PIXELS = 40_000_000
IMAGE_EXTENSIONS = re.compile(r"\.(png|jpe?g)$", re.IGNORECASE)
csv.field_size_limit(2**31 - 1)


class DataError(ValueError):
    """The data cannot be read as the model's pictures."""


`;

const IMAGES = String.raw`
# --- Bytes to pixels (engine/data/imageDecode.ts) --------------------------------------------

def js_round(x):
    """JavaScript's Math.round of each value: the nearest whole number, halves up."""
    r = np.floor(x)
    return r + (x - r >= 0.5)


def image_format(data):
    if len(data) >= 8 and data[:4] == b"\x89PNG":
        return "png"
    if len(data) >= 3 and data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    return None


def header_size(data, fmt):
    """(width, height) from the header alone (PNG IHDR, JPEG's first SOF marker), or None when it is cut short."""
    if fmt == "png":
        return (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) if len(data) >= 24 else None
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            at += 1
            continue
        marker = data[at + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(data[at + 7 : at + 9], "big"), int.from_bytes(data[at + 5 : at + 7], "big")
        if marker in (0xD8, 0x01, 0xFF) or 0xD0 <= marker <= 0xD7:
            at += 1 if marker == 0xFF else 2
            continue
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return None


def _composite(values, alpha):
    """round(v * a + 255 * (1 - a)) with a = alpha / 255, as the app puts transparency on white."""
    a = alpha.astype(np.float64) / 255
    return js_round(values.astype(np.float64) * a + 255 * (1 - a)).astype(np.uint8)


def _png(data):
    """(pixels, colour) of a PNG as pngjs gives them: 16-bit samples as floor(v * 255 / 65535 + 0.5), tRNS colours transparent."""
    depth, color_type = data[24], data[25]
    im = Image.open(io.BytesIO(data))
    im.load()
    trans = im.info.get("transparency")
    mode = im.mode
    if mode in ("1", "L", "I", "I;16", "I;16B", "I;16L"):
        raw = np.asarray(im).astype(np.int64)
        if mode == "1":
            raw = raw * 1  # bools to 0/1: the file's own samples
            value = raw * 255
        elif mode.startswith("I"):
            value = np.floor(raw * 255 / 65535 + 0.5)
        else:
            value = raw
            raw = raw // (255 // (2**depth - 1)) if depth < 8 else raw
        alpha = np.full(raw.shape, 255)
        if isinstance(trans, int):
            hit = raw == trans
            value = np.where(hit, 0, value)
            alpha = np.where(hit, 0, alpha)
        rgba = np.stack([value, value, value, alpha], axis=-1)
    elif mode == "LA":
        la = np.asarray(im).astype(np.int64)
        rgba = np.stack([la[..., 0], la[..., 0], la[..., 0], la[..., 1]], axis=-1)
    elif mode == "RGB":
        rgb = np.asarray(im).astype(np.int64)
        alpha = np.full(rgb.shape[:2], 255)
        if isinstance(trans, tuple) and len(trans) == 3:
            hit = np.all(rgb == np.array(trans), axis=-1)
            rgb = np.where(hit[..., None], 0, rgb)
            alpha = np.where(hit, 0, alpha)
        rgba = np.concatenate([rgb, alpha[..., None]], axis=-1)
    else:
        # Palettes (with their tRNS alphas), RGBA and the rest.
        rgba = np.asarray(im.convert("RGBA")).astype(np.int64)
    gray = color_type in (0, 4)
    pixels = _composite(rgba[..., :1] if gray else rgba[..., :3], rgba[..., 3:4])
    return pixels, "grayscale" if gray else "rgb"


def _ycbcr(data):
    """A colour JPEG's Y, Cb and Cr as the app's decoder (jpeg-js) combines them, or None when it is
    sampled otherwise than 4:4:4 or 4:2:0: Y at full size, and the chroma at its own resolution
    (libjpeg decodes it there when asked for half the size), each chroma sample repeated over the
    pixels it covers. libjpeg would instead interpolate ("fancy upsampling"), which differs by tens
    of levels at sharp colour edges."""
    full = Image.open(io.BytesIO(data))
    factors = [(h, v) for _, h, v, _ in getattr(full, "layer", [])]
    if len(factors) != 3:
        return None
    w, h = full.size
    full.draft("YCbCr", full.size)
    ycc = np.asarray(full).astype(np.float64)
    if full.mode != "YCbCr":
        return None
    if factors[0] == factors[1] == factors[2]:
        return ycc
    if factors != [(2, 2), (1, 1), (1, 1)] or w < 2 or h < 2:
        return None
    half = Image.open(io.BytesIO(data))
    half.draft("YCbCr", (w // 2, h // 2))
    chroma = np.asarray(half).astype(np.float64)
    if half.mode != "YCbCr" or chroma.shape[:2] != ((h + 1) // 2, (w + 1) // 2):
        return None
    ycc[..., 1:] = chroma[np.arange(h) // 2][:, np.arange(w) // 2, 1:]
    return ycc


def _jpeg(data):
    """(pixels, colour) of a JPEG: gray when every decoded pixel has R = G = B, as the app decides."""
    im = Image.open(io.BytesIO(data))
    if im.mode == "L":
        return np.asarray(im)[..., None].copy(), "grayscale"
    # Decoded once or twice as YCbCr, not first as Pillow's RGB as well.
    ycc = _ycbcr(data) if im.mode == "RGB" else None
    if ycc is not None:
        # jpeg-js's colour transform, in floats, each value clamped and cut to a byte.
        y, cb, cr = ycc[..., 0], ycc[..., 1] - 128, ycc[..., 2] - 128
        rgb = np.stack([y + 1.402 * cr, y - 0.3441363 * cb - 0.71413636 * cr, y + 1.772 * cb], axis=-1)
        rgb = np.floor(np.clip(rgb, 0, 255)).astype(np.uint8)
    else:
        rgb = np.asarray(im.convert("RGB"))
    if np.array_equal(rgb[..., 0], rgb[..., 1]) and np.array_equal(rgb[..., 0], rgb[..., 2]):
        return rgb[..., :1].copy(), "grayscale"
    return rgb.copy(), "rgb"


def decode_image(data, file, max_pixels=MAX_PIXELS):
    """(uint8 [height, width, 1 or 3], "grayscale" or "rgb") of PNG or JPEG bytes; a DataError naming file when they are not one."""
    fmt = image_format(data)
    if fmt is None:
        raise DataError(f"{file}: this is not a PNG or JPEG image (its first bytes are not an image's); remove it or convert it to PNG or JPEG.")
    size = header_size(data, fmt)
    if size is None:
        raise DataError(f"{file}: the {fmt.upper()} file is truncated: it ends inside its header.")
    w, h = size
    if w == 0 or h == 0:
        raise DataError(f"{file}: the image is {w}×{h} pixels: it has no pixels.")
    if w * h > max_pixels:
        raise DataError(f"{file}: the image is {w}×{h} pixels ({w * h / 1e6:.1f} megapixels), over the limit of {max_pixels / 1e6:.0f} megapixels; make it smaller.")
    if Image is None:
        raise DataError(f"{file}: reading pictures needs Pillow (pip install pillow, or apt install python3-pil).")
    try:
        return _png(data) if fmt == "png" else _jpeg(data)
    except DataError:
        raise
    except Exception as err:  # Pillow's own errors: a damaged or truncated file
        raise DataError(f"{file}: the {fmt.upper()} image cannot be decoded ({err}); it is probably truncated or damaged.") from err


# --- To the model's size (engine/data/imageResize.ts) ----------------------------------------

def to_channels(pixels, channels):
    """Gray as round(0.299 R + 0.587 G + 0.114 B), or gray copied to R, G and B."""
    if pixels.shape[2] == channels:
        return pixels
    if channels == 3:
        return np.repeat(pixels, 3, axis=2)
    d = pixels.astype(np.float64)
    return js_round(d[..., 0] * 0.299 + d[..., 1] * 0.587 + d[..., 2] * 0.114).astype(np.uint8)[..., None]


def fit_box(w, h, width, height, fit):
    """(x, y, w, h): the box within height × width that a w × h picture fills."""
    if fit == "stretch":
        return 0, 0, width, height
    scale = min(width / w, height / h)
    bw = max(1, min(width, int(js_round(w * scale))))
    bh = max(1, min(height, int(js_round(h * scale))))
    return (width - bw) // 2, (height - bh) // 2, bw, bh


def _weights(n_in, n_out):
    """Each output position's first source index and normalised triangle weights, summed in the app's order."""
    scale = n_in / n_out
    support = max(1.0, scale)
    out = []
    for i in range(n_out):
        centre = (i + 0.5) * scale
        start = max(0, math.floor(centre - support))
        end = min(n_in, math.ceil(centre + support))
        w = [max(0.0, 1 - abs((j + 0.5 - centre) / support)) for j in range(start, end)]
        total = 0.0
        for t in w:
            total += t
        if total > 0:
            w = [t / total for t in w]
        out.append((start, w))
    return out


def resize(pixels, width=WIDTH, height=HEIGHT, channels=CHANNELS, fit=IMAGE["fit"]):
    """uint8 [h, w, c] → uint8 [height, width, channels]: converted, then the box resized (horizontal
    pass into float32, vertical pass rounded once, the app's arithmetic), the rest black."""
    src = to_channels(pixels, channels)
    h, w = src.shape[:2]
    bx, by, bw, bh = fit_box(w, h, width, height, fit)
    out = np.zeros((height, width, channels), dtype=np.uint8)
    if (bw, bh) == (w, h):
        out[by : by + bh, bx : bx + bw] = src
        return out
    s = src.astype(np.float64)
    mid = np.empty((h, bw, channels), dtype=np.float32)
    for x, (start, wt) in enumerate(_weights(w, bw)):
        acc = np.zeros((h, channels))
        for k, weight in enumerate(wt):
            acc = acc + weight * s[:, start + k, :]
        mid[:, x, :] = acc
    m = mid.astype(np.float64)
    for y, (start, wt) in enumerate(_weights(h, bh)):
        acc = np.zeros((bw, channels))
        for k, weight in enumerate(wt):
            acc = acc + weight * m[start + k, :, :]
        out[by + y, bx : bx + bw] = np.clip(js_round(acc), 0, 255).astype(np.uint8)
    return out


# --- The sources (engine/data/imageDataset.ts, digits.ts) ------------------------------------

def _utf16_key(name):
    """JavaScript's order of strings (by UTF-16 code units), which the app's folder listing uses."""
    return name.encode("utf-16-be", errors="surrogatepass")


def _join(a, b):
    return f"{a}{b}" if a.endswith("/") or a.endswith("\\") else f"{a}/{b}"


def _list(path):
    """[(name, is_folder)] of a folder, sorted as the app sorts them; links count as what they point to, broken ones are left out."""
    try:
        with os.scandir(path) as entries:
            out = []
            for e in entries:
                if e.is_dir():
                    out.append((e.name, True))
                elif e.is_file() or not e.is_symlink():
                    out.append((e.name, False))
    except OSError as err:
        raise DataError(f"{path}: cannot read the folder ({err.strerror or err}).") from err
    return sorted(out, key=lambda e: _utf16_key(e[0]))


def _visible(name):
    return not name.startswith(".") and name not in ("Thumbs.db", "desktop.ini")


def _split_part(name):
    part = _SPLIT_NAMES.get(js_trim(name).lower())
    return None if part is None else ("train", "dev", "test").index(part)


def folder_items(root):
    """(file id, path, label, split or None, None) of each picture in a class-per-folder tree, in the app's order."""
    top = [e for e in _list(root) if _visible(e[0])]
    folders = [name for name, folder in top if folder]
    split_folders = [name for name in folders if _split_part(name) is not None]
    by_split = len(split_folders) > 0 and len(split_folders) == len(folders) and any(_split_part(n) == 0 for n in split_folders)
    items = []

    def class_folder(path, shown, label, part):
        entries = [e for e in _list(path) if _visible(e[0])]
        found = 0
        for name, folder in entries:
            if folder or not IMAGE_EXTENSIONS.search(name):
                continue
            items.append((f"{shown}/{name}", _join(path, name), label, part, None))
            found += 1
        if found == 0:
            others = f" (only {len(entries)} other file{'' if len(entries) == 1 else 's'})" if entries else ""
            raise DataError(f'{_join(root, shown)}: the class folder "{label}" is empty: it holds no PNG or JPEG picture{others}. Put its pictures in it, or remove it.')

    if not folders:
        if any(IMAGE_EXTENSIONS.search(name) for name, _ in top):
            raise DataError(f"{root}: the pictures are in the folder itself; put each class's pictures in a sub-folder named after the class (e.g. {root}/cat/1.png).")
        raise DataError(f"{root}: the folder holds no pictures and no class folders; choose a folder with one sub-folder of PNG or JPEG pictures per class.")
    if by_split:
        for s in split_folders:
            base = _join(root, s)
            classes = [name for name, folder in _list(base) if folder and _visible(name)]
            if not classes:
                raise DataError(f"{base}: the {s} folder has no class folders in it.")
            for c in classes:
                class_folder(_join(base, c), f"{s}/{c}", c, _split_part(s))
    else:
        for c in folders:
            class_folder(_join(root, c), c, c, None)
    return items


def _rows_with_lines(text, delimiter, file):
    """The CSV's rows (empty lines skipped) and the line each starts on, all of one width."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, lines = [], []
    before = 0
    for row in reader:
        if row not in ([], [""]):
            rows.append(row)
            lines.append(before + 1)
        before = reader.line_num
    if not rows:
        raise DataError(f"{file}: the file has no rows.")
    for row, line in zip(rows, lines):
        if len(row) != len(rows[0]):
            raise DataError(f"{file}, line {line}: this row has {len(row)} fields but the first row has {len(rows[0])}; quote fields that contain the delimiter or line breaks.")
    return rows, lines


def csv_items(path):
    """(file id, path, label, split or None, line) of each picture a CSV names: its path column (relative to the CSV's folder), label and split columns."""
    file = str(path)
    column = SETTINGS.get("pathColumn")
    if not column:
        raise DataError(f"{file}: a CSV of pictures needs the column of image paths (data.image.pathColumn).")
    spec = CONFIG["data"]
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        raise DataError(f"{file}: cannot read the file ({err.strerror or err}).") from err
    # The app detects a picture CSV's encoding whatever the data section says (UTF-8, UTF-16, else Windows-1252 here).
    text = decode_text(raw, None, file)
    if text.startswith("\ufeff"):
        text = text[1:]
    if js_trim(text) == "":
        raise DataError(f"{file}: the file is empty.")
    delimiter = spec.get("delimiter") or ("\t" if file.lower().endswith(".tsv") else guess_delimiter(text))
    rows, lines = _rows_with_lines(text, delimiter, file)
    header, path_cols, label_col, split_col = choose_columns(rows, {**spec, "text": column}, file)
    path_col = path_cols[0]
    names = rows[0] if header else [f"column {i + 1}" for i in range(len(rows[0]))]
    cut = max(file.rfind("/"), file.rfind("\\"))
    folder = "." if cut < 0 else file[:cut]
    items = []
    for row, line in list(zip(rows, lines))[1 if header else 0 :]:
        rel, label = js_trim(row[path_col]), js_trim(row[label_col])
        if rel == "":
            raise DataError(f'{file}, line {line}, column "{column}": the image path is empty; give every row a picture or delete it.')
        if label == "":
            raise DataError(f'{file}, line {line}, column "{spec["label"]}": the label is empty; give every row a label or delete it.')
        part = None
        if split_col is not None:
            part = _split_part(row[split_col])
            if part is None:
                raise DataError(f"{file}, line {line}, column {json.dumps(names[split_col])}: the split column says {json.dumps(row[split_col])}; it must be train, dev (or val, valid, validation) or test.")
        absolute = rel.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", rel)
        picture = rel if absolute else f"{folder}/{rel}"
        items.append((picture, picture, label, part, line))
    if not items:
        raise DataError(f"{file}: the file names no pictures.")
    return items, file


def digits_atlas(path):
    """The built-in digits: (pixels uint8 [n, 28, 28, 1], labels) from the atlas and digits.json beside it, in the app's order."""
    manifest_path = Path(path).with_name("digits.json")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        atlas = Image.open(path)
        atlas.load()
    except (OSError, ValueError) as err:
        raise DataError(f"{path}: the digits atlas (with {manifest_path.name} beside it) cannot be read ({err}).") from err
    grid = np.asarray(atlas.convert("L"))
    size, columns = manifest["size"], manifest["columns"]
    cells, labels, files = [], [], []
    k = 0
    for digit, count in enumerate(manifest["counts"]):
        for i in range(count):
            x0, y0 = (k % columns) * size, (k // columns) * size
            cells.append(grid[y0 : y0 + size, x0 : x0 + size, None])
            labels.append(str(digit))
            files.append(f"digit {digit}, #{i + 1}")
            k += 1
    return cells, labels, files


def default_data_path():
    """The data config.json names: the project's copy of a built-in, or the user's folder or CSV."""
    name = CONFIG.get("dataFile")
    if not name:
        return None
    path = Path(name)
    return str(path if path.is_absolute() else HERE / path)


def read_pictures(path=None):
    """(file ids, pixels uint8 [n, height, width, channels], class ids, [train, dev, test] indices) of the data, as the app reads and splits it."""
    path = str(path) if path else default_data_path()
    if path is None:
        raise DataError("no data is named (config.json has no dataFile); pass a folder or CSV (train.py --data PATH).")
    if not os.path.exists(path):
        raise DataError(f"{path}: no such folder or file; pass the pictures' folder or CSV (train.py --data PATH).")
    parts_of = None
    if os.path.isdir(path):
        items, source = folder_items(path), path
    elif Path(path).suffix.lower() == ".png" and Path(path).with_name("digits.json").exists():
        if Image is None:
            raise DataError(f"{path}: reading pictures needs Pillow (pip install pillow, or apt install python3-pil).")
        cells, raw_labels, ids = digits_atlas(path)
        pixels = [resize(c) for c in cells]
        items, source = None, "built-in: digits"
    else:
        items, source = csv_items(path)
    if items is not None:
        ids, raw_labels, pixels, parts_of = [], [], [], []
        for file_id, picture, label, part, line in items:
            # Messages name the picture's whole path (and the CSV's line that names it).
            named = picture if line is None else f"{picture} ({source}, line {line})"
            try:
                data = Path(picture).read_bytes()
            except OSError as err:
                raise DataError(f"{named}: cannot read the picture ({err.strerror or err}).") from err
            decoded, _ = decode_image(data, named)
            pixels.append(resize(decoded))
            ids.append(file_id)
            raw_labels.append(label)
            parts_of.append(part)
    if not ids:
        raise DataError(f"{source}: no pictures were found.")
    order = sorted_labels(raw_labels)
    if len(order) < 2:
        raise DataError(f'{source}: every picture is of one class, "{order[0]}"; a classifier needs two classes or more.')
    names = CONFIG["data"].get("labelNames") or {}
    classes = [names.get(l, l) for l in order]
    if classes != CLASSES:
        raise DataError(f"{source}: its classes {classes[:8]} are not the model's {CLASSES[:8]}.")
    index = {l: i for i, l in enumerate(order)}
    labels = [index[l] for l in raw_labels]
    if parts_of is not None and any(p is not None for p in parts_of):
        parts = [[], [], []]
        for i, p in enumerate(parts_of):
            parts[p or 0].append(i)
    else:
        s = CONFIG["data"]["split"]
        parts = stratified_split(labels, s["ratios"], s["seed"], s["stratify"], source)
    in_train = {labels[i] for i in parts[0]}
    for c, name in enumerate(CLASSES):
        if c not in in_train:
            raise DataError(f'{source}: the class "{name}" has no picture in the train split, so the model could never learn it; give it train pictures, or remove it.')
    return ids, np.stack(pixels), labels, parts


def load_splits(path=None):
    """{"train", "dev", "test"}: each a dict of files (the app's ids), pixels (uint8 [n, height, width, channels]) and labels (int64 [n])."""
    ids, pixels, labels, parts = read_pictures(path)
    out = {}
    for name, rows in zip(("train", "dev", "test"), parts):
        out[name] = {
            "files": [ids[i] for i in rows],
            "pixels": torch.from_numpy(pixels[rows].reshape(len(rows), HEIGHT, WIDTH, CHANNELS)),
            "labels": torch.tensor([labels[i] for i in rows], dtype=torch.int64),
        }
    return out


def encode(paths):
    """The pictures at paths (PNG or JPEG files) as the model's uint8 [n, height, width, channels], decoded and resized as the app does."""
    out = []
    for p in paths:
        try:
            data = Path(p).read_bytes()
        except OSError as err:
            raise DataError(f"{p}: cannot read the picture ({err.strerror or err}).") from err
        out.append(resize(decode_image(data, str(p))[0]))
    return torch.from_numpy(np.stack(out)) if out else torch.zeros((0, HEIGHT, WIDTH, CHANNELS), dtype=torch.uint8)


# --- Scaling and augmentation (engine/train/imageData.ts, engine/data/augment.ts) ------------

_MEAN = torch.tensor(IMAGE["mean"][:CHANNELS], dtype=torch.float64)
_STD = torch.tensor(IMAGE["std"][:CHANNELS], dtype=torch.float64)


def model_inputs(pixels):
    """What Model.forward reads: float32 [n, height, width, channels], pixel / 255, or (pixel / 255 - mean) / std with the run's train-split statistics."""
    x = pixels.to(torch.float64) / 255
    if IMAGE["scale"] == "standardize":
        x = (x - _MEAN) / _STD
    return x.to(torch.float32)


def augments():
    """Whether the document asks for augmentation (any amount above 0, or flips)."""
    return AUGMENT["shift"] > 0 or bool(AUGMENT["flip"]) or AUGMENT["rotate"] > 0 or AUGMENT["crop"] > 0


def _nth_random(seed, k):
    """The k-th number (from 0) of mulberry32(seed), the app's generator, without drawing those before it."""
    t = (seed + (k + 1) * 0x6D2B79F5) & M32
    t = _imul(t ^ (t >> 15), t | 1)
    t ^= (t + _imul(t ^ (t >> 7), t | 61)) & M32
    return ((t ^ (t >> 14)) & M32) / 4294967296


def augment(picture, draws, spec=AUGMENT):
    """An augmented copy (float32 [height, width, channels]) of one picture, with the random amounts
    draws() gives in the app's order: shift x, shift y, rotation, crop, crop x, crop y (, flip)."""
    height, width = picture.shape[:2]
    uniform = lambda a: (draws() * 2 - 1) * a
    tx = uniform(spec["shift"]) * width
    ty = uniform(spec["shift"]) * height
    angle = (uniform(spec["rotate"]) * math.pi) / 180
    c = draws() * spec["crop"]
    zoom = 1 / (1 - c)
    crop_x = (uniform(1) * (c * width)) / 2
    crop_y = (uniform(1) * (c * height)) / 2
    flip = bool(spec["flip"]) and draws() < 0.5
    cx, cy = (width - 1) / 2, (height - 1) / 2
    cos, sin = math.cos(angle), math.sin(angle)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    ox = (xs - cx - tx) / zoom + crop_x
    oy = (ys - cy - ty) / zoom + crop_y
    sx = cos * ox + sin * oy + cx
    sy = -sin * ox + cos * oy + cy
    if flip:
        sx = width - 1 - sx
    x0, y0 = np.floor(sx), np.floor(sy)
    fx, fy = (sx - x0)[..., None], (sy - y0)[..., None]
    src = picture.astype(np.float64)

    def at(xx, yy):
        inside = (xx >= 0) & (yy >= 0) & (xx < width) & (yy < height)
        v = src[np.clip(yy, 0, height - 1).astype(np.int64), np.clip(xx, 0, width - 1).astype(np.int64)]
        return np.where(inside[..., None], v, 0.0)

    out = at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy
    return out.astype(np.float32)


def train_inputs(pixels, epoch, positions, n_train):
    """Train rows as the model reads them, augmented when the document asks: the row at place p of
    epoch e's order (from 1; n_train rows an epoch) gets the app's random amounts for it, drawn from
    mulberry32(split seed ^ 0x1a9e) after the first batch's (the app's probe) and the epochs before."""
    if not augments():
        return model_inputs(pixels)
    seed = (CONFIG["data"]["split"]["seed"] & M32) ^ 0x1A9E
    per = 7 if AUGMENT["flip"] else 6
    probe = min(max(1, CONFIG["training"]["batchSize"]), n_train)
    rows = []
    for picture, p in zip(pixels.numpy(), positions):
        k = (probe + (epoch - 1) * n_train + p) * per
        counter = iter(range(k, k + per))
        rows.append(augment(picture, lambda: _nth_random(seed, next(counter))))
    return model_inputs(torch.from_numpy(np.stack(rows)))
`;

export const IMAGE_DATA_PY = HEAD + DATA_PY_SHARED + IMAGES;
