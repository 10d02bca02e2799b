import { randomBytes } from 'node:crypto';
import { get_encoding } from 'tiktoken';
import { afterAll, describe, expect, it } from 'vitest';
import { type EncodingName, getEncoding } from './get-encoding';

/**
 * Inputs that make naive BPE quadratic: one huge piece. Long pieces take the heap merge path;
 * tiktoken (the reference) is itself quadratic on them, so it checks ids at a few thousand
 * chars, and at 100k we check the round trip (the bench reports the timings).
 */
const base64 = (n: number) => randomBytes(n).toString('base64');
const SHAPES: Record<string, (n: number) => string> = {
  'repeated letter': (n) => 'a'.repeat(n),
  'repeated CJK': (n) => '中'.repeat(n),
  'base64 blob': (n) => base64(Math.ceil((n * 3) / 4)).slice(0, n),
  'space run': (n) => `x${' '.repeat(n)}y`,
  'newline run': (n) => '\n'.repeat(n),
  'mixed whitespace': (n) => ' \t\n'.repeat(Math.ceil(n / 3)).slice(0, n),
};
const NAMES: readonly EncodingName[] = ['r50k_base', 'cl100k_base', 'o200k_base'];
const references = new Map(NAMES.map((n) => [n, get_encoding(n)]));
afterAll(() => {
  for (const r of references.values()) r.free();
});

describe('worst cases', () => {
  for (const [shape, make] of Object.entries(SHAPES)) {
    it(`${shape}: same ids as tiktoken at 3,000 chars, round trip at 100,000`, async () => {
      for (const name of NAMES) {
        const enc = await getEncoding(name);
        const small = make(3000);
        expect(enc.encode(small)).toEqual(Array.from(references.get(name)!.encode(small)));
        const large = make(100_000);
        expect(enc.decode(enc.encode(large))).toBe(large);
      }
    });
  }
});
