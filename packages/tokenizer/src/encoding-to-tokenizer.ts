import type { Encoding } from './encoding';
import { bytesToByteLevel } from './hf/byte-level-alphabet';
import { byteLevelBpeJson, specialTokenJson } from './hf/byte-level-bpe-json';
import { Tokenizer } from './hf/tokenizer';

/**
 * A tiktoken `Encoding` (r50k_base, cl100k_base, o200k_base, or your own) as a Hugging Face
 * `tokenizer.json` pipeline with the same ids, so a model trained with it can be saved as a
 * Hugging Face folder: the encoding's regex as a `Split` pre-tokenizer, `ByteLevel` without its
 * own regex, and a byte-level `BPE` model whose merges are recovered from the ranks (each token of
 * two or more bytes is re-encoded with the ranks below its own; the last merge names its two
 * parts), with `ignore_merges` so a piece that is itself a token maps to it directly, as tiktoken
 * does. Special tokens become added tokens.
 */
export function encodingToTokenizer(encoding: Encoding): Tokenizer {
  const vocabulary = encoding.vocabulary;
  const vocab: Record<string, number> = {};
  const merges: [string, string][] = [];
  for (const [bytes, rank] of vocabulary.entries()) {
    vocab[bytesToByteLevel(bytes)] = rank;
    if (bytes.length < 2) continue;
    // Parts as [start, end) byte ranges; merge the lowest-ranked adjacent pair below `rank`.
    const starts = Array.from({ length: bytes.length + 1 }, (_, i) => i);
    while (starts.length > 3) {
      let best = Infinity;
      let at = -1;
      for (let k = 0; k + 2 < starts.length; k++) {
        const r = vocabulary.rankOf(bytes, starts[k]!, starts[k + 2]!);
        if (r >= 0 && r < rank && r < best) {
          best = r;
          at = k;
        }
      }
      if (at < 0) break;
      starts.splice(at + 1, 1);
    }
    if (starts.length !== 3) continue; // not reachable by merges: the token stays in the vocabulary only
    merges.push([bytesToByteLevel(bytes.subarray(0, starts[1])), bytesToByteLevel(bytes.subarray(starts[1]))]);
  }
  const addedTokens = [...encoding.specialTokens.ids].map(([content, id]) => specialTokenJson(content, id));
  return Tokenizer.fromJSON(
    byteLevelBpeJson({ pattern: encoding.pattern, addedTokens, vocab, merges, decoderFlags: { add_prefix_space: true, use_regex: true } }),
  );
}
