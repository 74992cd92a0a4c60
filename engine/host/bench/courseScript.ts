/**
 * The PyTorch side of the course check (courseCheck.ts), run as `python3 -c <script> <json>`:
 * the surname CNN trained on the arrays the engine encoded (READ_ENCODED_PY), from the engine's
 * own initial weights, over the engine's own batch order, with the same class-weighted loss,
 * Adam and early stopping (patience on the weighted dev loss, the best epoch restored), then
 * evaluated on the test split. Prints one JSON line.
 */
import { READ_ENCODED_PY } from './wholeRunScript';
import { SURNAME_CNN_PY } from './torchScript';

const TRAIN_PY = String.raw`
import sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

cfg = json.loads(sys.argv[1])
torch.set_num_threads(cfg["threads"])
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
w = torch.tensor(cfg["classWeights"], dtype=torch.float32) if cfg["classWeights"] else None

${SURNAME_CNN_PY}
net = SurnameCNN(L, V, C)
# The engine's initial weights, in its order: four convs (kernel [k, in, out], bias), then the
# output Dense (kernel [in, out], bias).
init = np.fromfile(os.path.join(cfg["dir"], "init.bin"), dtype="<f4")
specs = cfg["initShapes"]
layers = list(net.convs) + [net.fc]
if len(specs) != 2 * len(layers):
    raise SystemExit("expected %d initial weights, got %d" % (2 * len(layers), len(specs)))
at = 0
with torch.no_grad():
    for i, layer in enumerate(layers):
        ks, bs = specs[2 * i], specs[2 * i + 1]
        k = init[at:at + int(np.prod(ks))].reshape(ks); at += int(np.prod(ks))
        b = init[at:at + int(np.prod(bs))].reshape(bs); at += int(np.prod(bs))
        k = torch.from_numpy(k.copy())
        k = k.permute(2, 1, 0) if k.dim() == 3 else k.t()
        if tuple(k.shape) != tuple(layer.weight.shape):
            raise SystemExit("weight %d is %s, PyTorch wants %s" % (i, tuple(k.shape), tuple(layer.weight.shape)))
        layer.weight.copy_(k); layer.bias.copy_(torch.from_numpy(b.copy()))

orders = np.fromfile(os.path.join(cfg["dir"], "orders.bin"), dtype="<i4").reshape(cfg["epochs"], N)
opt = torch.optim.Adam(net.parameters(), lr=cfg["lr"], betas=(cfg["beta1"], cfg["beta2"]), eps=cfg["epsilon"])

def evaluate(x, y):
    if len(y) == 0: return None, None
    net.eval()
    loss, weight, correct = 0.0, 0.0, 0
    with torch.no_grad():
        for s in range(0, len(y), 256):
            out = net(x[s:s + 256]); t = y[s:s + 256]
            per = F.cross_entropy(out, t, reduction="none")
            wt = w[t] if w is not None else torch.ones_like(per)
            loss += (per * wt).sum().item(); weight += wt.sum().item()
            correct += (out.argmax(1) == t).sum().item()
    net.train()
    return loss / weight, correct / len(y)

net.train()
t0 = time.perf_counter()
epochs, best, best_state, best_epoch, since, stopped = [], float("inf"), None, 0, 0, False
for e in range(1, cfg["epochs"] + 1):
    te = time.perf_counter()
    perm = torch.from_numpy(orders[e - 1].astype("int64"))
    correct = 0
    for s in range(0, N, B):
        idx = perm[s:s + B]
        x, y = xt[idx], yt[idx]
        opt.zero_grad(set_to_none=True)
        out = net(x)
        loss = F.cross_entropy(out, y, weight=w)
        loss.backward(); opt.step()
        correct += (out.argmax(1) == y).sum().item()
    dev_loss, dev_acc = evaluate(xd, yd)
    epochs.append({"epoch": e, "trainAcc": correct / N, "devLoss": dev_loss, "devAcc": dev_acc, "seconds": time.perf_counter() - te})
    monitored = dev_loss if dev_loss is not None else float("inf")
    if monitored < best:
        best, since, best_epoch = monitored, 0, e
        if cfg["restoreBest"]: best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    elif cfg["patience"] is not None:
        since += 1
        if since >= max(1, cfg["patience"]):
            stopped = True
            break
if best_state is not None: net.load_state_dict(best_state)
test_loss, test_acc = evaluate(xs, ys)
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "seconds": time.perf_counter() - t0,
                  "epochs": epochs, "bestEpoch": best_epoch if best_state is not None else None, "earlyStopped": stopped,
                  "testLoss": test_loss, "testAcc": test_acc}))
`;

/** Reader + trainer; its argument is the JSON config courseCheck.ts builds. */
export const COURSE_SCRIPT = READ_ENCODED_PY + TRAIN_PY;
