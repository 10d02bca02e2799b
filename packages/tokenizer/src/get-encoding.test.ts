import { describe, expect, it } from 'vitest';
import { cl100k_base } from './encodings/cl100k_base';
import { TokenizerError } from './errors';
import { ENCODING_NAMES, type EncodingName, createEncoding, getEncoding } from './get-encoding';

describe('getEncoding', () => {
  it('rejects an unknown name and lists the valid ones', async () => {
    const error = await getEncoding('cl100k' as EncodingName).catch((e: unknown) => e as TokenizerError);
    expect(error).toBeInstanceOf(TokenizerError);
    expect((error as TokenizerError).code).toBe('E_UNKNOWN_CHOICE');
    expect((error as TokenizerError).message).toBe(
      "tokenizer: getEncoding: expected encoding name to be one of 'r50k_base', 'gpt2', 'p50k_base', 'p50k_edit', 'cl100k_base', 'o200k_base', got 'cl100k'\nhelp: for your own rank file use loadTiktoken(text, { pattern, specialTokens })",
    );
  });

  it('returns one shared instance per name, and gpt2 is r50k_base', async () => {
    expect(await getEncoding('cl100k_base')).toBe(await getEncoding('cl100k_base'));
    const gpt2 = await getEncoding('gpt2');
    expect(gpt2.encode('hello world')).toEqual((await getEncoding('r50k_base')).encode('hello world'));
  });

  it('knows every listed encoding and its vocabulary size', async () => {
    const sizes: Record<string, number> = { r50k_base: 50257, gpt2: 50257, p50k_base: 50281, p50k_edit: 50284, cl100k_base: 100277, o200k_base: 200019 };
    for (const name of ENCODING_NAMES) expect((await getEncoding(name)).vocabSize).toBe(sizes[name]);
  });

  it('builds from a subpath entry imported directly', () => {
    expect(createEncoding(cl100k_base).encode('hello world')).toEqual([15339, 1917]);
  });
});
