import type { Encoding } from '../encoding';
import type { Vocabulary } from '../vocabulary';
import { bytesToByteLevel } from './byte-level-alphabet';
import { ByteLevelDecoder } from './decoders/byte-level-decoder';
import { BpeModel } from './models/bpe-model';
import { ByteLevelPostProcessor } from './post-processors/byte-level-post-processor';
import { ByteLevelPreTokenizer } from './pre-tokenizers/byte-level';
import { SequencePreTokenizer } from './pre-tokenizers/sequence-pre-tokenizer';
import { SplitPreTokenizer } from './pre-tokenizers/split';
import { Tokenizer } from './tokenizer';

/**
 * A tiktoken encoding (r50k_base, cl100k_base, o200k_base, …) as a Hugging Face `tokenizer.json`
 * pipeline, as transformers' TikTokenConverter builds it: `Split` on the encoding's regex, then
 * `ByteLevel`; a `BPE` model whose vocab is every rank's bytes in the byte-level alphabet and whose
 * merges are recovered from the ranks (token t merges the two parts that byte-pair merging with
 * ranks below t's leaves); `ignore_merges` so a piece that is a whole token maps to it, as tiktoken
 * does; special tokens as added tokens. Recovering the merges is O(Σ len²) over the vocabulary.
 */
export function encodingToHf(encoding: Encoding): Tokenizer {
  const { vocabulary } = encoding;
  const tokens: string[] = [];
  const vocab = new Map<string, number>();
  for (const [bytes, rank] of vocabulary.entries()) {
    const token = bytesToByteLevel(bytes);
    tokens[rank] = token;
    vocab.set(token, rank);
  }
  const merges: (readonly [string, string])[] = [];
  for (const [bytes, rank] of vocabulary.entries()) {
    if (bytes.length < 2) continue;
    const split = lastMerge(vocabulary, bytes, rank);
    if (split > 0) merges.push([bytesToByteLevel(bytes.subarray(0, split)), bytesToByteLevel(bytes.subarray(split))]);
  }
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: false };
  return new Tokenizer({
    normalizer: null,
    preTokenizer: new SequencePreTokenizer([
      new SplitPreTokenizer({ Regex: encoding.pattern }, 'Isolated', false),
      new ByteLevelPreTokenizer({ addPrefixSpace: false, trimOffsets: true, useRegex: false }),
    ]),
    model: new BpeModel({ vocab, merges, unkToken: null, fuseUnk: false, byteFallback: false, ignoreMerges: true }),
    postProcessor: new ByteLevelPostProcessor({ type: 'ByteLevel', ...byteLevel, trim_offsets: false }),
    decoder: new ByteLevelDecoder({ type: 'ByteLevel', ...byteLevel }),
    addedTokens: [...encoding.specialTokens.ids].map(([content, id]) => ({ id, content, singleWord: false, lstrip: false, rstrip: false, normalized: false, special: true })),
  });
}

/**
 * Byte-pair merging of `bytes` with ranks below `maxRank` until two parts are left; returns where
 * the second starts (0 when the ranks cannot build the token from two parts).
 */
function lastMerge(vocabulary: Vocabulary, bytes: Uint8Array, maxRank: number): number {
  const starts = Array.from({ length: bytes.length + 1 }, (_, i) => i); // part i is [starts[i], starts[i + 1])
  while (starts.length > 3) {
    let best = maxRank;
    let at = -1;
    for (let i = 0; i + 2 < starts.length; i++) {
      const rank = vocabulary.rankOf(bytes, starts[i]!, starts[i + 2]!);
      if (rank >= 0 && rank < best) {
        best = rank;
        at = i;
      }
    }
    if (at < 0) return 0;
    starts.splice(at + 1, 1);
  }
  return starts.length === 3 ? starts[1]! : 0;
}
