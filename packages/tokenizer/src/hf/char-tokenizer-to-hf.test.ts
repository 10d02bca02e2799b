import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../char-tokenizer';
import { charTokenizerToHf } from './char-tokenizer-to-hf';
import { Tokenizer } from './tokenizer';

describe('charTokenizerToHf', () => {
  const text = 'To be, or not to be.\n床前明月光 🙂 a  b\t.';
  const char = CharTokenizer.fromText(text, { specialTokens: ['<|endoftext|>', '<pad>'] });

  it('gives the same ids and text through tokenizer.json, with no inserted spaces', () => {
    const hf = Tokenizer.fromJSON(charTokenizerToHf(char).toString());
    const sample = 'be or 床光🙂 .\t<|endoftext|>a';
    expect(hf.encode(sample)).toEqual(char.encode(sample));
    expect(hf.decode(char.encode(text))).toBe(text);
    expect(hf.decode(char.encode(sample))).toBe('be or 床光🙂 .\ta'); // special tokens skipped, as in HF
    expect(hf.decode(char.encode(sample), { skipSpecialTokens: false })).toBe(sample);
    expect(hf.vocabSize).toBe(char.vocabSize);
    expect(hf.tokenToId('<|endoftext|>')).toBe(char.vocabSize - 2);
  });

  it('writes the Hugging Face form: BPE with the characters and no merges, Fuse decoder, specials as added tokens', () => {
    const json = charTokenizerToHf(char).toJSON() as { model: { type: string; merges: unknown[]; vocab: Record<string, number> }; decoder: unknown; pre_tokenizer: unknown; added_tokens: { content: string; special: boolean }[] };
    expect(json.model.type).toBe('BPE');
    expect(json.model.merges).toEqual([]);
    expect(Object.keys(json.model.vocab)).toEqual([...char.vocab]);
    expect(json.decoder).toEqual({ type: 'Fuse' });
    expect(json.pre_tokenizer).toBeNull();
    expect(json.added_tokens.map((t) => [t.content, t.special])).toEqual([['<|endoftext|>', true], ['<pad>', true]]);
  });

  it('refuses a character it never saw, as the CharTokenizer does', () => {
    const hf = Tokenizer.fromJSON(charTokenizerToHf(char).toString());
    expect(() => hf.encode('zebra')).toThrow(/expected characters in the BPE vocabulary/);
  });
});
