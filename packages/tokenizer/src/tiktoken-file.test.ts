import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TokenizerError } from './errors';
import { rankFile } from './test-support/rank-files';
import { parseTiktokenRanks, serializeTiktokenRanks } from './tiktoken-file';

const require = createRequire(import.meta.url);
const dataDir = join(dirname(require.resolve('gpt-tokenizer/package.json')), 'data');

function errorOf(text: string): TokenizerError {
  try {
    parseTiktokenRanks(text);
  } catch (e) {
    return e as TokenizerError;
  }
  throw new Error('parsed without error');
}

describe('.tiktoken rank files', () => {
  it('parses and writes r50k_base back byte for byte', () => {
    const text = readFileSync(join(dataDir, 'r50k_base.tiktoken'), 'utf8');
    const vocab = parseTiktokenRanks(text);
    expect(vocab.size).toBe(50256);
    expect(serializeTiktokenRanks(vocab)).toBe(text);
  });

  it('accepts bytes, CRLF and a missing final newline', () => {
    const text = rankFile(['ab'], '\r\n').trimEnd();
    const vocab = parseTiktokenRanks(new TextEncoder().encode(text));
    const entries = [...vocab.entries()].map(([b, r]) => [Array.from(b), r]);
    expect(entries.length).toBe(257);
    expect(entries[33]).toEqual([[33], 33]);
    expect(entries[256]).toEqual([[97, 98], 256]);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['no space', 'IQ==0\n', /expected "base64 rank", got "IQ==0" on line 1/],
    ['bad base64', 'I$== 0\n', /expected base64 token bytes, got "I\$==" on line 1/],
    ['non-numeric rank', 'IQ== x\n', /expected a non-negative integer rank, got "x" on line 1/],
    ['repeated rank', 'IQ== 0\nIg== 0\n', /expected each rank once, got rank 0 again on line 2/],
    ['repeated token', 'IQ== 0\nIQ== 1\n', /expected each token once, got a repeated token on line 2/],
    ['empty file', '', /expected at least one rank, got an empty file/],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects a malformed file (${what}) with a clear error`, () => {
      const error = errorOf(text);
      expect(error.code).toBe('E_MALFORMED_RANKS');
      expect(error.message).toMatch(/^tokenizer: parseTiktokenRanks: /);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/\nhelp: /);
    });
  }
});
