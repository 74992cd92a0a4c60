/**
 * The PyTorch side of the whole-run benchmark (wholeRun.ts), run as `python3 -c <script> <json>`.
 * READ_ENCODED_PY reads what exportEncoded writes; the trainer builds the surname CNN and trains
 * it the way engine/train/loop.ts does (shuffle each epoch, Adam, dev evaluation each epoch, test
 * at the end), at the thread count whose first epoch was fastest, and prints one JSON line.
 */

import { SURNAME_CNN_PY } from './torchScript';

/** Defines `load(dir)` → (meta, {split: (x ndarray [n, ...inputShape], y int labels [n])}). Needs numpy only. */
export const READ_ENCODED_PY = String.raw`
import json, os
import numpy as np

def load(d):
    with open(os.path.join(d, "meta.json")) as f:
        meta = json.load(f)
    shape = list(meta["inputShape"])
    per = int(np.prod(shape)) if shape else 1
    xtype = "<f4" if meta["inputDtype"] == "float32" else "<i4"
    out = {}
    for split, n in meta["splits"].items():
        x = np.fromfile(os.path.join(d, split + "_x.bin"), dtype=xtype)
        y = np.fromfile(os.path.join(d, split + "_y.bin"), dtype="<i4")
        if x.size != n * per or y.size != n:
            raise SystemExit("%s: expected %d rows of %s, found %d values and %d labels" % (split, n, shape, x.size, y.size))
        out[split] = (x.reshape([n] + shape), y)
    return meta, out
`;

const TRAIN_PY = String.raw`
import sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

cfg = json.loads(sys.argv[1])
meta, arrays = load(cfg["dir"])
L, V = meta["inputShape"]
C = meta["numClasses"]

def tensors(split):
    x, y = arrays[split]
    return torch.from_numpy(x), torch.from_numpy(y).long()

xt, yt = tensors("train")
xd, yd = tensors("dev")
xs, ys = tensors("test")
N, B = len(yt), cfg["batch"]

${SURNAME_CNN_PY}
def fresh():
    torch.manual_seed(cfg["seed"])
    net = SurnameCNN(L, V, C, tfjs_init=True)
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=cfg["lr"], betas=(cfg["beta1"], cfg["beta2"]), eps=cfg["epsilon"])
    return net, opt, torch.Generator().manual_seed(cfg["seed"])

def evaluate(net, x, y):
    if len(y) == 0: return None, None
    net.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for s in range(0, len(y), 256):
            out = net(x[s:s + 256]); t = y[s:s + 256]
            loss += F.cross_entropy(out, t, reduction="sum").item()
            correct += (out.argmax(1) == t).sum().item()
    net.train()
    return loss / len(y), correct / len(y)

def epoch(net, opt, g, number):
    te = time.perf_counter()
    perm = torch.randperm(N, generator=g)
    loss_sum, correct = 0.0, 0
    for s in range(0, N, B):
        idx = perm[s:s + B]
        x, y = xt[idx], yt[idx]
        opt.zero_grad(set_to_none=True)
        out = net(x)
        loss = F.cross_entropy(out, y)
        loss.backward(); opt.step()
        # Read back loss and accuracy each step, as the engine's loop does for its batch events.
        loss_sum += loss.item() * len(idx); correct += (out.argmax(1) == y).sum().item()
    dev_loss, dev_acc = evaluate(net, xd, yd)
    return {"epoch": number, "trainLoss": loss_sum / N, "trainAcc": correct / N, "devLoss": dev_loss, "devAcc": dev_acc,
            "seconds": time.perf_counter() - te}

# One epoch at each thread count, the fastest running the whole run: two whole runs would double
# the bench's time, and the 2-thread path can take ten times longer when the cores are shared.
probes = []
for th in cfg["threads"]:
    torch.set_num_threads(th)
    net, opt, g = fresh()
    probes.append({"threads": th, "seconds": epoch(net, opt, g, 1)["seconds"]})
threads = min(probes, key=lambda p: p["seconds"])["threads"]
if len(probes) == 1: probes = []

torch.set_num_threads(threads)
net, opt, g = fresh()
t0 = time.perf_counter()
epochs = [epoch(net, opt, g, e) for e in range(1, cfg["epochs"] + 1)]
test_loss, test_acc = evaluate(net, xs, ys)
seconds = time.perf_counter() - t0
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "seconds": seconds, "probes": probes,
                  "params": sum(p.numel() for p in net.parameters()), "epochs": epochs, "testLoss": test_loss, "testAcc": test_acc}))
`;

/** The whole PyTorch run: reader + trainer. Its argument is the JSON config runTorchWholeRun builds. */
export const WHOLE_RUN_SCRIPT = READ_ENCODED_PY + TRAIN_PY;
