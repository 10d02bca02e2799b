import { get_encoding } from 'tiktoken';
import { afterAll, describe, expect, it } from 'vitest';
import { TokenizerError } from './errors';
import { getEncoding, loadTiktoken } from './get-encoding';
import { MIXED_SCRIPT_LINES } from './test-support/corpus';

const reference = get_encoding('cl100k_base');
afterAll(() => reference.free());

describe('special tokens follow tiktoken', () => {
  const text = 'a<|endoftext|>b<|fim_prefix|>c';

  it('refuses disallowed special tokens by default, naming the token and the fix', async () => {
    const enc = await getEncoding('cl100k_base');
    const error = (() => {
      try {
        enc.encode(text);
      } catch (e) {
        return e as TokenizerError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(TokenizerError);
    expect(error.code).toBe('E_DISALLOWED_SPECIAL');
    expect(error.message).toMatch(/^tokenizer: encode: expected text without disallowed special tokens, got "<\|endoftext\|>" at index 1\nhelp: /);
  });

  it('matches tiktoken for allowed "all", a subset, and nothing disallowed', async () => {
    const enc = await getEncoding('cl100k_base');
    expect(enc.encode(text, { allowedSpecial: 'all' })).toEqual(Array.from(reference.encode(text, 'all')));
    expect(enc.encode(text, { allowedSpecial: ['<|endoftext|>'], disallowedSpecial: [] })).toEqual(Array.from(reference.encode(text, ['<|endoftext|>'], [])));
    expect(enc.encode(text, { disallowedSpecial: [] })).toEqual(Array.from(reference.encode(text, [], [])));
    expect(enc.encodeOrdinary(text)).toEqual(Array.from(reference.encode_ordinary(text)));
  });

  it('still refuses a disallowed token when another is allowed', async () => {
    const enc = await getEncoding('cl100k_base');
    expect(() => enc.encode(text, { allowedSpecial: ['<|endoftext|>'] })).toThrow(/<\|fim_prefix\|>/);
  });

  it('rejects special-token names the encoding does not have, listing the valid ones', async () => {
    const enc = await getEncoding('r50k_base');
    expect(() => enc.encode('x', { allowedSpecial: ['<|im_start|>'] })).toThrow(
      /allowedSpecial to hold special tokens of this encoding \('<\|endoftext\|>'\) or 'all', got "<\|im_start\|>"/,
    );
  });

  it('decodes special-token ids back to their text', async () => {
    const enc = await getEncoding('cl100k_base');
    expect(enc.decode(enc.encode(text, { allowedSpecial: 'all' }))).toBe(text);
  });
});

describe('encode/decode API', () => {
  it('batch encode and countTokens agree with encode', async () => {
    const enc = await getEncoding('o200k_base');
    const batch = enc.encodeBatch(MIXED_SCRIPT_LINES);
    expect(batch).toEqual(MIXED_SCRIPT_LINES.map((l) => enc.encode(l)));
    expect(MIXED_SCRIPT_LINES.map((l) => enc.countTokens(l))).toEqual(batch.map((b) => b.length));
  });

  it('offsets cover the text in order and slice back to each token for ASCII', async () => {
    const enc = await getEncoding('cl100k_base');
    const text = "Hello, world! It's 2024 -- isn't it?\n  Indented line.";
    const { ids, offsets } = enc.encodeWithOffsets(text);
    expect(ids).toEqual(enc.encode(text));
    expect(offsets[0]![0]).toBe(0);
    expect(offsets[offsets.length - 1]![1]).toBe(text.length);
    ids.forEach((id, k) => {
      expect(text.slice(offsets[k]![0], offsets[k]![1])).toBe(enc.decode([id]));
      if (k > 0) expect(offsets[k]![0]).toBe(offsets[k - 1]![1]);
    });
  });

  it('offsets of tokens that split a character span that whole character', async () => {
    const enc = await getEncoding('r50k_base');
    const text = 'x🚀y';
    const { ids, offsets } = enc.encodeWithOffsets(text);
    expect(ids.length).toBeGreaterThan(3); // the rocket's 4 bytes take more than one token here
    for (const [start, end] of offsets) expect(text.slice(start, end).length).toBeGreaterThan(0);
    expect(offsets.some(([s, e]) => text.slice(s, e) === '🚀')).toBe(true);
  });

  it('rejects out-of-range ids in decode with the valid range', async () => {
    const enc = await getEncoding('r50k_base');
    expect(() => enc.decode([31373, 60000])).toThrow(
      /expected token ids that are ranks in 0\.\.50255 or special-token ids \(50256\) of r50k_base, got 60000 at index 1/,
    );
    expect(() => enc.decode([-1])).toThrow(TokenizerError);
    expect(() => enc.decode([1.5])).toThrow(TokenizerError);
  });

  it('the streaming decoder never splits a UTF-8 character and adds up to decode()', async () => {
    const enc = await getEncoding('cl100k_base');
    const text = MIXED_SCRIPT_LINES.join('\n');
    const ids = enc.encode(text);
    const stream = enc.createStreamingDecoder();
    const chunks = ids.map((id) => stream.push(id));
    chunks.push(stream.flush());
    for (const chunk of chunks) expect(chunk).not.toContain('\ufffd');
    expect(chunks.some((c) => c === '')).toBe(true); // some tokens end mid-character and are held back
    expect(chunks.join('')).toBe(text);
  });

  it('loads any .tiktoken file with a regex pattern (here cl100k written differently) to the same ids', async () => {
    const builtIn = await getEncoding('cl100k_base');
    const custom = loadTiktoken(builtIn.toTiktoken(), {
      name: 'my-cl100k',
      pattern: `(?:${builtIn.pattern})`,
      specialTokens: { '<|endoftext|>': 100257 },
    });
    for (const line of MIXED_SCRIPT_LINES) expect(custom.encode(line)).toEqual(builtIn.encode(line));
    expect(custom.vocabSize).toBe(100258);
  });
});

describe('the piece cache never changes results', () => {
  it('same ids whether the cache is full, sparse (after low-hit Chinese) or fresh', async () => {
    const { chinesePoetry } = await import('../bench/chinese-corpus');
    const { Encoding } = await import('./encoding');
    const spec = (await import('./encodings/cl100k_base')).default;
    const chinese = chinesePoetry(200_000);
    const english = MIXED_SCRIPT_LINES.join('\n').repeat(40);
    const used = new Encoding(spec);
    const afterChinese = [used.encode(chinese), used.encode(english), used.encode(chinese)];
    expect(afterChinese[0]).toEqual(new Encoding(spec).encode(chinese));
    expect(afterChinese[1]).toEqual(new Encoding(spec).encode(english));
    expect(afterChinese[2]).toEqual(afterChinese[0]);
  });
});
