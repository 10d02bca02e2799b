import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer';
import { createCharTokenizer } from './hf-char-tokenizer';
import { Tokenizer } from './hf/tokenizer';

const text = '秦川雄帝宅，函谷壯皇居。\nHello, wörld! 😀 Āł é\r\n\t';
const specialTokens = ['<|endoftext|>'];

describe('createCharTokenizer', () => {
  it("gives CharTokenizer's ids and decodes every character back (Chinese, emoji, Latin-1, controls)", () => {
    const hf = createCharTokenizer(text, { specialTokens });
    const char = CharTokenizer.fromText(text, { specialTokens });
    const sample = `${text}<|endoftext|>${[...text].reverse().join('')}`;
    expect(hf.encode(sample)).toEqual(char.encode(sample));
    expect(hf.vocabSize).toBe(char.vocabSize);
    expect(hf.decode(hf.encode(sample), { skipSpecialTokens: false })).toBe(sample);
    expect(hf.decode(hf.encode(sample))).toBe(sample.replace('<|endoftext|>', ''));
    expect(hf.tokenToId('<|endoftext|>')).toBe(char.vocabSize - 1);
  });

  it('survives its own tokenizer.json and agrees with Hugging Face tokenizers', () => {
    const hf = createCharTokenizer(text, { specialTokens });
    const reloaded = Tokenizer.fromJSON(JSON.stringify(hf.toJSON()));
    // Ids from HF `tokenizers` 0.22.1 on this tokenizer.json:
    //   Tokenizer.from_file(path).encode('Hello 秦川<|endoftext|>😀\r\n').ids
    expect(reloaded.encode('Hello 秦川<|endoftext|>😀\r\n')).toEqual([6, 8, 9, 9, 10, 3, 25, 22, 30, 29, 2, 1]);
  });

  it('refuses characters outside the vocabulary and bad inputs, clearly', () => {
    const hf = createCharTokenizer('ab');
    expect(() => hf.encode('abc')).toThrow(/^tokenizer: encode: expected characters in the BPE vocabulary \(or an unk_token\), got "c"/);
    expect(() => createCharTokenizer(['ab'])).toThrow(/^tokenizer: createCharTokenizer: expected characters of one code point each, got "ab"/);
    expect(() => createCharTokenizer('ab', { specialTokens: ['a'] })).toThrow(
      /expected distinct, non-empty special tokens that are not characters of the vocabulary/,
    );
  });
});
