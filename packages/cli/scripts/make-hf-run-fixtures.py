"""Fixtures for packages/cli/src/hf-run-folders.test.ts: what transformers computes on the model
folders `wattformer train` writes (run once; CI uses the committed output and needs no Python).

    /tmp/torchenv/bin/pip install torch==2.5.1 transformers==4.46.3 safetensors==0.4.5
    npm run build -w @wattformer/cli                      # the bin this script runs
    /tmp/torchenv/bin/python packages/cli/scripts/make-hf-run-fixtures.py   (from the repo root)

(tokenizers 0.20.3 comes with transformers 4.46.3.) For `--tokenizer char` and `--tokenizer
bpe:300`, runs the built bin (`train`, seeded, one worker, the pure-JS cpu backend so the weights
are the same on every machine) on a fixed text, opens the folder with AutoTokenizer +
AutoModelForCausalLM, and records, for fixed texts, the ids, the decoded text and the next-token
probabilities at the last position (float64 from the float32 weights). Also the SHA-256 of the
folder files it checked, so the test can say whether it regenerated the very same folder.
Writes packages/cli/src/__fixtures__/hf-run-folders.json.
"""
import hashlib
import json
import logging
import pathlib
import random
import subprocess
import tempfile
import warnings

import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

root = pathlib.Path(__file__).resolve().parents[3]
cli = root / "packages/cli/dist/cli.js"
out = root / "packages/cli/src/__fixtures__/hf-run-folders.json"

random.seed(13)
words = "the king queen castle sword night day love war peace river crown speaks rides falls 秦川 雄帝宅 函谷 😀 café naïve".split()
data = "\n".join(" ".join(random.choice(words) for _ in range(8)) for _ in range(150)) + "\n"
common = ["--steps", "25", "--layers", "2", "--d-model", "32", "--heads", "2", "--context", "32", "--batch", "8",
          "--workers", "1", "--backend", "cpu", "--seed", "5", "--eval-every", "25", "--checkpoint-every", "25"]
runs = {"char": ["--tokenizer", "char"], "bpe": ["--tokenizer", "bpe:300"]}
texts = ["the king rides", "秦川 雄帝宅 😀", "café naïve queen"]


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


result = {
    "versions": f"torch {torch.__version__}, transformers {transformers.__version__}",
    "command": "wattformer train --data data.txt --out <name> <args>",
    "data": data,
    "common": common,
    "runs": {},
}
with tempfile.TemporaryDirectory() as work:
    work = pathlib.Path(work)
    (work / "data.txt").write_text(data, encoding="utf-8")
    for name, args in runs.items():
        subprocess.run(["node", str(cli), "train", "--data", "data.txt", "--out", name, *args, *common], cwd=work, check=True, capture_output=True)
        folder = work / name
        caught = []
        handler = logging.Handler()
        handler.emit = lambda record: caught.append(record.getMessage())
        transformers.logging.get_logger().addHandler(handler)
        with warnings.catch_warnings(record=True) as python_warnings:
            warnings.simplefilter("always")
            tok = AutoTokenizer.from_pretrained(folder)
            model = AutoModelForCausalLM.from_pretrained(folder).eval()
        transformers.logging.get_logger().removeHandler(handler)
        entries = []
        for text in texts:
            ids = tok(text)["input_ids"]
            with torch.no_grad():
                logits = model(torch.tensor([ids])).logits[0, -1].double()
            probs = torch.softmax(logits, -1)
            entries.append({"text": text, "ids": ids, "decoded": tok.decode(ids), "probs": [float(p) for p in probs]})
        result["runs"][name] = {
            "args": args,
            "tokenizerClass": type(tok).__name__,
            "eosTokenId": tok.eos_token_id,
            "configEosTokenId": model.config.eos_token_id,
            "vocabSize": model.config.vocab_size,
            "warnings": caught + [str(w.message) for w in python_warnings],
            "sha256": {f: sha(folder / f) for f in ["config.json", "model.safetensors", "tokenizer.json"]},
            "texts": entries,
        }
        print(f"{name}: vocab {model.config.vocab_size}, {tok.__class__.__name__}, ids {[e['ids'] for e in entries]}, warnings {len(result['runs'][name]['warnings'])}")
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"wrote {out}")
