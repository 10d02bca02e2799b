"""Hugging Face parity fixtures for @wattformer/model (run once; CI uses the committed output).

    /tmp/torchenv/bin/pip install torch==2.5.1 transformers==4.46.3 safetensors==0.4.5
    /tmp/torchenv/bin/python packages/model/scripts/make-hf-fixtures.py   (from the repo root)

Writes under packages/model/src/__fixtures__/:
- hf-gpt2-tiny/        a random-initialised GPT2LMHeadModel saved by `save_pretrained`
                       (model.safetensors + config.json), tied head;
- hf-gpt2-tiny-hub-style.safetensors  the same weights as the Hub's `gpt2` file lays them out:
                       no `transformer.` prefix, `h.N.attn.bias` / `masked_bias` buffers and a
                       copy of the tied `lm_head.weight`;
- hf-gpt2-tiny.json    HF's logits for fixed inputs and HF greedy generations (single and a
                       left-padded batch), all computed in float64 from the float32 weights;
- wattformer-gpt/      a checkpoint written by OUR saver (scripts/make-wattformer-checkpoint.ts,
                       via `npx tsx`), loaded here with GPT2LMHeadModel.from_pretrained;
- wattformer-gpt.json  HF's logits for that checkpoint;
- dtypes.safetensors + dtypes.json  F16, BF16, F64 and I64 tensors written by `safetensors`.
"""
import json
import pathlib
import shutil
import subprocess

import safetensors
import safetensors.torch
import torch
import transformers
from transformers import GPT2Config, GPT2LMHeadModel

root = pathlib.Path(__file__).resolve().parents[3]
out = root / "packages/model/src/__fixtures__"
versions = f"torch {torch.__version__}, transformers {transformers.__version__}, safetensors {safetensors.__version__}"
torch.manual_seed(20261129)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def hf_logits(model, tokens):
    with torch.no_grad():
        return model.double()(tokens).logits  # (B, T, V), float64 from the float32 weights


# (a) A random GPT2LMHeadModel saved by save_pretrained.
config = GPT2Config(vocab_size=50, n_positions=16, n_embd=16, n_layer=2, n_head=2, n_inner=48,
                    activation_function="gelu_new", resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
                    initializer_range=0.3, tie_word_embeddings=True, bos_token_id=0, eos_token_id=0)
config._attn_implementation = "eager"  # the float64 runs below trip SDPA's mask builder in 4.46
model = GPT2LMHeadModel(config).eval()
with torch.no_grad():  # GPT-2's init leaves LayerNorms at 1/0 and biases at 0: perturb them so they matter
    for name, p in model.named_parameters():
        if name.endswith(".bias") or ".ln_" in name:
            p.add_(torch.randn_like(p) * 0.1)
folder = out / "hf-gpt2-tiny"
shutil.rmtree(folder, ignore_errors=True)
model.save_pretrained(folder, safe_serialization=True)
(folder / "generation_config.json").unlink(missing_ok=True)

# The Hub `gpt2` layout of the same weights.
state = {k: v.clone().contiguous() for k, v in model.transformer.state_dict().items()}
for i in range(config.n_layer):
    state[f"h.{i}.attn.bias"] = torch.tril(torch.ones(config.n_positions, config.n_positions)).view(1, 1, config.n_positions, config.n_positions)
    state[f"h.{i}.attn.masked_bias"] = torch.tensor(-1e4)
state["lm_head.weight"] = model.lm_head.weight.detach().clone()
safetensors.torch.save_file(state, out / "hf-gpt2-tiny-hub-style.safetensors", metadata={"format": "pt"})
reloaded = GPT2LMHeadModel.from_pretrained(folder, attn_implementation="eager").eval()

tokens = torch.randint(0, config.vocab_size, (2, config.n_positions))
logits = hf_logits(model, tokens)
assert torch.equal(logits, hf_logits(reloaded, tokens))  # save_pretrained + from_pretrained round trip
prompt = tokens[:1, :5]
single = model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=8, do_sample=False, pad_token_id=0)[0, 5:]
batch_prompts = [tokens[0, :7].tolist(), tokens[1, :3].tolist()]
ids = torch.tensor([batch_prompts[0], [0] * 4 + batch_prompts[1]])
mask = torch.tensor([[1] * 7, [0] * 4 + [1] * 3])
batch = model.generate(ids, attention_mask=mask, max_new_tokens=8, do_sample=False, pad_token_id=0)[:, 7:]
(out / "hf-gpt2-tiny.json").write_text(json.dumps({
    "source": f"packages/model/scripts/make-hf-fixtures.py, {versions}; logits in float64 from the float32 weights",
    "tokens": tokens.tolist(),
    "logits": flat(logits),
    "greedy": {"prompt": prompt[0].tolist(), "maxNewTokens": 8, "tokens": single.tolist()},
    "greedyBatch": {"prompts": batch_prompts, "maxNewTokens": 8, "tokens": batch.tolist()},
}))

# (b) A checkpoint written by our saver, loaded by transformers.
ours = out / "wattformer-gpt"
shutil.rmtree(ours, ignore_errors=True)
subprocess.run(["npx", "tsx", "packages/model/scripts/make-wattformer-checkpoint.ts", str(ours)], cwd=root, check=True)
loaded, info = GPT2LMHeadModel.from_pretrained(ours, output_loading_info=True, attn_implementation="eager")
assert not info["missing_keys"] and not info["unexpected_keys"] and not info["mismatched_keys"], info
loaded.eval()
ours_tokens = torch.randint(0, loaded.config.vocab_size, (2, loaded.config.n_positions))
(out / "wattformer-gpt.json").write_text(json.dumps({
    "source": f"packages/model/scripts/make-hf-fixtures.py: GPT2LMHeadModel.from_pretrained('wattformer-gpt'), {versions}; float64",
    "tokens": ours_tokens.tolist(),
    "logits": flat(hf_logits(loaded, ours_tokens)),
}))

# Dtypes our reader converts to f32 (and i64 to i32).
values = torch.tensor([0.0, 1.0, -2.5, 0.099975586, 65504.0, 6.1e-5, 3.0e-7, -1.0e-3])
safetensors.torch.save_file({
    "f16": values.to(torch.float16), "bf16": values.to(torch.bfloat16),
    "f64": values.to(torch.float64).view(2, 4), "i64": torch.tensor([[-3, 0], [7, 2**31 - 1]]),
}, out / "dtypes.safetensors", metadata={"format": "pt"})
(out / "dtypes.json").write_text(json.dumps({
    "source": f"packages/model/scripts/make-hf-fixtures.py, {versions}",
    "f16": flat(values.to(torch.float16).float()), "bf16": flat(values.to(torch.bfloat16).float()),
    "f64": flat(values.to(torch.float64).float()), "i64": [-3, 0, 7, 2**31 - 1],
}))
print("wrote", sorted(p.name for p in out.iterdir()))
