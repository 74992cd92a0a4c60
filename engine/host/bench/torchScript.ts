/**
 * The PyTorch side of the benchmark: the same networks as models.ts, trained the same way
 * (Adam, batch 64, cross-entropy on logits), timed per step. Run as `python3 -u -c <script>`, a
 * server that torchServer.ts talks to (one JSON line each way).
 */
/**
 * The surname CNN in PyTorch (needs torch, nn and F imported): one-hot [n, L, V] → Conv1d 256 k3
 * ELU ×4 (strides 1, 2, 2, 1) → flatten channels last, as tfjs's Flatten does → Linear to C.
 * With tfjs_init, Glorot-uniform weights and zero biases (tfjs-layers' defaults), so a run
 * starts where the engine's does.
 */
export const SURNAME_CNN_PY = String.raw`
class SurnameCNN(nn.Module):
    def __init__(s, L, V, C, tfjs_init=False):
        super().__init__()
        s.convs = nn.ModuleList()
        cin, n = V, L
        for st in (1, 2, 2, 1):
            s.convs.append(nn.Conv1d(cin, 256, 3, stride=st)); cin = 256; n = (n - 3) // st + 1
        s.fc = nn.Linear(256 * n, C)
        if tfjs_init:
            for m in list(s.convs) + [s.fc]:
                nn.init.xavier_uniform_(m.weight); nn.init.zeros_(m.bias)
    def forward(s, x):
        h = x.transpose(1, 2)
        for c in s.convs: h = F.elu(c(h))
        return s.fc(h.transpose(1, 2).flatten(1))
`;

export const TORCH_SERVER_SCRIPT = String.raw`
import json, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1)

${SURNAME_CNN_PY}
class EmbResNet(nn.Module):
    def __init__(s, L, V, C):
        super().__init__()
        s.emb = nn.Embedding(V, 64)
        s.c1 = nn.Conv1d(64, 128, 3, padding=1); s.b1 = nn.BatchNorm1d(128, momentum=0.01, eps=1e-3)
        s.c2 = nn.Conv1d(128, 128, 3, padding=1); s.b2 = nn.BatchNorm1d(128, momentum=0.01, eps=1e-3)
        s.nin = nn.Conv1d(128, 128, 1); s.drop = nn.Dropout(0.5); s.fc = nn.Linear(128, C)
    def forward(s, x):
        h = s.emb(x).transpose(1, 2)
        a = s.b1(F.relu(s.c1(h)))
        h = a + s.b2(F.relu(s.c2(a)))
        h = F.relu(s.nin(h)).max(dim=2).values
        return s.fc(s.drop(h))

class EmbGRU(nn.Module):
    def __init__(s, L, V, C):
        super().__init__()
        s.emb = nn.Embedding(V, 100); s.gru = nn.GRU(100, 64, batch_first=True); s.fc = nn.Linear(64, C)
    def forward(s, x):
        _, h = s.gru(s.emb(x))
        return s.fc(h[0])

class EmbLSTM(nn.Module):
    def __init__(s, L, V, C):
        super().__init__()
        s.emb = nn.Embedding(V, 100); s.lstm = nn.LSTM(100, 64, batch_first=True); s.fc = nn.Linear(64, C)
    def forward(s, x):
        _, (h, _) = s.lstm(s.emb(x))
        return s.fc(h[0])

class AgNewsCNN(nn.Module):
    def __init__(s, L, V, C):
        super().__init__()
        s.emb = nn.Embedding(V, 100)
        s.convs = nn.ModuleList([nn.Conv1d(100, 100, 3, stride=2) for _ in range(3)]); s.fc = nn.Linear(100, C)
    def forward(s, x):
        h = s.emb(x).transpose(1, 2)
        for c in s.convs: h = F.elu(c(h))
        return s.fc(h.mean(dim=2))

class DigitsLeNet(nn.Module):
    # NCHW, as a PyTorch user feeds images; Flatten order differs from tfjs's NHWC, the work does not.
    def __init__(s, L, V, C):
        super().__init__()
        s.c1 = nn.Conv2d(1, 6, 5, padding=2); s.c2 = nn.Conv2d(6, 16, 5)
        s.f1 = nn.Linear(16 * 5 * 5, 120); s.f2 = nn.Linear(120, 84); s.f3 = nn.Linear(84, C)
    def forward(s, x):
        h = F.max_pool2d(F.relu(s.c1(x)), 2)
        h = F.max_pool2d(F.relu(s.c2(h)), 2).flatten(1)
        return s.f3(F.relu(s.f2(F.relu(s.f1(h)))))

class DigitsResNet(nn.Module):
    def __init__(s, L, V, C):
        super().__init__()
        s.c1 = nn.Conv2d(1, 16, 3, padding=1); s.b1 = nn.BatchNorm2d(16, momentum=0.1, eps=1e-3)
        s.c2 = nn.Conv2d(16, 16, 3, padding=1); s.b2 = nn.BatchNorm2d(16, momentum=0.1, eps=1e-3)
        s.nin = nn.Conv2d(16, 32, 1); s.fc = nn.Linear(32, C)
    def forward(s, x):
        a = s.b1(F.relu(s.c1(x)))
        h = F.max_pool2d(a + s.b2(F.relu(s.c2(a))), 2)
        return s.fc(F.relu(s.nin(h)).mean(dim=(2, 3)))

NETS = {"surname-cnn": SurnameCNN, "embedding-resnet": EmbResNet, "embedding-gru": EmbGRU, "embedding-lstm": EmbLSTM, "agnews-cnn": AgNewsCNN,
        "digits-lenet": DigitsLeNet, "digits-resnet": DigitsResNet}
# A small server: one JSON request a line on stdin, one JSON answer a line on stdout, so the
# bench can alternate PyTorch and tfjs rounds without starting Python (and importing torch) each time.
#   {"cmd": "setup", "name", "kind", "length", "vocab", "classes", "batch", "image": [H, W, C] | null}
#   {"cmd": "run", "name", "steps", "threads"} -> {"times": [ms, ...], "loss"}
built = {}
def setup(m):
    L, V, C, B = m["length"], m["vocab"], m["classes"], m["batch"]
    torch.manual_seed(1)
    net = NETS[m["name"]](L, V, C)
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    if m["kind"] == "onehot":
        x = F.one_hot(torch.randint(0, V, (B, L)), V).float()
    elif m["kind"] == "image":
        H, W, Ch = m["image"]
        x = torch.rand(B, Ch, H, W)
    else:
        x = torch.randint(0, V, (B, L))
    y = torch.randint(0, C, (B,))
    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x), y)
        loss.backward(); opt.step()
        return loss.item()
    built[m["name"]] = step
    return {"params": sum(p.numel() for p in net.parameters())}

def run(r):
    torch.set_num_threads(r["threads"])
    step = built[r["name"]]
    times, loss = [], None
    for _ in range(r["steps"]):
        t0 = time.perf_counter(); loss = step(); times.append((time.perf_counter() - t0) * 1000)
    return {"times": times, "loss": loss, "threads": torch.get_num_threads()}

print(json.dumps({"torch": torch.__version__}), flush=True)
for line in sys.stdin:
    req = json.loads(line)
    try:
        if req["cmd"] == "setup": out = setup(req)
        elif req["cmd"] == "run": out = run(req)
        else: break
    except Exception as e:
        out = {"error": "%s: %s" % (type(e).__name__, e)}
    print(json.dumps(out), flush=True)
`;
