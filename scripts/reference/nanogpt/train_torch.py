"""PyTorch side of the nanoGPT CPU reference: wattformer's GPT (packages/model/src/gpt.ts)
written in PyTorch, trained with nanoGPT's loop (random windows via torch.randint, AdamW with
decay on matrices only, warmup + cosine schedule, global-norm clipping) on the token file that
export-data.mjs wrote and the shared nanogpt-config.json. Writes one JSON result.

    python train_torch.py --data DIR --seed 1 [--iters 2000] [--threads 1] --out result.json

Architecture, as in gpt.ts: learned token and position embeddings, pre-LayerNorm blocks
(eps 1e-5) of causal multi-head attention and a tanh-GELU MLP, biases everywhere, a final
LayerNorm, LM head tied to the token embedding. Init as initGptParameters: N(0, 0.02) for
matrices and wte, N(0, 0.01) for wpe, residual projections N(0, 0.02 / sqrt(2 * layers)),
zero biases, unit LayerNorm gains.
"""
import argparse
import hashlib
import json
import math
import os
import resource
import sys
import time
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, c, heads, mlp):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(c, eps=1e-5)
        self.c_attn = nn.Linear(c, 3 * c)
        self.attn_proj = nn.Linear(c, c)
        self.ln_2 = nn.LayerNorm(c, eps=1e-5)
        self.c_fc = nn.Linear(c, mlp)
        self.mlp_proj = nn.Linear(mlp, c)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(c, dim=2)  # (B, T, C) each
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))  # (B, H, T, D)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, c)
        x = x + self.attn_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, vocab, context, c, layers, heads, mlp):
        super().__init__()
        self.wte = nn.Embedding(vocab, c)
        self.wpe = nn.Embedding(context, c)
        self.h = nn.ModuleList(Block(c, heads, mlp) for _ in range(layers))
        self.ln_f = nn.LayerNorm(c, eps=1e-5)
        residual_std = 0.02 / math.sqrt(2 * layers)
        for name, p in self.named_parameters():
            if name == "wpe.weight":
                nn.init.normal_(p, 0.0, 0.01)
            elif name.endswith("proj.weight"):
                nn.init.normal_(p, 0.0, residual_std)
            elif p.dim() >= 2:
                nn.init.normal_(p, 0.0, 0.02)
            elif name.startswith("ln") or ".ln_" in name:
                nn.init.ones_(p) if name.endswith("weight") else nn.init.zeros_(p)
            else:
                nn.init.zeros_(p)

    def forward(self, tokens, targets):
        t = tokens.shape[1]
        x = self.wte(tokens) + self.wpe(torch.arange(t))
        for block in self.h:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.T  # tied head, (B, T, V)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def learning_rate_at(s, it, iters, decay_iters):
    """The same schedule as @wattformer/trainer's learningRateAt (cosine, 0-based step)."""
    warmup = min(s["warmupIters"], iters)
    if it < warmup:
        return s["learningRate"] * (it + 1) / warmup
    if it >= decay_iters:
        return s["minLearningRate"]
    progress = (it - warmup) / max(1, decay_iters - warmup)
    return s["minLearningRate"] + (s["learningRate"] - s["minLearningRate"]) * 0.5 * (1 + math.cos(math.pi * progress))


def get_batch(stream, b, t, generator):
    """nanoGPT's get_batch: b random windows of length t, targets shifted by one."""
    starts = torch.randint(len(stream) - t, (b,), generator=generator)
    x = torch.stack([stream[i : i + t] for i in starts.tolist()])
    y = torch.stack([stream[i + 1 : i + 1 + t] for i in starts.tolist()])
    return x, y


@torch.no_grad()
def full_split_loss(model, stream, b, t):
    """Every non-overlapping window s = 0, t, 2t, ... (as evaluate-wattformer.mjs), weighted by rows."""
    windows = (len(stream) - 1) // t
    total = 0.0
    for first in range(0, windows, b):
        rows = min(b, windows - first)
        x = stream[first * t : (first + rows) * t].view(rows, t)
        y = stream[first * t + 1 : (first + rows) * t + 1].view(rows, t)
        total += rows * model(x, y).item()
    return total / windows


@torch.no_grad()
def sampled_loss(model, stream, b, t, iterations, seed):
    generator = torch.Generator().manual_seed(seed)
    return sum(model(*get_batch(stream, b, t, generator)).item() for _ in range(iterations)) / iterations


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iters", type=int)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--log-every", type=int, default=100)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    s = json.loads((Path(__file__).parent / "nanogpt-config.json").read_text())
    iters = args.iters or s["maxIters"]
    decay_iters = iters if args.iters else s["lrDecayIters"]
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    data = Path(args.data)
    meta = json.loads((data / "meta.json").read_text())
    raw = (data / meta["file"]).read_bytes()
    if hashlib.sha256(raw).hexdigest() != meta["sha256"]:
        raise SystemExit(f"reference: train_torch: expected {data / meta['file']} with sha256 {meta['sha256']}, got another\nhelp: delete {data} and run again")
    ids = torch.frombuffer(bytearray(raw), dtype=torch.int16).to(torch.int64) & 0xFFFF
    train, validation = ids[: meta["trainTokens"]], ids[meta["trainTokens"] :]

    b, t = s["batchSize"], s["contextLength"]
    model = Gpt(meta["vocabSize"], t, s["modelDim"], s["layers"], s["heads"], s["mlpDim"])
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": s["weightDecay"]}, {"params": no_decay, "weight_decay": 0.0}],
        lr=s["learningRate"], betas=(s["beta1"], s["beta2"]), eps=s["epsilon"],
    )
    generator = torch.Generator().manual_seed(args.seed)
    curve = []
    started = time.perf_counter()
    cpu_started = time.process_time()
    for it in range(iters):
        lr = learning_rate_at(s, it, iters, decay_iters)
        for group in optimizer.param_groups:
            group["lr"] = lr
        loss = model(*get_batch(train, b, t, generator))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), s["gradClip"])
        optimizer.step()
        step = it + 1
        if step % 10 == 0 or step == 1:
            curve.append([step, loss.item()])
        if step % args.log_every == 0:
            elapsed = time.perf_counter() - started
            print(f"torch seed {args.seed}: step {step}/{iters} loss {loss.item():.4f} lr {lr:.2e} {round(step * b * t / elapsed)} tok/s", flush=True)
    final_train_loss = loss.item()
    train_seconds = time.perf_counter() - started
    train_cpu_seconds = time.process_time() - cpu_started

    model.eval()
    eval_started = time.perf_counter()
    evaluation = {
        "validationLoss": full_split_loss(model, validation, b, t),
        "validationLoss20": sampled_loss(model, validation, b, t, s["evalIters"], args.seed + 1),
        "trainLoss20": sampled_loss(model, train, b, t, s["evalIters"], args.seed + 2),
    }
    eval_seconds = time.perf_counter() - eval_started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    output = {
        "side": "torch",
        "implementation": f"PyTorch {torch.__version__} (CPU, {args.threads} thread{'s' if args.threads > 1 else ''})",
        "seed": args.seed,
        "iters": iters,
        **evaluation,
        "finalTrainLoss": final_train_loss,
        "trainSeconds": train_seconds,
        "evalSeconds": eval_seconds,
        "tokensPerSecond": iters * b * t / train_seconds,
        "trainCpuSeconds": train_cpu_seconds,
        "tokensPerCpuSecond": iters * b * t / train_cpu_seconds,
        "selfCpuSeconds": usage.ru_utime + usage.ru_stime,
        "curve": curve,
        "runtime": f"python {'.'.join(map(str, sys.version_info[:3]))}, torch {torch.__version__}",
    }
    Path(args.out).write_text(json.dumps(output, indent=2) + "\n")
    print(f"torch seed {args.seed}: validation loss {evaluation['validationLoss']:.4f} (whole split), {evaluation['validationLoss20']:.4f} (20 batches); {train_seconds:.0f} s training", flush=True)


if __name__ == "__main__":
    main()
