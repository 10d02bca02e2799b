"""Golden fixtures for @wattformer/model's BERT encoder and encoder-decoder Transformer (run once; CI uses the output).

1. encoder-bert-torch.json: transformers' BertForSequenceClassification, BertForTokenClassification
   and BertForMaskedLM sharing one random-initialised 2-layer encoder (hidden 16, 2 heads,
   intermediate 32, vocab 40, type_vocab 2, hidden_act "gelu_new" — the tanh GELU our core has —
   dropout 0, eager attention), LayerNorms and biases perturbed so they matter. Inputs: a padded
   batch of two rows with attention_mask and token_type_ids. Logits, losses (-100 ignored) and
   every parameter gradient of the sequence-classification loss.
2. encoder-transformer-torch.json: torch.nn.Transformer (d_model 16, nhead 2, 2+2 layers,
   dim_feedforward 32, dropout 0, batch_first), norms and biases perturbed, on embedded inputs
   with source/target padding masks and a causal target mask: output, a weighted-sum loss and
   every gradient; plus a Seq2Seq model around it (token embeddings x sqrt(d), sinusoidal
   positions, generator) as in PyTorch's translation tutorial: logits, loss and gradients.
3. encoder-hf-bert-seq/ and encoder-hf-bert-mlm/: the sequence-classification and masked-LM models of (1)
   saved by save_pretrained (model.safetensors as float32, config.json).
4. encoder-gelu-torch.json: torch's exact (erf) GELU and its derivative on a grid over [-9, 9].
5. In encoder-bert-torch.json, "sequenceErf": the sequence classifier of (1) with hidden_act "gelu" (erf):
   logits, loss and three gradients.
6. In encoder-transformer-torch.json, "geluOutput": the nn.Transformer of (2) with activation="gelu".
7. encoder-wattformer-bert/ (written by OUR saver, scripts/make-wattformer-bert.ts) and
   encoder-wattformer-bert.json: transformers loads it with no missing/unexpected keys; its logits.

Weights are rounded to float32 (what our f32 tensors hold) and everything is computed in float64.

    /tmp/torchenv/bin/pip install torch==2.5.1 transformers==4.46.3
    /tmp/torchenv/bin/python packages/model/scripts/make-encoder-fixtures.py
"""
import json
import math
import pathlib

import torch
from transformers import BertConfig, BertForMaskedLM, BertForSequenceClassification, BertForTokenClassification

out_dir = pathlib.Path(__file__).resolve().parent.parent / "src" / "__fixtures__"
torch.manual_seed(20261129)
dtype = torch.float64
flat = lambda t: [float(f"{float(v):.10g}") for v in t.detach().reshape(-1)]  # 10 digits: exact for f32 weights, ~1e-10 for results


def perturb_and_round(module):
    """Norms and biases start at 1/0: move them so a wrong wiring shows; round every weight to f32."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if "LayerNorm" in name or ".norm" in name or name.startswith("norm"):
                p.add_(torch.randn_like(p) * 0.1)
            elif name.endswith("bias"):
                p.add_(torch.randn_like(p) * 0.1)
            p.copy_(p.float().double())


def named(module, prefix=""):
    return {prefix + n: {"shape": list(p.shape), "data": flat(p)} for n, p in module.named_parameters()}


# ---- BERT -------------------------------------------------------------------------------------
V, P, C, L, H, F, B, T, LABELS = 40, 16, 16, 2, 2, 32, 2, 7, 3
config = BertConfig(
    vocab_size=V, hidden_size=C, num_hidden_layers=L, num_attention_heads=H, intermediate_size=F,
    max_position_embeddings=P, type_vocab_size=2, hidden_act="gelu_new", hidden_dropout_prob=0.0,
    attention_probs_dropout_prob=0.0, layer_norm_eps=1e-12, num_labels=LABELS, attn_implementation="eager",
    initializer_range=0.2,  # larger than BERT's 0.02 so every layer moves the outputs
)
seq = BertForSequenceClassification(config).to(dtype).train()  # dropout 0, so train() only turns off inference fast paths
perturb_and_round(seq)
tok = BertForTokenClassification(config).to(dtype).train()
mlm = BertForMaskedLM(config).to(dtype).train()
tok.bert.load_state_dict(seq.bert.state_dict(), strict=False)  # token/MLM heads have no pooler
mlm.bert.load_state_dict(seq.bert.state_dict(), strict=False)
perturb_and_round(tok.classifier)
with torch.no_grad():
    mlm.cls.predictions.bias.add_(torch.randn(V, dtype=dtype) * 0.1)
perturb_and_round(mlm.cls)

tokens = torch.randint(1, V, (B, T))  # not 0: HF's word embedding has padding_idx 0 (no gradient to that row)
mask = torch.ones(B, T, dtype=dtype)
mask[1, 4:] = 0  # row 1: 4 real tokens, 3 padding
token_types = torch.zeros(B, T, dtype=torch.long)
token_types[0, 3:] = 1
labels = torch.tensor([2, 0])
token_labels = torch.randint(0, LABELS, (B, T))
token_labels[1, 4:] = -100
mlm_labels = torch.full((B, T), -100)
mlm_labels[0, 1], mlm_labels[0, 5], mlm_labels[1, 2] = 7, 11, 3

seq_out = seq(input_ids=tokens, attention_mask=mask, token_type_ids=token_types, labels=labels)
seq_out.loss.backward()
tok_out = tok(input_ids=tokens, attention_mask=mask, token_type_ids=token_types, labels=token_labels)
mlm_out = mlm(input_ids=tokens, attention_mask=mask, token_type_ids=token_types, labels=mlm_labels)

mlm_params = {k: v for k, v in named(mlm).items() if k.startswith("cls.") and k != "cls.predictions.decoder.bias"}
bert_fixture = {
    "source": f"packages/model/scripts/make-encoder-fixtures.py, torch {torch.__version__}, transformers BertFor*, float64",
    "config": {
        "vocabSize": V, "maxPositions": P, "typeVocabSize": 2, "modelDim": C, "layers": L, "heads": H, "mlpDim": F,
        "hiddenDropout": 0, "attentionDropout": 0, "layerNormEps": 1e-12, "initializerRange": 0.2, "hiddenAct": "gelu_new",
    },
    "numLabels": LABELS,
    "batch": B,
    "tokens": tokens.reshape(-1).tolist(),
    "attentionMask": flat(mask),
    "tokenTypeIds": token_types.reshape(-1).tolist(),
    "parameters": named(seq),
    "tokenClassifier": named(tok.classifier, "classifier."),
    "maskedLm": mlm_params,
    "sequence": {"labels": labels.tolist(), "logits": flat(seq_out.logits), "loss": float(seq_out.loss)},
    "token": {"labels": token_labels.reshape(-1).tolist(), "logits": flat(tok_out.logits), "loss": float(tok_out.loss)},
    "mlm": {"labels": mlm_labels.reshape(-1).tolist(), "logits": flat(mlm_out.logits), "loss": float(mlm_out.loss)},
    "gradients": {n: flat(p.grad) for n, p in seq.named_parameters()},
}
(out_dir / "encoder-bert-torch.json").write_text(json.dumps(bert_fixture))

# ---- nn.Transformer and Seq2Seq ------------------------------------------------------------------
D, NH, LAYERS, FF, S, TT, MAXLEN, SV, TV = 16, 2, 2, 32, 5, 4, 8, 23, 19
transformer = torch.nn.Transformer(
    d_model=D, nhead=NH, num_encoder_layers=LAYERS, num_decoder_layers=LAYERS, dim_feedforward=FF,
    dropout=0.0, batch_first=True, dtype=dtype,
).train()
perturb_and_round(transformer)
src = torch.randn(B, S, D, dtype=dtype).float().double()
tgt = torch.randn(B, TT, D, dtype=dtype).float().double()
src_pad = torch.zeros(B, S, dtype=torch.bool)
src_pad[1, 3:] = True  # row 1: 3 real source tokens
tgt_pad = torch.zeros(B, TT, dtype=torch.bool)
tgt_pad[1, 3:] = True
causal = torch.nn.Transformer.generate_square_subsequent_mask(TT, dtype=dtype)
weights = torch.randn(B, TT, D, dtype=dtype).float().double()
y = transformer(src, tgt, tgt_mask=causal, src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)
loss = (y * weights).sum()
loss.backward()
transformer_grads = {n: flat(p.grad) for n, p in transformer.named_parameters()}


def sinusoid(length, d):
    position = torch.arange(length, dtype=dtype).unsqueeze(1)
    div = torch.exp(-torch.arange(0, d, 2, dtype=dtype) * math.log(10000.0) / d)
    pe = torch.zeros(length, d, dtype=dtype)
    pe[:, 0::2] = torch.sin(position * div)
    pe[:, 1::2] = torch.cos(position * div)
    return pe


transformer.zero_grad()
src_emb = (torch.randn(SV, D, dtype=dtype) * 0.5).float().double().requires_grad_(True)
tgt_emb = (torch.randn(TV, D, dtype=dtype) * 0.5).float().double().requires_grad_(True)
gen_w = (torch.randn(TV, D, dtype=dtype) * 0.3).float().double().requires_grad_(True)
gen_b = (torch.randn(TV, dtype=dtype) * 0.1).float().double().requires_grad_(True)
src_ids = torch.randint(0, SV, (B, S))
tgt_in = torch.randint(0, TV, (B, TT))
tgt_out = torch.randint(0, TV, (B, TT))
tgt_out[1, 3:] = -100
embed = lambda table, ids: table[ids] * math.sqrt(D) + sinusoid(ids.shape[1], D)
h = transformer(embed(src_emb, src_ids), embed(tgt_emb, tgt_in), tgt_mask=causal, src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)
s2s_logits = h @ gen_w.T + gen_b
s2s_loss = torch.nn.functional.cross_entropy(s2s_logits.reshape(-1, TV), tgt_out.reshape(-1), ignore_index=-100)
s2s_loss.backward()

s2s_params = {
    "src_tok_emb.embedding.weight": src_emb, "tgt_tok_emb.embedding.weight": tgt_emb,
    **{"transformer." + n: p for n, p in transformer.named_parameters()},
    "generator.weight": gen_w, "generator.bias": gen_b,
}
transformer_fixture = {
    "source": f"packages/model/scripts/make-encoder-fixtures.py, torch {torch.__version__} nn.Transformer, float64",
    "config": {"modelDim": D, "heads": NH, "encoderLayers": LAYERS, "decoderLayers": LAYERS, "mlpDim": FF, "dropout": 0, "layerNormEps": 1e-5},
    "batch": B,
    "sourceInput": flat(src),
    "targetInput": flat(tgt),
    "sourceMask": flat((~src_pad).to(dtype)),
    "targetMask": flat((~tgt_pad).to(dtype)),
    "parameters": named(transformer),
    "weights": flat(weights),
    "output": flat(y),
    "loss": float(loss),
    "gradients": transformer_grads,
    "seq2seq": {
        "config": {"sourceVocabSize": SV, "targetVocabSize": TV, "maxLength": MAXLEN},
        "extraParameters": {n: {"shape": list(p.shape), "data": flat(p)} for n, p in s2s_params.items() if not n.startswith("transformer.")},
        "sourceIds": src_ids.reshape(-1).tolist(),
        "targetInput": tgt_in.reshape(-1).tolist(),
        "targetOutput": tgt_out.reshape(-1).tolist(),
        "logits": flat(s2s_logits),
        "loss": float(s2s_loss),
        # Embeddings, generator and two attention inputs (the transformer's own gradients are checked above).
        "gradients": {
            n: flat(p.grad) for n, p in s2s_params.items()
            if not n.startswith("transformer.") or n.endswith("layers.0.self_attn.in_proj_weight") and "encoder" in n or n.endswith("layers.1.multihead_attn.in_proj_weight")
        },
    },
}
(out_dir / "encoder-transformer-torch.json").write_text(json.dumps(transformer_fixture))
print("wrote", out_dir / "encoder-bert-torch.json", "and", out_dir / "encoder-transformer-torch.json")

# ---- HF checkpoints (save_pretrained) of the BERT models above, stored as float32 ------------------
# The weights are already float32 values, so the logits in encoder-bert-torch.json stay the reference.
seq.float().save_pretrained(out_dir / "encoder-hf-bert-seq", safe_serialization=True)
mlm.float().save_pretrained(out_dir / "encoder-hf-bert-mlm", safe_serialization=True)
print("wrote", out_dir / "encoder-hf-bert-seq", "and", out_dir / "encoder-hf-bert-mlm")

# ---- The exact (erf) GELU, BERT's hidden_act "gelu": values and derivatives on a grid ------------
x = torch.cat([torch.linspace(-9, 9, 181, dtype=torch.float32), torch.zeros(1)]).double().requires_grad_(True)  # and exactly 0
g = torch.nn.functional.gelu(x)
g.sum().backward()
(out_dir / "encoder-gelu-torch.json").write_text(json.dumps({
    "source": f"packages/model/scripts/make-encoder-fixtures.py, torch {torch.__version__} F.gelu (erf), float64",
    "x": flat(x), "gelu": flat(g), "derivative": flat(x.grad),
}))
print("wrote", out_dir / "encoder-gelu-torch.json")

# ---- The same sequence classifier with hidden_act "gelu" (erf), as BERT checkpoints ---------------
erf_config = BertConfig(**{**config.to_dict(), "hidden_act": "gelu"})
erf_config._attn_implementation = "eager"
seq_erf = BertForSequenceClassification(erf_config).to(dtype).train()
seq_erf.load_state_dict(seq.double().state_dict())
erf_out = seq_erf(input_ids=tokens, attention_mask=mask, token_type_ids=token_types, labels=labels)
erf_out.loss.backward()
erf_checked = ["bert.embeddings.word_embeddings.weight", "bert.encoder.layer.0.intermediate.dense.weight", "bert.encoder.layer.1.intermediate.dense.bias"]
bert_fixture["sequenceErf"] = {
    "logits": flat(erf_out.logits),
    "loss": float(erf_out.loss),
    "gradients": {n: flat(p.grad) for n, p in seq_erf.named_parameters() if n in erf_checked},
}
(out_dir / "encoder-bert-torch.json").write_text(json.dumps(bert_fixture))
print("added sequenceErf to", out_dir / "encoder-bert-torch.json")

# ---- nn.Transformer with activation="gelu" (erf), same weights ------------------------------------
gelu_transformer = torch.nn.Transformer(
    d_model=D, nhead=NH, num_encoder_layers=LAYERS, num_decoder_layers=LAYERS, dim_feedforward=FF,
    dropout=0.0, batch_first=True, dtype=dtype, activation="gelu",
).train()
gelu_transformer.load_state_dict(transformer.state_dict())
with torch.no_grad():
    y_gelu = gelu_transformer(src, tgt, tgt_mask=causal, src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)
transformer_fixture["geluOutput"] = flat(y_gelu)
(out_dir / "encoder-transformer-torch.json").write_text(json.dumps(transformer_fixture))
print("added geluOutput to", out_dir / "encoder-transformer-torch.json")

# ---- A BERT written by OUR saver, loaded by transformers ------------------------------------------
import subprocess  # noqa: E402

root = out_dir.parent.parent.parent.parent
ours = out_dir / "encoder-wattformer-bert"
subprocess.run(["npx", "tsx", "packages/model/scripts/make-wattformer-bert.ts", str(ours)], cwd=root, check=True)
loaded, info = BertForSequenceClassification.from_pretrained(ours, output_loading_info=True, attn_implementation="eager")
assert all(len(v) == 0 for v in info.values()), info  # every tensor used, none missing or mismatched
loaded = loaded.to(dtype).eval()
ours_tokens = torch.tensor([[1, 7, 29, 3, 12, 2], [1, 4, 4, 2, 0, 0]])
ours_mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]], dtype=dtype)
with torch.no_grad():
    ours_logits = loaded(input_ids=ours_tokens, attention_mask=ours_mask).logits
(out_dir / "encoder-wattformer-bert.json").write_text(json.dumps({
    "source": f"packages/model/scripts/make-encoder-fixtures.py: our saver's folder loaded by transformers {__import__('transformers').__version__} BertForSequenceClassification, float64",
    "loadingInfo": {k: list(v) for k, v in info.items()},
    "tokens": ours_tokens.reshape(-1).tolist(),
    "attentionMask": flat(ours_mask),
    "logits": flat(ours_logits),
}))
print("wrote", ours, "and", out_dir / "encoder-wattformer-bert.json")
