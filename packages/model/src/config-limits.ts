/**
 * Upper bounds on model dimensions read from outside files (`config.json` of every family,
 * `adapter_config.json`). They sit well above every published checkpoint of these
 * architectures (GPT-2 XL: 48 layers, 1600 wide, 50257 tokens; BERT-large: 24 layers, 1024 wide;
 * vocabularies up to 256 K) and far below what would take minutes or gigabytes to even describe,
 * so a crafted `n_layer: 1e9` is refused at once instead of building a billion-entry name table.
 * The weights are then checked against the shapes these dimensions give, before any allocation.
 */
import { describeJson } from './bounded-json';
import { modelError } from './errors';

/**
 * Upper bounds on every config dimension (vocabulary, positions, widths, layers, heads) checked before anything is allocated from a config file.
 */
export const MODEL_LIMITS = {
  /** Vocabulary size (token ids are < 2^21 in the tokenizer package too). */
  vocabSize: 2 ** 21,
  /** Positions of a learned position table. */
  positions: 2 ** 20,
  /** Model (hidden) width. */
  modelDim: 2 ** 16,
  /** Feed-forward width. */
  mlpDim: 2 ** 18,
  /** Layers (of each stack). */
  layers: 1024,
  /** Classifier labels. */
  labels: 2 ** 16,
  /** LoRA rank. */
  loraRank: 2 ** 16,
} as const;

/** An integer in [min, max], or the package's error naming the field and its bound. */
export function boundedInteger(op: string, field: string, value: unknown, min: number, max: number, what = 'config.json'): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    // typeof first: comparing an array to a number would stringify it (recursively, for a deep one).
    const tooLarge = typeof value === 'number' && value > max;
    throw modelError(
      op,
      `${what} ${field} an integer in [${min}, ${max}]`,
      describeJson(value),
      tooLarge ? `no model of this architecture is that large; is ${what} the right file?` : undefined,
    );
  }
  return value as number;
}

/**
 * Checks a config built in code (or read from a file) against the bounds before anything loops
 * over its layers or sizes a buffer from it; `fields` maps a field name to [value, min, max].
 */
export function checkConfigDimensions(op: string, fields: Record<string, readonly [unknown, number, number]>, what = 'config'): void {
  for (const [field, [value, min, max]] of Object.entries(fields)) boundedInteger(op, field, value, min, max, what);
}
