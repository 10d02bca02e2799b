/**
 * What text generation needs from a tokenizer: text → ids and ids → text. A structural interface,
 * so `@wattformer/tokenizer`'s `Tokenizer` (Hugging Face tokenizer.json), `CharTokenizer` and tiktoken
 * `Encoding` fit it as they are, and so does any object with these two methods.
 */
export interface TextTokenizer {
  /** Text of `ids`. */
  encode(text: string): readonly number[];
  /** Ids of `text`. */
  decode(ids: readonly number[]): string;
  /** Id that starts a text (used for an empty prompt). GPT-2 uses `<|endoftext|>` for both. */
  readonly bosTokenId?: number | null;
  /** Id that ends a text: generation stops there and it is left out of the text. */
  readonly eosTokenId?: number | null;
  /** Ids it can decode are 0..vocabSize−1; a model with a larger vocabulary never generates the rest. */
  readonly vocabSize?: number;
  /**
   * Bytes of one token, for byte-level tokenizers (tiktoken `Encoding` has it): text generation
   * uses them to keep its output well-formed UTF-8 (see `Utf8Constraint`). Without it, bytes come
   * from `decode([id])`, or a Hugging Face `ByteLevel` decoder's token strings.
   */
  tokenBytes?(id: number): Uint8Array;
  /** Hugging Face tokenizers look special tokens up by name. */
  tokenToId?(token: string): number | undefined;
}

/** Special-token names tried, in order, when a tokenizer carries no bos/eos ids of its own. */
export const END_OF_TEXT_NAMES = ['<|endoftext|>', '</s>', '<eos>', '[EOS]'] as const;
export const BEGIN_OF_TEXT_NAMES = ['<|endoftext|>', '<s>', '<bos>', '[BOS]'] as const;

/** The tokenizer's own id for one of `names`, or undefined. */
export function findSpecialId(tokenizer: TextTokenizer, names: readonly string[]): number | undefined {
  if (typeof tokenizer.tokenToId !== 'function') return undefined;
  for (const name of names) {
    const id = tokenizer.tokenToId(name);
    if (id !== undefined) return id;
  }
  return undefined;
}
