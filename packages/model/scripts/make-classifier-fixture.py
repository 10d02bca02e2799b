"""Hugging Face GPT2ForSequenceClassification parity fixture for gpt-classifier.ts (run once).

    /tmp/torchenv/bin/python packages/model/scripts/make-classifier-fixture.py   (from the repo root)

Loads the tiny GPT-2 of `hf-gpt2-tiny/` into GPT2ForSequenceClassification (3 labels,
pad_token_id 0, a seeded `score.weight`), runs a right-padded batch with its attention_mask in
float64, and writes `gpt2-classifier-torch.json`: the score weights, inputs, logits, the
cross-entropy loss and the gradients of `score.weight` and `transformer.ln_f.weight`.
"""
import json
import pathlib

import torch
import transformers
from transformers import GPT2ForSequenceClassification

root = pathlib.Path(__file__).resolve().parents[3]
out = root / "packages/model/src/__fixtures__"
torch.manual_seed(7)

model = GPT2ForSequenceClassification.from_pretrained(out / "hf-gpt2-tiny", num_labels=3, pad_token_id=0,
                                                      attn_implementation="eager").double().eval()
with torch.no_grad():
    model.score.weight.copy_(torch.randn_like(model.score.weight) * 0.5)

lengths = [10, 6, 3]
T = 10
tokens = torch.zeros(len(lengths), T, dtype=torch.long)
for b, n in enumerate(lengths):
    tokens[b, :n] = torch.randint(1, 50, (n,))  # real tokens are never the pad id 0
mask = (tokens != 0).long()
labels = torch.tensor([2, 0, 1])
result = model(input_ids=tokens, attention_mask=mask, labels=labels)
result.loss.backward()


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


fixture = {
    "source": f"transformers {transformers.__version__} GPT2ForSequenceClassification (torch {torch.__version__}, float64), "
              "hf-gpt2-tiny weights, scripts/make-classifier-fixture.py",
    "lengths": lengths,
    "tokens": [int(v) for v in tokens.reshape(-1)],
    "labels": [int(v) for v in labels],
    "scoreWeight": {"shape": list(model.score.weight.shape), "data": flat(model.score.weight)},
    "logits": flat(result.logits),
    "loss": float(result.loss),
    "gradients": {
        "score.weight": flat(model.score.weight.grad),
        "transformer.ln_f.weight": flat(model.transformer.ln_f.weight.grad),
    },
}
(out / "gpt2-classifier-torch.json").write_text(json.dumps(fixture, indent=1) + "\n")
print("wrote", out / "gpt2-classifier-torch.json", "logits", fixture["logits"])
