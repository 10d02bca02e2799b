import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../tokenizer';

describe('Fuse decoder', () => {
  // A character-level tokenizer.json in the form Hugging Face tools write: BPE over characters,
  // no merges, and a Fuse decoder (without a decoder, HF joins tokens with spaces).
  const chars = [...'ab 床🙂\n'];
  const json = {
    added_tokens: [{ id: chars.length, content: '<|endoftext|>', special: true }],
    normalizer: null,
    pre_tokenizer: null,
    model: { type: 'BPE', vocab: Object.fromEntries([...chars, '<|endoftext|>'].map((c, i) => [c, i])), merges: [] },
    post_processor: null,
    decoder: { type: 'Fuse' },
  };

  it('joins tokens with nothing between them, and writes itself back', () => {
    const tokenizer = Tokenizer.fromJSON(json);
    const text = 'ab 床🙂\nba<|endoftext|>';
    const ids = tokenizer.encode(text);
    expect(ids).toEqual([0, 1, 2, 3, 4, 5, 1, 0, 6]);
    expect(tokenizer.decode(ids, { skipSpecialTokens: false })).toBe(text);
    expect(tokenizer.decode(ids)).toBe('ab 床🙂\nba');
    expect(tokenizer.toJSON().decoder).toEqual({ type: 'Fuse' });
    expect(Tokenizer.fromJSON({ ...json, decoder: null }).decode([0, 1])).toBe('a b'); // what Fuse avoids
  });

  it('works inside a Sequence of decoders', () => {
    const tokenizer = Tokenizer.fromJSON({ ...json, decoder: { type: 'Sequence', decoders: [{ type: 'Fuse' }] } });
    expect(tokenizer.decode([3, 4, 5])).toBe('床🙂\n');
  });
});
