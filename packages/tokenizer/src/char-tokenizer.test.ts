import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer';
import { TokenizerError } from './errors';

describe('CharTokenizer', () => {
  const tokenizer = CharTokenizer.fromText('hello world 👋', { specialTokens: ['<eos>'] });

  it('has one sorted id per code point, specials last', () => {
    expect(tokenizer.vocab).toEqual([' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w', '👋', '<eos>']);
    expect(tokenizer.encode('hello👋<eos>')).toEqual([3, 2, 4, 4, 5, 8, 9]);
    expect(tokenizer.decode(tokenizer.encode('world hello<eos>'))).toBe('world hello<eos>');
  });

  it('saves and loads', () => {
    const again = CharTokenizer.fromJSON(JSON.stringify(tokenizer.toJSON()));
    expect(again.encode('hello')).toEqual(tokenizer.encode('hello'));
  });

  it('names the unknown character and the out-of-range id', () => {
    expect(() => tokenizer.encode('hex')).toThrow(/got "x" at index 2/);
    expect(() => tokenizer.decode([10])).toThrow(/expected ids in 0\.\.9, got 10 at index 0/);
    expect(() => CharTokenizer.fromJSON('{"type":"BPE"}')).toThrow(TokenizerError);
  });
});

describe('CharTokenizer from untrusted JSON', () => {
  it('refuses bad JSON, deep nesting, empty or duplicate tokens with TokenizerError', () => {
    const cases = [
      '{"type": ',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      'null',
      JSON.stringify({ type: 'CharTokenizer', vocab: ['a', ''], specialTokens: [] }),
      JSON.stringify({ type: 'CharTokenizer', vocab: ['a', 'a'], specialTokens: [] }),
      JSON.stringify({ type: 'CharTokenizer', vocab: ['a', 3], specialTokens: [] }),
      JSON.stringify({ type: 'CharTokenizer', vocab: ['a'], specialTokens: ['<eos>'] }),
    ];
    for (const json of cases) expect(() => CharTokenizer.fromJSON(json)).toThrow(TokenizerError);
    expect(() => CharTokenizer.fromText('ab', { specialTokens: [''] })).toThrow(/expected special tokens to be non-empty strings/);
  });

  it('finds special tokens in one pass (a text made of them)', () => {
    const t = CharTokenizer.fromText('ab', { specialTokens: ['<eos>', '<eos><eos>'] });
    expect(t.encode('a<eos><eos><eos>b')).toEqual([0, 3, 2, 1]);
    expect(t.encode('<eos>'.repeat(100_000)).length).toBe(50_000);
  });
});
