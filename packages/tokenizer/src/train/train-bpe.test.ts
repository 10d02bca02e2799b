import { describe, expect, it } from 'vitest';
import { TokenizerError } from '../errors';
import { MIXED_SCRIPT_LINES, gutenbergBook } from '../test-support/corpus';
import { trainBpe } from './train-bpe';

const alice = gutenbergBook('carroll-alice');
const paragraphs = alice.split('\n\n');

describe('trainBpe', () => {
  it('gives the same tokenizer from an array and from an async iterable of the same texts', async () => {
    async function* stream() {
      for (const p of paragraphs) yield p;
    }
    const fromArray = await trainBpe(paragraphs, { vocabSize: 600 });
    const fromStream = await trainBpe(stream(), { vocabSize: 600 });
    expect(fromStream.toString()).toBe(fromArray.toString());
    expect(fromArray.vocabSize).toBe(600);
  });

  it('learns the most frequent pair first and puts special tokens after the merges', async () => {
    const tokenizer = await trainBpe('ab ab ab ab cd', { vocabSize: 260, specialTokens: ['<|end|>'], minFrequency: 1 });
    const json = tokenizer.toJSON() as { model: { merges: string[][] } };
    expect(json.model.merges[0]).toEqual(['a', 'b']);
    expect(tokenizer.tokenToId('<|end|>')).toBe(259);
    expect(tokenizer.encode('ab<|end|>')).toEqual([tokenizer.tokenToId('ab'), 259]);
  });

  it('stops at minFrequency even below the requested size', async () => {
    const tokenizer = await trainBpe(alice, { vocabSize: 50_000, minFrequency: 500 });
    expect(tokenizer.vocabSize).toBeGreaterThan(256);
    expect(tokenizer.vocabSize).toBeLessThan(1000);
  });

  it('round-trips any text, including scripts it never saw', async () => {
    const tokenizer = await trainBpe(alice, { vocabSize: 800, pattern: 'o200k' });
    for (const line of MIXED_SCRIPT_LINES) expect(tokenizer.decode(tokenizer.encode(line))).toBe(line);
    expect(tokenizer.encode(' the').length).toBe(1);
  });

  it('accepts the GPT-2 pattern and a custom regex', async () => {
    const gpt2 = await trainBpe(alice, { vocabSize: 400, pattern: 'gpt2' });
    const words = await trainBpe(alice, { vocabSize: 400, pattern: '\\p{L}+|[^\\p{L}]+' });
    expect(gpt2.decode(gpt2.encode('Alice was beginning'))).toBe('Alice was beginning');
    expect(words.decode(words.encode('Alice was beginning'))).toBe('Alice was beginning');
  });

  it('rejects bad options with clear errors', async () => {
    await expect(trainBpe(alice, { vocabSize: 100 })).rejects.toThrow(/expected vocabSize to be an integer of at least 256 \+ 0 special tokens = 256, got 100/);
    await expect(trainBpe(alice, { vocabSize: 300, minFrequency: 0 })).rejects.toThrow(TokenizerError);
    await expect(trainBpe(alice, { vocabSize: 300, pattern: '(' })).rejects.toThrow(/expected a split pattern a linear-time \(RE2\) regex engine can run/);
    await expect(trainBpe([alice, 42 as unknown as string], { vocabSize: 300 })).rejects.toThrow(/expected an iterable of strings, got an item of type number/);
  });
});
