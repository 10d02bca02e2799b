"""Model-folder parity fixtures for @wattformer/model (run once; CI uses the committed output).

    /tmp/torchenv/bin/pip install torch==2.5.1 transformers==4.46.3 safetensors==0.4.5
    /tmp/torchenv/bin/python packages/model/scripts/make-folder-fixtures.py   (from the repo root)

(tokenizers 0.20.3 comes with transformers 4.46.3.) Writes under packages/model/src/__fixtures__/:
- folder-char/, folder-bpe/  model folders written by OUR `saveModelFolder`
                       (scripts/make-wattformer-folders.ts via `npx tsx`; recipe in folder-fixture.ts):
                       a character-level and a byte-level BPE tokenizer;
- folder-parity.json   for each: the ids AutoTokenizer gives for fixed texts, the decoded text, the
                       next-token probabilities of AutoModelForCausalLM (float64 from the float32
                       weights) at the last positions, HF greedy `generate` text; and the proof that
                       both from_pretrained calls logged no warning;
- hf-gpt2-folder/      a Hugging Face GPT-2 folder made by `save_pretrained`: a tiny random
                       GPT2LMHeadModel and a byte-level BPE trained with `tokenizers`, saved as
                       GPT2TokenizerFast (tokenizer.json AND vocab.json + merges.txt);
- hf-gpt2-folder-shards/  the same weights saved with a small max_shard_size (index + shards);
- hf-gpt2-folder.json  HF greedy `generate` for fixed prompts: prompt ids, new ids and text.
"""
import json
import logging
import pathlib
import shutil
import subprocess
import tempfile
import warnings

import safetensors
import tokenizers
import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer, GPT2Config, GPT2LMHeadModel, GPT2TokenizerFast

root = pathlib.Path(__file__).resolve().parents[3]
out = root / "packages/model/src/__fixtures__"
versions = (f"torch {torch.__version__}, transformers {transformers.__version__}, "
            f"tokenizers {tokenizers.__version__}, safetensors {safetensors.__version__}")
torch.manual_seed(20261206)

# Must match folder-fixture.ts.
text = ("To be, or not to be, that is the question:\nWhether tis nobler in the mind to suffer\n"
        "床前明月光，疑是地上霜。举头望明月，低头思故乡。\n"
        "Emoji too: 🙂🚀, and naïve café.\n")
texts = ["To be, or not to be", "床前明月光，疑是", "the mind 🙂 café"]
LAST = 4  # positions per text whose next-token distribution is recorded


class Captured(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage())


def load_quietly(folder):
    """AutoTokenizer + AutoModelForCausalLM, returning every warning either logged."""
    handler = Captured()
    logger = logging.getLogger("transformers")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tok = AutoTokenizer.from_pretrained(folder)
            model = AutoModelForCausalLM.from_pretrained(folder, attn_implementation="eager")
    finally:
        logger.removeHandler(handler)
    return tok, model.eval(), handler.records + [str(w.message) for w in caught]


def greedy(model, tok, prompt, max_new_tokens):
    enc = tok(prompt, return_tensors="pt")
    with torch.no_grad():
        ids = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False,
                             pad_token_id=model.generation_config.eos_token_id)[0, enc["input_ids"].shape[1]:]
    return {"prompt": prompt, "promptIds": enc["input_ids"][0].tolist(), "maxNewTokens": max_new_tokens,
            "tokens": ids.tolist(), "text": tok.decode(ids, skip_special_tokens=True)}


# (a) Folders written by our saveModelFolder, opened by transformers.
with tempfile.TemporaryDirectory() as scratch:
    subprocess.run(["npx", "tsx", "packages/model/scripts/make-wattformer-folders.ts", scratch], cwd=root, check=True)
    parity = {"source": f"packages/model/scripts/make-folder-fixtures.py, {versions}; probabilities in float64 from the float32 weights"}
    for name in ["folder-char", "folder-bpe"]:
        shutil.rmtree(out / name, ignore_errors=True)
        shutil.copytree(pathlib.Path(scratch) / name, out / name)
        tok, model, logged = load_quietly(out / name)
        assert logged == [], f"{name}: from_pretrained warned: {logged}"
        assert type(tok).__name__ == "PreTrainedTokenizerFast", type(tok)
        entries = []
        for t in texts:
            enc = tok(t, return_tensors="pt")
            assert sorted(enc.keys()) == ["attention_mask", "input_ids"], enc.keys()  # no token_type_ids (GPT-2 would embed them)
            ids = enc["input_ids"][0].tolist()
            decoded = tok.decode(ids)
            assert decoded == t, (name, t, decoded)  # no inserted spaces, nothing lost
            with torch.no_grad():
                logits = model.double()(**enc).logits[0]  # as a user calls it: model(**tokenizer(text))
            probs = torch.softmax(logits, dim=-1)[-LAST:]
            entries.append({"text": t, "ids": ids, "decoded": decoded, "positions": list(range(len(ids) - LAST, len(ids))),
                            "probs": [[float(p) for p in row] for row in probs]})
        parity[name] = {"warnings": logged, "tokenizerClass": type(tok).__name__, "vocabSize": model.config.vocab_size,
                        "eosTokenId": model.config.eos_token_id, "texts": entries,
                        "greedy": greedy(model.double(), tok, texts[0][:8], 10)}
    (out / "folder-parity.json").write_text(json.dumps(parity, ensure_ascii=False) + "\n")

# (b) A Hugging Face GPT-2 folder made by save_pretrained.
bpe = tokenizers.ByteLevelBPETokenizer()
bpe.train_from_iterator([text], vocab_size=320, min_frequency=1, special_tokens=["<|endoftext|>"])
tok = GPT2TokenizerFast(tokenizer_object=bpe._tokenizer, bos_token="<|endoftext|>", eos_token="<|endoftext|>",
                        unk_token="<|endoftext|>", add_prefix_space=False)
eos = tok.convert_tokens_to_ids("<|endoftext|>")
config = GPT2Config(vocab_size=len(tok), n_positions=32, n_embd=16, n_layer=2, n_head=2, n_inner=48,
                    resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, initializer_range=0.3,
                    bos_token_id=eos, eos_token_id=eos)
model = GPT2LMHeadModel(config).eval()
with torch.no_grad():  # GPT-2's init leaves LayerNorms at 1/0 and biases at 0: perturb them so they matter
    for pname, p in model.named_parameters():
        if pname.endswith(".bias") or ".ln_" in pname:
            p.add_(torch.randn_like(p) * 0.1)
folder = out / "hf-gpt2-folder"
shutil.rmtree(folder, ignore_errors=True)
model.save_pretrained(folder, safe_serialization=True)
tok.save_pretrained(folder)
assert (folder / "tokenizer.json").exists() and (folder / "vocab.json").exists() and (folder / "merges.txt").exists()
shards = out / "hf-gpt2-folder-shards"
shutil.rmtree(shards, ignore_errors=True)
model.save_pretrained(shards, safe_serialization=True, max_shard_size="20KB")
for extra in ["config.json", "generation_config.json"]:
    (shards / extra).unlink()  # the test puts the shards beside hf-gpt2-folder's other files
assert (shards / "model.safetensors.index.json").exists()

tok2, model2, _ = load_quietly(folder)
model2 = model2.double()
prompts = ["To be, or not", "床前明月光", "Emoji too: 🙂", "the"]
(out / "hf-gpt2-folder.json").write_text(json.dumps({
    "source": f"packages/model/scripts/make-folder-fixtures.py: save_pretrained + generate(do_sample=False) in float64, {versions}",
    "eosTokenId": eos,
    "greedy": [greedy(model2, tok2, p, 12) for p in prompts],
}, ensure_ascii=False) + "\n")
print("wrote", sorted(p.name for p in out.iterdir() if p.name.startswith(("folder", "hf-gpt2-folder"))))
