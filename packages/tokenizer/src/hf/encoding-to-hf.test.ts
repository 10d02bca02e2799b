import { describe, expect, it } from 'vitest';
import { getEncoding, type EncodingName } from '../get-encoding';
import { encodingToHf } from './encoding-to-hf';
import { Tokenizer } from './tokenizer';

const samples = [
  'Hello world! The quick brown fox jumps over the lazy dog.',
  "It's 2026; don't  panic:\n\n\tcode(x) => x ** 2 // 12345678",
  '床前明月光，疑是地上霜。举头望明月，低头思故乡。',
  'emoji 🙂🚀👩‍👩‍👧 naïve café Ünïcödé  ',
  '<|endoftext|>',
];

describe('encodingToHf', () => {
  it.each(['r50k_base', 'cl100k_base'] as EncodingName[])('%s as tokenizer.json encodes and decodes as tiktoken does', async (name) => {
    const encoding = await getEncoding(name);
    const hf = Tokenizer.fromJSON(encodingToHf(encoding).toString());
    for (const text of samples) {
      const ids = encoding.encode(text, { allowedSpecial: 'all' });
      expect(hf.encode(text)).toEqual(ids);
      expect(hf.decode(ids, { skipSpecialTokens: false })).toBe(text);
    }
    expect(hf.vocabSize).toBe(encoding.vocabulary.table.size + encoding.specialTokens.ids.size); // ids, without cl100k's unused ones
    expect(hf.tokenToId('<|endoftext|>')).toBe(encoding.specialTokens.ids.get('<|endoftext|>'));
  }, 60_000);
});
