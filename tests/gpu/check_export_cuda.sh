#!/usr/bin/env bash
# The exported PyTorch project on CUDA, for a machine with an NVIDIA GPU and PyTorch but no Node.
#
#   tests/gpu/check_export_cuda.sh [PROJECT_DIR] [DATA.csv]
#
# PROJECT_DIR defaults to tests/gpu/fixture/project (surname-gru after one epoch, with its data
# in data/); DATA.csv defaults to the file the project's config.json names. PYTHON chooses the
# Python (default python3; it needs torch built with CUDA). It runs and prints:
#   1. train.py --epochs 1 --device cuda: the train loss after the epoch;
#   2. torchrun --standalone --nproc_per_node 2 (1 on a one-GPU machine), nccl: the same loss and
#      its relative difference from the one-process run's;
#   3. predict.py --json on CUDA and on the CPU for up to 64 texts of the test split: the largest
#      difference of the probabilities, PASS when it is below 1e-4.
# Exit 1 when a step fails or the probabilities differ. DEVICE=cpu runs the same steps on the CPU
# (gloo, two processes): a dry run of the script where there is no GPU.
#
# To check another model, export one where Node runs and copy the folder over:
#   modelwright train MODEL.json --epochs 1 [--data CSV]      # ends with "Run saved in RUN_DIR"
#   modelwright export pytorch RUN_DIR -o PROJECT_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="$(cd "${1:-$here/fixture/project}" && pwd)"
data="${2:-}"
PY="${PYTHON:-python3}"
DEVICE="${DEVICE:-cuda}"
cd "$project"
data_args=()
if [ -n "$data" ]; then data_args=(--data "$(cd "$(dirname "$data")" && pwd)/$(basename "$data")"); fi

if [ "$DEVICE" = cuda ]; then
  "$PY" -c 'import sys, torch; torch.cuda.is_available() or sys.exit(f"no CUDA device is visible to torch {torch.__version__}"); print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.device_count()} GPU(s): {torch.cuda.get_device_name(0)}")'
  gpus="$("$PY" -c 'import torch; print(torch.cuda.device_count())')"
  procs=$(( gpus >= 2 ? 2 : 1 ))
else
  "$PY" -c 'import torch; print(f"torch {torch.__version__} on the CPU (DEVICE=cpu)")'
  procs=2
fi
# torchrun of torch < 2 on Python 3.11 crashes with its default --redirects (see docs/export.md).
workaround="$("$PY" -c 'import sys, torch; print("--redirects 2 --tee 1" if sys.version_info >= (3, 11) and int(torch.__version__.split(".")[0]) < 2 else "")')"
out="$(mktemp -d)"
loss() { grep -o '{"type": "epoch".*' "$1" | tail -n 1 | "$PY" -c 'import json, sys; print(json.loads(sys.stdin.read())["trainLoss"])'; }

echo "== train.py --epochs 1 --device $DEVICE"
"$PY" train.py --epochs 1 --device "$DEVICE" --json --out "$out/one" ${data_args[@]+"${data_args[@]}"} | tee "$out/one.log"
echo "== torchrun --nproc_per_node $procs train.py --epochs 1 ($([ "$DEVICE" = cuda ] && echo nccl || echo gloo))"
# shellcheck disable=SC2086
# The master on 127.0.0.1, not --standalone, whose rendezvous hangs where the hostname does not resolve.
port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$PY" -m torch.distributed.run --nnodes 1 --master_addr 127.0.0.1 --master_port "$port" --nproc_per_node "$procs" $workaround train.py --epochs 1 --device "$DEVICE" --json --out "$out/ddp" ${data_args[@]+"${data_args[@]}"} | tee "$out/ddp.log"
one="$(loss "$out/one.log")"
ddp="$(loss "$out/ddp.log")"
echo "train loss after one epoch: $one in one process, $ddp in $procs (torchrun); relative difference $("$PY" -c "print(abs($ddp - $one) / $one)")"

echo "== predict.py --json on $DEVICE against the CPU"
"$PY" - "$DEVICE" ${data_args[@]+"${data_args[@]}"} <<'PY'
import json, subprocess, sys
import data
device, path = sys.argv[1], (sys.argv[3] if len(sys.argv) > 3 else None)
try:
    texts = data.load_splits(path)["test"]["texts"][:64]
except data.DataError as err:
    print(f"(no data: {err}; a few texts of our own instead)")
    texts = ["Nakamura", "O'Neill", "Schmidt", "Dvořák", "x"]
def probs(on):
    lines = subprocess.run([sys.executable, "predict.py", "--json", "--device", on, *texts], check=True, capture_output=True, text=True).stdout.splitlines()
    return [json.loads(line)["probs"] for line in lines]
cpu, other = probs("cpu"), probs(device)
diff = max(abs(a[c] - b[c]) for a, b in zip(cpu, other) for c in a)
ok = len(cpu) == len(other) == len(texts) and diff < 1e-4
print(f"{len(texts)} texts, {len(data.CLASSES)} classes: max |p_{device} - p_cpu| = {diff:.3g}: {'PASS' if ok else 'FAIL'}")
sys.exit(0 if ok else 1)
PY
