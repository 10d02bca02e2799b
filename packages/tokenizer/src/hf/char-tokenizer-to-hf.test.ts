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

  it('refuses a CharTokenizer whose ids are not in fromText order instead of renumbering them', () => {
    const shuffled = CharTokenizer.fromJSON({ type: 'CharTokenizer', vocab: ['b', 'a', '<s>'], specialTokens: ['<s>'] });
    expect(() => charTokenizerToHf(shuffled)).toThrow(
      /^tokenizer: charTokenizerToHf: expected a CharTokenizer with its characters in code-point order.*, got "b" at id 0\nhelp: /,
    );
  });
});
