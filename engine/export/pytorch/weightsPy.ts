/**
 * weights.py of the PyTorch project, and the weights format it reads: weights.json lists each
 * state-dict tensor (name, shape, byte offset) of weights.bin, raw little-endian float32. PyTorch
 * reads it with torch.frombuffer alone, no numpy or other package. Also reads and writes the
 * state dicts train.py saves with torch.save.
 */
import type { StateTensor } from './modelPy';

/** weights.json and weights.bin for a state dict. */
export function encodeStateDict(state: readonly StateTensor[]): { manifest: string; bin: Uint8Array } {
  let offset = 0;
  const tensors = state.map((t) => {
    const entry = { name: t.name, shape: t.shape, offset };
    offset += t.values.length * 4;
    return entry;
  });
  const bin = new Uint8Array(offset);
  const view = new DataView(bin.buffer);
  let at = 0;
  for (const t of state) {
    for (let i = 0; i < t.values.length; i++, at += 4) view.setFloat32(at, t.values[i]!, true);
  }
  const manifest = { format: 'modelwright-pytorch-weights', version: 1, dtype: 'float32', byteOrder: 'little', file: 'weights.bin', tensors };
  return { manifest: JSON.stringify(manifest, null, 1) + '\n', bin };
}

export const WEIGHTS_PY = String.raw`"""The model's weights: weights.json names each tensor of weights.bin (raw little-endian float32).

Read with torch alone (torch.frombuffer), so no other package is needed. train.py also saves
PyTorch's own format (torch.save of the state dict); load_weights reads either.
"""
import json
import struct
import sys
from pathlib import Path

import torch


def read_weights(folder):
    """The state dict stored as weights.json + weights.bin in folder."""
    folder = Path(folder)
    manifest = json.loads((folder / "weights.json").read_text(encoding="utf-8"))
    if manifest.get("format") != "modelwright-pytorch-weights" or manifest.get("dtype") != "float32":
        raise ValueError(f"{folder / 'weights.json'} is not a Modelwright weights manifest")
    data = bytearray((folder / manifest["file"]).read_bytes())
    state = {}
    for t in manifest["tensors"]:
        count = 1
        for d in t["shape"]:
            count *= d
        values = torch.frombuffer(data, dtype=torch.float32, count=count, offset=t["offset"]) if count else torch.zeros(0)
        if sys.byteorder != "little":
            values = torch.tensor(struct.unpack(f"<{count}f", bytes(data[t['offset']:t['offset'] + 4 * count])))
        state[t["name"]] = values.clone().reshape(t["shape"])
    return state


def write_weights(state, folder):
    """Writes a state dict as weights.json + weights.bin in folder (float32)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tensors, chunks, offset = [], [], 0
    for name, value in state.items():
        flat = value.detach().to("cpu", torch.float32).flatten().tolist()
        tensors.append({"name": name, "shape": list(value.shape), "offset": offset})
        chunks.append(struct.pack(f"<{len(flat)}f", *flat))
        offset += 4 * len(flat)
    (folder / "weights.bin").write_bytes(b"".join(chunks))
    manifest = {"format": "modelwright-pytorch-weights", "version": 1, "dtype": "float32", "byteOrder": "little", "file": "weights.bin", "tensors": tensors}
    (folder / "weights.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def load_weights(model, source):
    """Loads weights into model from a folder (weights.json + weights.bin) or a .pt file of train.py."""
    source = Path(source)
    state = torch.load(source, map_location="cpu") if source.is_file() else read_weights(source)
    if "model" in state and isinstance(state["model"], dict):
        state = state["model"]
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise ValueError(f"the weights in {source} do not fit this model: missing {missing}, unexpected {unexpected}")
    return model
`;
