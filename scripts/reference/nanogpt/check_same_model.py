"""The PyTorch half of check-same-model.mjs: loads wattformer's initial parameters (safetensors,
Hugging Face GPT-2 names and Conv1D layout [in, out]) into train_torch.Gpt, trains on the given
batches with the same step as train_torch.py, and prints one JSON line of per-step losses and
gradient norms (before clipping).

    python check_same_model.py --dir DIR   # reads DIR/init.safetensors and DIR/batches.json
"""
import argparse
import json
import struct
from pathlib import Path

import torch

from train_torch import Gpt, learning_rate_at


def read_safetensors(path):
    raw = Path(path).read_bytes()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + size])
    body = bytearray(raw[8 + size :])
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise SystemExit(f"reference: check: expected F32 tensors, got {entry['dtype']} for {name}")
        start, end = entry["data_offsets"]
        out[name] = torch.frombuffer(body[start:end], dtype=torch.float32).reshape(entry["shape"]).clone()
    return out


def torch_name(name):
    """(wattformer / HF name, transpose?) → train_torch.Gpt name."""
    name = name.removeprefix("transformer.")
    for ours, theirs in (("attn.c_attn", "c_attn"), ("attn.c_proj", "attn_proj"), ("mlp.c_fc", "c_fc"), ("mlp.c_proj", "mlp_proj")):
        if f".{ours}." in name:
            return name.replace(ours, theirs), name.endswith(".weight")
    return name, False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    folder = Path(args.dir)
    spec = json.loads((folder / "batches.json").read_text())
    s, meta = spec["settings"], spec["meta"]
    torch.set_num_threads(1)
    model = Gpt(meta["vocabSize"], s["contextLength"], s["modelDim"], s["layers"], s["heads"], s["mlpDim"])
    state = {}
    for name, value in read_safetensors(folder / "init.safetensors").items():
        mapped, transpose = torch_name(name)
        state[mapped] = value.T.contiguous() if transpose else value
    model.load_state_dict(state, strict=True)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": s["weightDecay"]}, {"params": no_decay, "weight_decay": 0.0}],
        lr=s["learningRate"], betas=(s["beta1"], s["beta2"]), eps=s["epsilon"],
    )
    b, t = s["batchSize"], s["contextLength"]
    losses, norms = [], []
    for it, batch in enumerate(spec["batches"]):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate_at(s, it, s["maxIters"], s["lrDecayIters"])
        x = torch.tensor(batch["tokens"], dtype=torch.int64).view(b, t)
        y = torch.tensor(batch["targets"], dtype=torch.int64).view(b, t)
        loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), s["gradClip"]).item())
        optimizer.step()
        losses.append(loss.item())
    print(json.dumps({"losses": losses, "gradNorms": norms}))


if __name__ == "__main__":
    main()
