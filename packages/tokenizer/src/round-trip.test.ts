import fc from 'fast-check';
import { get_encoding } from 'tiktoken';
import { afterAll, describe, expect, it } from 'vitest';
import { type EncodingName, getEncoding } from './get-encoding';
import { MIXED_SCRIPT_LINES, wellFormed } from './test-support/corpus';

const NAMES: readonly EncodingName[] = ['r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base'];

/** Characters that sit on the pre-tokenizer patterns' edges: cases, marks, digits, spacing. */
const EDGE_CHARS = [
  'a',
  'Z',
  'é',
  'É',
  'ǅ',
  'ʰ',
  '中',
  'ア',
  '\u0301',
  '\u0903',
  '1',
  '٣',
  'Ⅻ',
  '½',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\u00a0',
  '\u3000',
  '\u0085',
  '\ufeff',
  '\u2028',
  "'",
  "'s",
  "'S",
  "'ll",
  "'Re",
  '/',
  '.',
  '!',
  '?',
  '👍',
  '🇯🇵',
  '👩‍💻',
  '\ud800',
  '\udfff',
  '<|',
  '|>',
];

const edgeString = fc.array(fc.constantFrom(...EDGE_CHARS), { maxLength: 24 }).map((parts) => parts.join(''));
const anyUnicode = fc.string({ unit: 'binary', maxLength: 40 });
const graphemes = fc.string({ unit: 'grapheme', maxLength: 30 });
const text = fc.oneof(edgeString, anyUnicode, graphemes);

describe('decode(encode(s)) === s', () => {
  for (const name of NAMES) {
    it(`${name}: on random Unicode (lone surrogates become U+FFFD, as in tiktoken)`, async () => {
      const encoding = await getEncoding(name);
      fc.assert(
        fc.property(text, (s) => {
          expect(encoding.decode(encoding.encodeOrdinary(s))).toBe(wellFormed(s));
        }),
        { numRuns: 400, seed: 4242 },
      );
    });
  }

  it('holds on emoji, CJK and combining marks', async () => {
    const encoding = await getEncoding('o200k_base');
    for (const line of MIXED_SCRIPT_LINES) expect(encoding.decode(encoding.encode(line))).toBe(line);
  });
});

describe('random strings match tiktoken (the Rust reference, as WASM) id for id', () => {
  const references = new Map(NAMES.map((n) => [n, get_encoding(n)]));
  afterAll(() => {
    for (const r of references.values()) r.free();
  });

  for (const name of NAMES) {
    it(name, async () => {
      const encoding = await getEncoding(name);
      const reference = references.get(name)!;
      fc.assert(
        fc.property(text, (s) => {
          expect(encoding.encodeOrdinary(s)).toEqual(Array.from(reference.encode_ordinary(s)));
        }),
        { numRuns: 2000, seed: 7 },
      );
    });
  }

  it('treats U+0085 as whitespace and U+FEFF as not, like tiktoken (JS-regex ports differ here)', async () => {
    const encoding = await getEncoding('cl100k_base');
    const reference = references.get('cl100k_base')!;
    for (const s of ['x \u0085y', 'x \ufeffy', 'a\u0085\u0085 b']) {
      expect(encoding.encode(s)).toEqual(Array.from(reference.encode(s)));
    }
  });
});
