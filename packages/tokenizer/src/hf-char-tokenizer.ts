import { TokenizerError, preview } from './errors';
import { bytesToByteLevel } from './hf/byte-level-alphabet';
import { byteLevelBpeJson, specialTokenJson } from './hf/byte-level-bpe-json';
import { Tokenizer } from './hf/tokenizer';

/** Options of `createCharTokenizer`: special tokens added after the characters. */
export interface CharTokenizerOptions {
  /** Appended after the characters, e.g. ['<|endoftext|>']; matched before anything else. */
  readonly specialTokens?: readonly string[];
}

const utf8 = new TextEncoder();

/**
 * A character-level tokenizer as a Hugging Face `tokenizer.json` pipeline, so the same file
 * loads here (`Tokenizer.fromJSON`) and in `transformers` (`AutoTokenizer` / `PreTrainedTokenizerFast`)
 * with the same ids. Ids follow `CharTokenizer`: one per distinct code point, sorted by code point,
 * then the special tokens.
 *
 * The pipeline: a `Split` pre-tokenizer isolates every code point, `ByteLevel` (no regex, no prefix
 * space) maps it to GPT-2's byte alphabet, and a `BPE` model with no merges and `ignore_merges`
 * looks each one up whole; the `ByteLevel` decoder turns tokens back into UTF-8, so Chinese, emoji
 * and Latin-1 letters round-trip exactly. A character outside the vocabulary is an error here
 * (transformers drops it).
 */
export function createCharTokenizer(characters: Iterable<string>, options: CharTokenizerOptions = {}): Tokenizer {
  const specials = options.specialTokens ?? [];
  const chars = [...new Set(characters)];
  for (const ch of chars) {
    if ([...ch].length !== 1) {
      throw new TokenizerError('E_ARGUMENT', { op: 'createCharTokenizer', expected: 'characters of one code point each', got: preview(ch) });
    }
  }
  if (new Set(specials).size !== specials.length || specials.some((s) => s.length === 0 || chars.includes(s))) {
    throw new TokenizerError('E_ARGUMENT', {
      op: 'createCharTokenizer',
      expected: 'distinct, non-empty special tokens that are not characters of the vocabulary',
      got: JSON.stringify(specials),
    });
  }
  chars.sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  const vocab: Record<string, number> = {};
  chars.forEach((ch, id) => (vocab[bytesToByteLevel(utf8.encode(ch))] = id));
  const addedTokens = specials.map((content, i) => {
    vocab[content] = chars.length + i;
    return specialTokenJson(content, chars.length + i);
  });
  return Tokenizer.fromJSON(
    byteLevelBpeJson({ pattern: '[\\s\\S]', addedTokens, vocab, merges: [], decoderFlags: { add_prefix_space: false, use_regex: false } }),
  );
}
