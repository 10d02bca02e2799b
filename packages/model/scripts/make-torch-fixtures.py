"""Golden fixtures for @wattformer/model's GPT from PyTorch (run once; CI uses the output).

A 2-layer GPT-2-architecture decoder written here in plain PyTorch (no transformers):
learned positions, pre-LayerNorm (eps 1e-5), causal multi-head attention, tanh-GELU MLP,
final LayerNorm, LM head tied to the token embedding; weights in Hugging Face GPT-2 names and
Conv1D layout ([in, out]). Fixed random weights and inputs; computed in float64 so the fixture
is the exact answer our float32 code is compared against. Writes logits, loss and every
parameter gradient.

    python3 -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch==2.5.1
    /tmp/torchenv/bin/python packages/model/scripts/make-torch-fixtures.py
"""
import json
import math
import pathlib

import torch

torch.manual_seed(20261129)
dtype = torch.float64
V, T, C, L, H, F, B = 40, 8, 16, 2, 2, 64, 2
D = C // H


def rand(*shape, std=0.3, mean=0.0):
    return (torch.randn(*shape, dtype=dtype) * std + mean).requires_grad_(True)


params = {"transformer.wte.weight": rand(V, C), "transformer.wpe.weight": rand(T, C, std=0.1)}
for i in range(L):
    h = f"transformer.h.{i}"
    params[f"{h}.ln_1.weight"] = rand(C, std=0.1, mean=1.0)
    params[f"{h}.ln_1.bias"] = rand(C, std=0.1)
    params[f"{h}.attn.c_attn.weight"] = rand(C, 3 * C)
    params[f"{h}.attn.c_attn.bias"] = rand(3 * C, std=0.1)
    params[f"{h}.attn.c_proj.weight"] = rand(C, C)
    params[f"{h}.attn.c_proj.bias"] = rand(C, std=0.1)
    params[f"{h}.ln_2.weight"] = rand(C, std=0.1, mean=1.0)
    params[f"{h}.ln_2.bias"] = rand(C, std=0.1)
    params[f"{h}.mlp.c_fc.weight"] = rand(C, F)
    params[f"{h}.mlp.c_fc.bias"] = rand(F, std=0.1)
    params[f"{h}.mlp.c_proj.weight"] = rand(F, C)
    params[f"{h}.mlp.c_proj.bias"] = rand(C, std=0.1)
params["transformer.ln_f.weight"] = rand(C, std=0.1, mean=1.0)
params["transformer.ln_f.bias"] = rand(C, std=0.1)

tokens = torch.randint(0, V, (B, T))
targets = torch.randint(0, V, (B, T))
targets[1, 3] = -100  # an ignored position


def layer_norm(x, name):
    return torch.nn.functional.layer_norm(x, (C,), params[f"{name}.weight"], params[f"{name}.bias"], eps=1e-5)


def linear(x, name):
    return x @ params[f"{name}.weight"] + params[f"{name}.bias"]


x = params["transformer.wte.weight"][tokens] + params["transformer.wpe.weight"][torch.arange(T)]  # (B, T, C)
causal = torch.ones(T, T, dtype=torch.bool).tril()
for i in range(L):
    h = f"transformer.h.{i}"
    q, k, v = linear(layer_norm(x, f"{h}.ln_1"), f"{h}.attn.c_attn").split(C, dim=-1)
    heads = lambda t: t.view(B, T, H, D).transpose(1, 2)  # (B, H, T, D)
    scores = heads(q) @ heads(k).transpose(-1, -2) / math.sqrt(D)
    y = torch.softmax(scores.masked_fill(~causal, float("-inf")), dim=-1) @ heads(v)
    x = x + linear(y.transpose(1, 2).reshape(B, T, C), f"{h}.attn.c_proj")
    m = torch.nn.functional.gelu(linear(layer_norm(x, f"{h}.ln_2"), f"{h}.mlp.c_fc"), approximate="tanh")
    x = x + linear(m, f"{h}.mlp.c_proj")
logits = layer_norm(x, "transformer.ln_f").reshape(B * T, C) @ params["transformer.wte.weight"].T  # (B·T, V)
loss = torch.nn.functional.cross_entropy(logits, targets.reshape(-1), ignore_index=-100)
loss.backward()

flat = lambda t: [float(v) for v in t.detach().reshape(-1)]
fixture = {
    "source": "packages/model/scripts/make-torch-fixtures.py, PyTorch " + torch.__version__ + ", float64",
    "config": {"vocabSize": V, "contextLength": T, "modelDim": C, "layers": L, "heads": H, "mlpDim": F, "tiedEmbeddings": True},
    "tokens": tokens.reshape(-1).tolist(),
    "targets": targets.reshape(-1).tolist(),
    "batch": B,
    "parameters": {name: {"shape": list(p.shape), "data": flat(p)} for name, p in params.items()},
    "logits": flat(logits),
    "loss": float(loss),
    "gradients": {name: flat(p.grad) for name, p in params.items()},
}
out = pathlib.Path(__file__).resolve().parent.parent / "src" / "__fixtures__" / "gpt-2layer-torch.json"
out.write_text(json.dumps(fixture))
print(f"wrote {out} (loss {float(loss):.6f})")
