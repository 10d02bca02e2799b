"""PEFT LoRA parity fixtures for @wattformer/model (run once; CI uses the committed output).

    /tmp/torchenv/bin/pip install torch==2.5.1 transformers==4.46.3 safetensors==0.4.5 peft==0.13.2
    /tmp/torchenv/bin/python packages/model/scripts/make-peft-fixtures.py   (from the repo root)

Writes under packages/model/src/__fixtures__/:
- peft-gpt2-tiny/          a random-initialised GPT2LMHeadModel saved by `save_pretrained`
                           (model.safetensors + config.json), the base for the adapter below;
- peft-gpt2-tiny-lora/     a PEFT LoRA adapter on it (r 4, alpha 8, dropout 0.1, fan_in_fan_out,
                           targets c_attn/c_proj/c_fc; lora_A and lora_B randomised, since PEFT
                           starts B at zero) saved by PeftModel.save_pretrained;
- peft-gpt2-tiny.json      PEFT's logits (eval mode) for fixed inputs, float64 from the float32
                           weights, and two weights after merge_and_unload;
- peft-wattformer-lora/    an adapter written by OUR saver (scripts/make-wattformer-lora.ts, via
                           `npx tsx`) for the committed wattformer-gpt/ base;
- peft-wattformer-lora.json  PEFT's logits for wattformer-gpt/ + that adapter (float64).
"""
import json
import pathlib
import shutil
import subprocess

import peft
import safetensors
import safetensors.torch
import torch
import transformers
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import GPT2Config, GPT2LMHeadModel

root = pathlib.Path(__file__).resolve().parents[3]
out = root / "packages/model/src/__fixtures__"
versions = (f"torch {torch.__version__}, transformers {transformers.__version__}, "
            f"safetensors {safetensors.__version__}, peft {peft.__version__}")
torch.manual_seed(20261130)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def logits64(model, tokens):
    with torch.no_grad():
        return model.double()(tokens).logits  # (B, T, V), float64 from the float32 weights


# (a) A random GPT2LMHeadModel and a PEFT LoRA adapter on it.
config = GPT2Config(vocab_size=50, n_positions=16, n_embd=16, n_layer=2, n_head=2, n_inner=40,
                    activation_function="gelu_new", resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
                    initializer_range=0.3, tie_word_embeddings=True, bos_token_id=0, eos_token_id=0)
config._attn_implementation = "eager"  # the float64 runs below trip SDPA's mask builder in 4.46
model = GPT2LMHeadModel(config).eval()
with torch.no_grad():  # GPT-2's init leaves LayerNorms at 1/0 and biases at 0: perturb them so they matter
    for name, p in model.named_parameters():
        if name.endswith(".bias") or ".ln_" in name:
            p.add_(torch.randn_like(p) * 0.1)
base_folder = out / "peft-gpt2-tiny"
shutil.rmtree(base_folder, ignore_errors=True)
model.save_pretrained(base_folder, safe_serialization=True)
(base_folder / "generation_config.json").unlink(missing_ok=True)

lora = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.1, target_modules=["c_attn", "c_proj", "c_fc"],
                  fan_in_fan_out=True, bias="none", task_type="CAUSAL_LM")
peft_model = get_peft_model(model, lora)
with torch.no_grad():
    for name, p in peft_model.named_parameters():
        if ".lora_A." in name or ".lora_B." in name:
            p.copy_(torch.randn_like(p) * 0.2)
peft_model.eval()
adapter_folder = out / "peft-gpt2-tiny-lora"
shutil.rmtree(adapter_folder, ignore_errors=True)
peft_model.save_pretrained(adapter_folder, safe_serialization=True)
(adapter_folder / "README.md").unlink(missing_ok=True)  # a model-card template, not part of the adapter

tokens = torch.randint(0, config.vocab_size, (2, config.n_positions))
adapted = logits64(peft_model, tokens)
with peft_model.disable_adapter():
    base = logits64(peft_model, tokens)
assert (adapted - base).abs().max() > 0.1, "the adapter should change the logits"
merged = peft_model.merge_and_unload()
assert torch.allclose(logits64(merged, tokens), adapted, atol=1e-9)
(out / "peft-gpt2-tiny.json").write_text(json.dumps({
    "source": f"packages/model/scripts/make-peft-fixtures.py, {versions}; PeftModel in eval mode, float64 from the float32 weights",
    "tokens": tokens.tolist(),
    "logits": flat(adapted),
    "merged": {name: flat(merged.state_dict()[name].float()) for name in
               ["transformer.h.0.attn.c_attn.weight", "transformer.h.1.mlp.c_proj.weight"]},
}))

# (b) An adapter written by our saver, loaded by PEFT on our wattformer-gpt/ base.
ours = out / "peft-wattformer-lora"
shutil.rmtree(ours, ignore_errors=True)
subprocess.run(["npx", "tsx", "packages/model/scripts/make-wattformer-lora.ts", str(ours)], cwd=root, check=True)
base_model = GPT2LMHeadModel.from_pretrained(out / "wattformer-gpt", attn_implementation="eager").eval()
loaded = PeftModel.from_pretrained(base_model, ours).eval()
stored = safetensors.torch.load_file(ours / "adapter_model.safetensors")
state = loaded.state_dict()
for name, value in stored.items():  # every tensor landed where PEFT looks for it
    assert torch.equal(state[name.replace(".weight", ".default.weight")], value), name
assert sum(".lora_" in name for name in state) == len(stored), "PEFT made LoRA layers our file does not fill"
assert loaded.peft_config["default"].use_rslora and loaded.peft_config["default"].fan_in_fan_out
ours_tokens = torch.randint(0, base_model.config.vocab_size, (2, base_model.config.n_positions))
(out / "peft-wattformer-lora.json").write_text(json.dumps({
    "source": f"packages/model/scripts/make-peft-fixtures.py: PeftModel.from_pretrained(wattformer-gpt, peft-wattformer-lora), {versions}; float64",
    "tokens": ours_tokens.tolist(),
    "logits": flat(logits64(loaded, ours_tokens)),
}))
print("wrote", sorted(p.name for p in out.iterdir() if p.name.startswith("peft-")))
