"""Continue training a `wattformer train` run folder with the Hugging Face Trainer.

A wattformer run folder is a Hugging Face model folder (config.json, model.safetensors,
tokenizer.json, ...), so transformers opens it as it is. This script trains it further on a text
file and saves a folder that `wattformer generate` / `loadTextGenerator` read back.

    python continue_training.py --model RUN_DIR --data TEXT_FILE --out OUT_DIR [--steps 200]

On many GPUs, the same script, unchanged:

    accelerate launch continue_training.py --model RUN_DIR --data TEXT_FILE --out OUT_DIR

(the Trainer picks up the processes accelerate starts: one replica per GPU, gradients averaged).
"""
import argparse
import math
import pathlib
import sys

import torch
from transformers import (AutoModelForCausalLM, AutoTokenizer, Trainer, TrainingArguments,
                          default_data_collator, set_seed)


class Blocks(torch.utils.data.Dataset):
    """Consecutive windows of `size` tokens; the labels are the inputs (the model shifts them)."""

    def __init__(self, ids, size):
        self.ids = ids
        self.size = size

    def __len__(self):
        return len(self.ids) // self.size

    def __getitem__(self, i):
        block = self.ids[i * self.size:(i + 1) * self.size]
        return {"input_ids": block, "labels": block.clone()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="a wattformer run folder (or any GPT-2 model folder)")
    parser.add_argument("--data", required=True, help="a UTF-8 text file to continue training on")
    parser.add_argument("--out", required=True, help="where to save the trained folder")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=16, help="per device")
    parser.add_argument("--learning-rate", type=float, default=3e-4)
    parser.add_argument("--block-size", type=int, default=0, help="tokens per sequence (default: the model's context)")
    parser.add_argument("--validation", type=float, default=0.1, help="fraction of the text held out")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    set_seed(args.seed)

    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model)
    block = args.block_size or model.config.n_positions
    text = pathlib.Path(args.data).read_text(encoding="utf-8")
    # Tokenize by groups of whole lines (a 1 MB string in one call is slow for some tokenizers).
    lines = text.splitlines(keepends=True)
    groups = ["".join(lines[i:i + 2000]) for i in range(0, len(lines), 2000)]
    ids = torch.tensor([t for g in tokenizer(groups, verbose=False)["input_ids"] for t in g], dtype=torch.long)
    split = int(len(ids) * (1 - args.validation))
    train, validation = Blocks(ids[:split], block), Blocks(ids[split:], block)
    print(f"{args.model}: {model.num_parameters():,} parameters, vocabulary {len(tokenizer)}, context {model.config.n_positions}; "
          f"{args.data}: {len(ids):,} tokens ({len(train)} training and {len(validation)} validation blocks of {block})")

    training_args = TrainingArguments(
        output_dir=args.out,
        max_steps=args.steps,
        per_device_train_batch_size=args.batch_size,
        per_device_eval_batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        lr_scheduler_type="cosine",
        warmup_steps=max(1, args.steps // 20),
        weight_decay=0.1,
        max_grad_norm=1.0,
        logging_steps=max(1, args.steps // 10),
        eval_strategy="no",
        save_strategy="no",
        report_to=[],
        disable_tqdm=not sys.stdout.isatty(),  # plain log lines when piped
        seed=args.seed,
        dataloader_drop_last=True,
    )
    trainer = Trainer(model=model, args=training_args, train_dataset=train, eval_dataset=validation,
                      data_collator=default_data_collator)
    before = trainer.evaluate()["eval_loss"]
    trainer.train()
    after = trainer.evaluate()["eval_loss"]
    if trainer.is_world_process_zero():
        print(f"validation loss {before:.4f} -> {after:.4f} (perplexity {math.exp(before):.1f} -> {math.exp(after):.1f})")
    trainer.save_model(args.out)  # config.json, generation_config.json, model.safetensors (main process only)
    if trainer.is_world_process_zero():
        tokenizer.save_pretrained(args.out)
        print(f"saved {args.out}: read it back with `wattformer generate --model {args.out}` or loadTextGenerator('{args.out}')")


if __name__ == "__main__":
    main()
