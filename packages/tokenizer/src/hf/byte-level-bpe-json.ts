/** An added token of a `tokenizer.json` (`special`: matched whole, before the pre-tokenizer). */
export interface AddedTokenJson {
  readonly id: number;
  readonly content: string;
  readonly single_word: false;
  readonly lstrip: false;
  readonly rstrip: false;
  readonly normalized: false;
  readonly special: true;
}

/** A special token as `tokenizer.json` lists it. */
export const specialTokenJson = (content: string, id: number): AddedTokenJson => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

/**
 * The `tokenizer.json` document of a byte-level BPE pipeline that Hugging Face `tokenizers`
 * loads as written: `Split` on `pattern` (Isolated), `ByteLevel` without its own regex, a `BPE`
 * model with `ignore_merges` over `vocab`/`merges`, and a `ByteLevel` decoder. One shape for the
 * char-level and the tiktoken-derived tokenizers; key order is fixed (the saved files are compared
 * byte for byte with Python-made fixtures).
 */
export function byteLevelBpeJson(options: {
  readonly pattern: string;
  readonly addedTokens: readonly AddedTokenJson[];
  readonly vocab: Record<string, number>;
  readonly merges: readonly (readonly [string, string])[];
  /** The ByteLevel decoder's flags as written (they do not change decoding). */
  readonly decoderFlags: { readonly add_prefix_space: boolean; readonly use_regex: boolean };
}) {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: options.addedTokens,
    normalizer: null,
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: options.pattern }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: options.decoderFlags.add_prefix_space, trim_offsets: true, use_regex: options.decoderFlags.use_regex },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: true,
      vocab: options.vocab,
      merges: options.merges,
    },
  };
}
