import type { CharTokenizer } from '../char-tokenizer';
import { FuseDecoder } from './decoders/fuse-decoder';
import { BpeModel } from './models/bpe-model';
import { Tokenizer } from './tokenizer';

/**
 * The same character-level tokenizer as a Hugging Face `tokenizer.json` pipeline, so other tools
 * (`AutoTokenizer.from_pretrained`, tokenizers, Transformers.js) read it: a `BPE` model whose vocab
 * is the characters (same ids) with no merges, no pre-tokenizer, special tokens as added tokens,
 * and a `Fuse` decoder (without a decoder, Hugging Face would join tokens with spaces).
 * Encoding and decoding give the same ids and text as the CharTokenizer (decode skips special
 * tokens by default, as Hugging Face does).
 */
export function charTokenizerToHf(tokenizer: CharTokenizer): Tokenizer {
  const vocab = new Map<string, number>();
  tokenizer.vocab.forEach((token, id) => vocab.set(token, id));
  const specials = new Set(tokenizer.specialTokens);
  return new Tokenizer({
    normalizer: null,
    preTokenizer: null,
    model: new BpeModel({ vocab, merges: [], unkToken: null, fuseUnk: false, byteFallback: false, ignoreMerges: false }),
    postProcessor: null,
    decoder: new FuseDecoder(),
    addedTokens: tokenizer.vocab.flatMap((content, id) =>
      specials.has(content) ? [{ id, content, singleWord: false, lstrip: false, rstrip: false, normalized: false, special: true }] : [],
    ),
  });
}
