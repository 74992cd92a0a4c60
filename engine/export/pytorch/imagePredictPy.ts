/**
 * predict.py of an image model's PyTorch project: classifies picture files with the trained
 * weights, printing what `modelwright predict` prints for them (with --json one
 * {text, top: [{label, p}], probs} object a line, `text` being the picture's path; a picture that
 * cannot be read is an {ok: false, image, error} line and exit code 1, the others still printed).
 */
export const IMAGE_PREDICT_PY = String.raw`"""Classify pictures with the trained model, as "modelwright predict" does.

    python predict.py cat.png dog.jpg                # the top 3 classes of each, as bars
    python predict.py --json --top 5 cat.png         # one {text, top: [{label, p}], probs} a line
    python predict.py --weights out cat.png          # weights train.py wrote (a folder or a .pt)

Each picture (PNG or JPEG, any size) is decoded, resized and scaled as the run's were (data.py).
"""
import argparse
import json
import sys

import torch

import data
from model import HERE, load_model


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("pictures", nargs="+", metavar="PICTURE", help="PNG or JPEG files")
    p.add_argument("--top", type=int, default=3, help="how many classes to show (default %(default)s)")
    p.add_argument("--json", action="store_true", help="one JSON object a line")
    p.add_argument("--weights", default=str(HERE), help="a folder with weights.json + weights.bin, or a .pt file (default: the exported weights)")
    p.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N (default %(default)s)")
    args = p.parse_args()
    sys.stdout.reconfigure(encoding="utf-8")
    if args.top < 1:
        p.error("--top wants a whole number of at least 1")
    model = load_model(args.weights, args.device)
    failed = False
    for path in args.pictures:
        try:
            pixels = data.encode([path])
        except data.DataError as err:
            failed = True
            if args.json:
                print(json.dumps({"ok": False, "image": path, "error": str(err)}, ensure_ascii=False))
            print(f"error: {err}", file=sys.stderr)
            continue
        with torch.no_grad():
            row = model(data.model_inputs(pixels).to(args.device)).to("cpu", torch.float64)[0].tolist()
        ranked = sorted(zip(data.CLASSES, row), key=lambda pair: -pair[1])
        top = [{"label": label, "p": p} for label, p in ranked[: min(args.top, len(ranked))]]
        if args.json:
            print(json.dumps({"text": path, "top": top, "probs": dict(zip(data.CLASSES, row))}, ensure_ascii=False))
        else:
            print(path)
            for t in top:
                print(f"  {t['label']:<24} {t['p'] * 100:5.1f}%  {'#' * round(t['p'] * 30)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
`;
