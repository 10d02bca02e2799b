"""Checks that transformers opens the folders `wattformer` writes and computes what we compute.

Trains two tiny runs with the built CLI on mixed text (English, Chinese, emoji, Latin-1) — one with
a char tokenizer, one with BPE — and fine-tunes a classifier (LoRA, last-token pooling) from the
BPE run; then loads them with AutoTokenizer + AutoModelForCausalLM / GPT2ForSequenceClassification
and compares token ids and next-token probabilities (class logits) with ours
(scripts/folder-outputs.mjs). Not run by CI (it needs Python); run after a build. The train folders'
part of this check is in CI through committed fixtures: scripts/make-hf-run-fixtures.py writes
src/__fixtures__/hf-run-folders.json and src/hf-run-folders.test.ts compares against it.


  python3 -m venv /tmp/hf && /tmp/hf/bin/pip install transformers==4.46.3 torch==2.5.1 safetensors
  /tmp/hf/bin/python packages/cli/scripts/check-hf-folders.py
"""
import json
import pathlib
import random
import subprocess
import tempfile

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, GPT2ForSequenceClassification

HERE = pathlib.Path(__file__).resolve().parent
CLI = HERE.parent / "dist" / "cli.js"
OUTPUTS = HERE / "folder-outputs.mjs"
small = ["--layers", "2", "--d-model", "32", "--heads", "2", "--context", "32", "--batch", "8", "--workers", "1"]


def wattformer(work, *args):
    subprocess.run(["node", str(CLI), *args], cwd=work, check=True, capture_output=True)


def ours(folder, text, *mode):
    return json.loads(subprocess.check_output(["node", str(OUTPUTS), str(folder), text, *mode]))


with tempfile.TemporaryDirectory() as work:
    work = pathlib.Path(work)
    random.seed(3)
    words = "the king queen castle sword night day love war peace river crown speaks rides falls 秦川 雄帝宅 函谷 😀 café".split()
    (work / "a.txt").write_text("\n".join(" ".join(random.choice(words) for _ in range(10)) for _ in range(600)))
    rows = [{"text": f"{random.choice(['the king rides', 'love and peace'])} {i}", "label": 1} for i in range(60)]
    rows += [{"text": f"{random.choice(['war falls', 'night sword'])} {i}", "label": 0} for i in range(60)]
    (work / "rows.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    text = "the king 秦川 😀 café rides"
    worst = 0.0
    for tokenizer in ["char", "bpe:600"]:
        run = work / tokenizer.split(":")[0]
        wattformer(work, "train", "--data", "a.txt", "--tokenizer", tokenizer, "--steps", "20", "--out", str(run), *small)
        tok = AutoTokenizer.from_pretrained(run)
        model = AutoModelForCausalLM.from_pretrained(run).eval()
        ids = tok(text)["input_ids"]
        mine = ours(run, text)
        assert ids == mine["ids"], (tokenizer, ids, mine["ids"])
        assert tok.decode(ids) == text
        assert model.config.eos_token_id == tok.eos_token_id == tok.convert_tokens_to_ids("<|endoftext|>")
        with torch.no_grad():
            p = torch.softmax(model(torch.tensor([ids])).logits[0, -1].double(), -1)
        diff = (p - torch.tensor(mine["values"], dtype=torch.float64)).abs().max().item()
        worst = max(worst, diff)
        print(f"{tokenizer}: {len(ids)} ids equal, decode equal, max |p_hf - p_ours| = {diff:.2e}")
    wattformer(work, "finetune", "--model", str(work / "bpe"), "--data", "rows.jsonl", "--mode", "lora", "--pooling", "last",
               "--steps", "6", "--batch", "4", "--eval-every", "3", "--train-size", "40", "--test-size", "20", "--max-length", "32", "--out", str(work / "ft"))
    tok = AutoTokenizer.from_pretrained(work / "ft")
    model = GPT2ForSequenceClassification.from_pretrained(work / "ft").eval()
    ids = tok("the king rides 7")["input_ids"]
    mine = ours(work / "ft", "the king rides 7", "--classifier")
    assert ids == mine["ids"]
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].double()
    diff = (logits - torch.tensor(mine["values"], dtype=torch.float64)).abs().max().item()
    worst = max(worst, diff)
    print(f"finetune (lora merged): GPT2ForSequenceClassification loads it, labels {model.config.id2label}, max |logit diff| = {diff:.2e}")
    assert worst < 1e-4, worst
    print("ok")
