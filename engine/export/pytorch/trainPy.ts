/**
 * train.py of the PyTorch project: the app's training loop (engine/train/loop.ts) in PyTorch,
 * on one CPU or GPU, or on many GPUs and machines under torchrun with DistributedDataParallel.
 * The same optimizer (torch.optim with the document's settings), learning-rate schedule and
 * warm-up, batch size, class weights, gradient clipping, weight decay, early stopping with
 * restore-best and seed; each epoch's examples in the app's own order (a DistributedSampler over
 * it, so N processes with batchSize/N rows each step see exactly the app's batches), and for an
 * image model the app's augmentation of each train picture. The same file for every model;
 * config.json holds the document's training section, data.py what the examples are.
 */
export const TRAIN_PY = String.raw`"""Train the model as Modelwright trains it, on a CPU, a GPU, or many under torchrun.

    python train.py                          # the data file config.json names, the document's epochs
    python train.py --data my.csv --epochs 5 --device cuda
    torchrun --nproc_per_node 4 train.py     # DistributedDataParallel on 4 GPUs (or CPU processes)

By default training starts from the exported weights (weights.json + weights.bin): the run's
trained weights, or the app's initial ones for a document exported untrained; --from-scratch
starts from PyTorch's initialisation with the document's seed. Every process takes its share of
each batch (batchSize / processes rows), so the batches, and the gradients summed over them, are
the app's; rank 0 alone prints, logs (OUT/log.jsonl) and saves (OUT/checkpoint.pt after each
epoch, OUT/model.pt and OUT/weights.json + weights.bin at the end). --resume OUT/checkpoint.pt
carries on from a checkpoint. An image model's train pictures are augmented as the document
asks, each with the app's random amounts for its place in the run (data.train_inputs); dev and
test pictures never are. See README.md for clusters.
"""
import argparse
import copy
import json
import math
import os
import sys
import time
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

import data
from model import Model
from weights import load_weights, write_weights

HERE = Path(__file__).resolve().parent
TRAINING = data.CONFIG["training"]
#: A model of pictures (data.py reads images) or of texts.
IMAGES = getattr(data, "KIND", "text") == "image"
SCHEDULE_DEFAULTS = {"exponential": {"gamma": 0.95}, "step": {"gamma": 0.5, "stepSize": 10}, "cosine": {"minLr": 0.0}, "inverseTime": {"decayRate": 0.1}}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", help="the pictures' folder or CSV (image models), or the CSV/TSV of texts, to train on (default: the one config.json names)")
    p.add_argument("--epochs", type=int, default=TRAINING["epochs"], help="epochs to run (default: the document's, %(default)s)")
    p.add_argument("--batch-size", type=int, default=TRAINING["batchSize"], help="examples per step over all processes (default: %(default)s)")
    p.add_argument("--device", default=None, help="cpu, cuda or cuda:N (default: cuda when there is one, else cpu; under torchrun each process takes its LOCAL_RANK's GPU)")
    p.add_argument("--out", default=str(HERE / "out"), help="where checkpoints, logs and the trained weights go (default: %(default)s)")
    p.add_argument("--from-scratch", action="store_true", help="start from PyTorch's initialisation instead of the exported weights")
    p.add_argument("--resume", help="a checkpoint.pt to carry on from")
    p.add_argument("--json", action="store_true", help="print one JSON object a line instead of a table")
    return p.parse_args()


def learning_rate(base, schedule, epoch, epochs):
    """The rate of epoch (from 0) of epochs: warm-up, then the schedule, as the app computes it."""
    warmup = schedule.get("warmupEpochs") or 0
    if epoch < warmup:
        return base * (epoch + 1) / warmup
    e, n = epoch - warmup, epochs - warmup
    kind = schedule.get("type", "constant")
    get = lambda key: schedule.get(key) if schedule.get(key) is not None else SCHEDULE_DEFAULTS[kind][key]
    if kind == "constant":
        return base
    if kind == "exponential":
        return base * get("gamma") ** e
    if kind == "step":
        return base * get("gamma") ** (e // get("stepSize"))
    if kind == "cosine":
        t = 0 if n <= 1 else e / (n - 1)
        return get("minLr") + 0.5 * (base - get("minLr")) * (1 + math.cos(math.pi * t))
    if kind == "inverseTime":
        return base / (1 + get("decayRate") * e)
    raise ValueError(f"unknown schedule {kind}")


def make_optimizer(parameters):
    """torch.optim with the document's optimizer settings (weight decay added to the gradients, after clipping)."""
    spec, decay = TRAINING["optimizer"], TRAINING.get("weightDecay", 0)
    kind, lr = spec["type"], spec["lr"]
    if kind == "sgd":
        return torch.optim.SGD(parameters, lr=lr, weight_decay=decay)
    if kind == "momentum":
        return torch.optim.SGD(parameters, lr=lr, momentum=spec["momentum"], nesterov=spec.get("nesterov", False), weight_decay=decay)
    if kind == "adam":
        return torch.optim.Adam(parameters, lr=lr, betas=(spec["beta1"], spec["beta2"]), eps=spec["epsilon"], weight_decay=decay)
    if kind == "rmsprop":
        # tfjs adds epsilon inside the square root, PyTorch outside: alike but where gradients are ~0.
        return torch.optim.RMSprop(parameters, lr=lr, alpha=spec["rho"], eps=spec["epsilon"], momentum=spec["momentum"], weight_decay=decay)
    if kind == "adagrad":
        # tfjs's Adagrad starts its accumulators at 0.1.
        return torch.optim.Adagrad(parameters, lr=lr, initial_accumulator_value=0.1, weight_decay=decay)
    raise ValueError(f"unknown optimizer {kind}")


def examples(split):
    """A split's examples before data.model_inputs: picture bytes (image models) or token ids."""
    return split["pixels"] if IMAGES else split["ids"]


def class_weights(train_labels):
    """The loss's weight of each class from the train split's counts, as the app computes them (None: alike)."""
    spec = TRAINING.get("classWeights", "none")
    k = len(data.CLASSES)
    counts = [0] * k
    for label in train_labels.tolist():
        counts[label] += 1
    if spec == "none":
        return None
    if spec == "inverse":
        return torch.tensor([sum(counts) / (k * max(1, c)) for c in counts])
    if spec == "inverseLog":
        return torch.tensor([1 / math.log(max(2, c)) for c in counts])
    return torch.tensor([float(spec.get(name, 1)) for name in data.CLASSES])


class EpochOrder(DistributedSampler):
    """DistributedSampler over the app's own order of each epoch's examples (set_epoch(e), e from 1).

    Process r of N takes every N-th example from r, so a per-process batch of B/N rows is the
    interleaved share of the app's batch of B, and the N gradients average to the app's.
    """

    def __iter__(self):
        order = data.epoch_order(len(self.dataset), self.seed, self.epoch)
        order += order[: self.total_size - len(order)]
        return iter(order[self.rank : self.total_size : self.num_replicas])


class Trainer:
    def __init__(self, args):
        self.args = args
        self.distributed = "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1
        if self.distributed:
            local = int(os.environ.get("LOCAL_RANK", 0))
            cuda = torch.cuda.is_available() and (args.device is None or args.device.startswith("cuda"))
            self.device = torch.device(f"cuda:{local}") if cuda else torch.device("cpu")
            if cuda:
                torch.cuda.set_device(self.device)
            dist.init_process_group("nccl" if cuda else "gloo")
            self.rank, self.world = dist.get_rank(), dist.get_world_size()
        else:
            self.device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
            self.rank, self.world = 0, 1
        self.main = self.rank == 0
        self.out = Path(args.out)
        if self.main:
            self.out.mkdir(parents=True, exist_ok=True)

    def log(self, record, line):
        if not self.main:
            return
        print(json.dumps(record) if self.args.json else line, flush=True)
        with open(self.out / "log.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")

    def sums(self, *values):
        """values summed over all processes."""
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        if self.distributed:
            dist.all_reduce(t)
        return t.tolist()

    def loss(self, model, x, y, weights, training):
        out = model(x, logits=True) if Model.LOGITS else model(x)
        if Model.LOSS == "categoricalCrossentropy":
            if Model.LOGITS:
                loss = F.cross_entropy(out, y, weight=weights)
            else:
                picked = out.clamp(1e-7, 1).log().gather(1, y[:, None])[:, 0]
                w = torch.ones_like(picked) if weights is None else weights[y]
                loss = -(w * picked).sum() / w.sum()
        else:
            target = F.one_hot(y, out.shape[1]).to(out.dtype) if out.shape[1] > 1 else y[:, None].to(out.dtype)
            w = None if weights is None else (weights if out.shape[1] > 1 else weights[1:])
            loss = F.binary_cross_entropy_with_logits(out, target, weight=w) if Model.LOGITS else F.binary_cross_entropy(out.clamp(1e-7, 1 - 1e-7), target, weight=w)
        correct = (out.argmax(-1) == y).sum() if out.shape[1] > 1 else ((out[:, 0] > (0 if Model.LOGITS else 0.5)).long() == y).sum()
        # How the app weighs a batch's mean loss in the epoch's: by its examples' class weights (categorical).
        weight = weights[y].sum() if weights is not None and Model.LOSS == "categoricalCrossentropy" else torch.tensor(float(len(y)))
        return loss, correct, weight

    def evaluate(self, model, split, weights):
        """Loss and accuracy over a split, in eval mode; each process takes every N-th batch."""
        model.eval()
        ids, labels = examples(split), split["labels"]
        loss_sum = weight_sum = correct = 0.0
        with torch.no_grad():
            for start in range(self.rank * 256, len(ids), 256 * self.world):
                x = data.model_inputs(ids[start : start + 256]).to(self.device)
                y = labels[start : start + 256].to(self.device)
                loss, c, w = self.loss(model, x, y, weights, False)
                loss_sum += loss.item() * w.item()
                weight_sum += w.item()
                correct += c.item()
        loss_sum, weight_sum, correct = self.sums(loss_sum, weight_sum, correct)
        n = len(ids)
        return (loss_sum / weight_sum if weight_sum else float("nan")), (correct / n if n else float("nan"))

    def run(self):
        args = self.args
        seed = TRAINING["seed"]
        torch.manual_seed(seed)
        splits = data.load_splits(args.data)
        model = Model()
        if not args.from_scratch and (HERE / "weights.json").exists():
            load_weights(model, HERE)
        model.to(self.device)
        weights = class_weights(splits["train"]["labels"])
        weights = None if weights is None else weights.to(self.device)
        optimizer = make_optimizer([p for p in model.parameters() if p.requires_grad])
        first_epoch = 1
        if args.resume:
            checkpoint = torch.load(args.resume, map_location=self.device)
            model.load_state_dict(checkpoint["model"])
            optimizer.load_state_dict(checkpoint["optimizer"])
            first_epoch = checkpoint["epoch"] + 1
        net = torch.nn.parallel.DistributedDataParallel(model, device_ids=[self.device.index] if self.device.type == "cuda" else None) if self.distributed else model

        train = TensorDataset(examples(splits["train"]), splits["train"]["labels"])
        sampler = EpochOrder(train, num_replicas=self.world, rank=self.rank, shuffle=False, seed=seed)
        per_process = max(1, args.batch_size // self.world)
        if self.main and per_process * self.world != args.batch_size:
            print(f"note: {self.world} processes take {per_process} rows each, {per_process * self.world} a step (not {args.batch_size})", file=sys.stderr)
        loader = DataLoader(train, batch_size=per_process, sampler=sampler)
        early = TRAINING.get("earlyStopping")
        clip = TRAINING.get("clipNorm")
        best, best_loss, since_best, reason = None, math.inf, 0, "completed"
        self.log(
            {"type": "start", "device": str(self.device), "processes": self.world, "train": len(train), "dev": len(splits["dev"]["labels"]), "test": len(splits["test"]["labels"]), "epochs": args.epochs},
            f"Training on {self.device} x {self.world}: {len(train)} train / {len(splits['dev']['labels'])} dev / {len(splits['test']['labels'])} test examples, {args.epochs} epochs",
        )
        epoch = first_epoch - 1
        for epoch in range(first_epoch, args.epochs + 1):
            started = time.time()
            lr = learning_rate(TRAINING["optimizer"]["lr"], TRAINING.get("schedule", {"type": "constant"}), epoch - 1, args.epochs)
            for group in optimizer.param_groups:
                group["lr"] = lr
            sampler.set_epoch(epoch)
            net.train()
            loss_sum = weight_sum = correct = seen = 0.0
            for step, (ids, y) in enumerate(loader):
                if IMAGES:
                    # This process's rows are every world-th of the epoch's order from its rank: their
                    # places in it say which of the app's random augmentations each one gets.
                    first = self.rank + self.world * step * per_process
                    places = range(first, first + self.world * len(y), self.world)
                    x = data.train_inputs(ids, epoch, places, len(train))
                else:
                    x = data.model_inputs(ids)
                x, y = x.to(self.device), y.to(self.device)
                loss, c, w = self.loss(net, x, y, weights, True)
                optimizer.zero_grad(set_to_none=True)
                (loss + model.penalty()).backward()
                if clip is not None:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
                optimizer.step()
                loss_sum += loss.item() * w.item()
                weight_sum += w.item()
                correct += c.item()
                seen += len(y)
            loss_sum, weight_sum, correct, seen = self.sums(loss_sum, weight_sum, correct, seen)
            train_loss = loss_sum / weight_sum
            dev_loss, dev_acc = self.evaluate(model, splits["dev"], weights)
            self.log(
                {"type": "epoch", "epoch": epoch, "trainLoss": train_loss, "trainAcc": correct / seen, "devLoss": dev_loss, "devAcc": dev_acc, "lr": lr, "seconds": time.time() - started},
                f"epoch {epoch:>4}  train loss {train_loss:.4f}  acc {correct / seen:.3f}  dev loss {dev_loss:.4f}  acc {dev_acc:.3f}  lr {lr:.3g}  {time.time() - started:.1f} s",
            )
            if self.main:
                torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict()}, self.out / "checkpoint.pt")
            monitored = dev_loss if math.isfinite(dev_loss) else train_loss
            if monitored < best_loss:
                best_loss, since_best = monitored, 0
                if early and early.get("restoreBest"):
                    best = copy.deepcopy(model.state_dict())
            elif early:
                since_best += 1
                if since_best >= max(1, early.get("patience", 3)):
                    reason = "early-stopped"
                    break
        if best is not None:
            model.load_state_dict(best)
        test_loss, test_acc = self.evaluate(model, splits["test"], weights)
        self.log(
            {"type": "done", "reason": reason, "epochs": epoch, "testLoss": test_loss, "testAcc": test_acc, "out": str(self.out)},
            f"Done ({reason}) after {epoch} epochs: test loss {test_loss:.4f}, acc {test_acc:.3f}; weights in {self.out}",
        )
        if self.main:
            torch.save(model.state_dict(), self.out / "model.pt")
            write_weights(model.state_dict(), self.out)
        if self.distributed:
            # Every process waits here until rank 0 has written its files, then all leave together:
            # a process that tears its group down while another still works can hang at exit.
            dist.barrier()
            dist.destroy_process_group()


if __name__ == "__main__":
    Trainer(parse_args()).run()
`;
