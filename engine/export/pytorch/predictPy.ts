/**
 * predict.py of the PyTorch project: classifies texts with the trained weights, printing what
 * `modelwright predict` prints (with --json one {text, top: [{label, p}], probs} object a line).
 */
export const PREDICT_PY = String.raw`"""Classify texts with the trained model, as "modelwright predict" does.

    python predict.py "Nakamura" "O'Neill"            # the top 3 classes of each, as bars
    python predict.py --json --top 5 "Nakamura"       # one {text, top: [{label, p}], probs} a line
    python predict.py --weights out "Nakamura"        # weights train.py wrote (a folder or a .pt)
"""
import argparse
import json
import sys

import torch

import data
from model import HERE, load_model


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("texts", nargs="+", metavar="TEXT")
    p.add_argument("--top", type=int, default=3, help="how many classes to show (default %(default)s)")
    p.add_argument("--json", action="store_true", help="one JSON object a line")
    p.add_argument("--weights", default=str(HERE), help="a folder with weights.json + weights.bin, or a .pt file (default: the exported weights)")
    p.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N (default %(default)s)")
    args = p.parse_args()
    # Labels and texts in any script, whatever the terminal's locale.
    sys.stdout.reconfigure(encoding="utf-8")
    if args.top < 1:
        p.error("--top wants a whole number of at least 1")
    model = load_model(args.weights, args.device)
    with torch.no_grad():
        probs = model(data.model_inputs(data.encode(args.texts)).to(args.device)).to("cpu", torch.float64)
    for text, row in zip(args.texts, probs.tolist()):
        ranked = sorted(zip(data.CLASSES, row), key=lambda pair: -pair[1])
        top = [{"label": label, "p": p} for label, p in ranked[: min(args.top, len(ranked))]]
        if args.json:
            print(json.dumps({"text": text, "top": top, "probs": dict(zip(data.CLASSES, row))}, ensure_ascii=False))
        else:
            print(text)
            for t in top:
                print(f"  {t['label']:<24} {t['p'] * 100:5.1f}%  {'#' * round(t['p'] * 30)}")


if __name__ == "__main__":
    sys.exit(main())
`;
