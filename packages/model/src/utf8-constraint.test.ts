import { CharTokenizer, encodingToTokenizer, getEncoding, trainBpe } from '@wattformer/tokenizer';
import { describe, expect, it } from 'vitest';
import { argmax } from './sampling';
import type { TextTokenizer } from './text-tokenizer';
import { tokenBytesSource, UTF8_COMPLETE, Utf8Constraint, utf8Run } from './utf8-constraint';

/** What the WHATWG decoder says of `bytes`: ill-formed, a well-formed prefix, or complete (U+FFFD counts as ill-formed). */
function oracle(bytes: Uint8Array): 'ill-formed' | 'prefix' | 'complete' {
  let streamed: string;
  try {
    // Streaming, a fatal decoder throws on ill-formed bytes but keeps an incomplete tail for later.
    streamed = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream: true });
  } catch {
    return 'ill-formed';
  }
  if (streamed.includes('\uFFFD')) return 'ill-formed';
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return 'complete';
  } catch {
    return 'prefix';
  }
}
// Each range's edges and a few bytes past them.
const EDGES = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbc, 0xbd, 0xbe, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
const verdict = (state: number) => (state < 0 ? 'ill-formed' : state === UTF8_COMPLETE ? 'complete' : 'prefix');

describe('the UTF-8 automaton (Unicode Table 3-7, U+FFFD banned)', () => {
  it('agrees with a fatal TextDecoder on every 1- and 2-byte sequence', () => {
    const bytes = new Uint8Array(2);
    for (let a = 0; a < 256; a++) {
      expect(verdict(utf8Run(0, [a]))).toBe(oracle(Uint8Array.of(a)));
      for (let b = 0; b < 256; b++) {
        bytes[0] = a;
        bytes[1] = b;
        const got = verdict(utf8Run(0, bytes));
        if (got !== oracle(bytes)) expect([a.toString(16), b.toString(16), got]).toEqual([a.toString(16), b.toString(16), oracle(bytes)]);
      }
    }
  });

  it('agrees on 3- and 4-byte sequences of every first byte and the range edges after it', () => {
    const mismatches: string[] = [];
    const check = (bytes: Uint8Array) => {
      if (verdict(utf8Run(0, bytes)) !== oracle(bytes)) mismatches.push([...bytes].map((b) => b.toString(16)).join(' '));
    };
    for (let a = 0; a < 256; a++) {
      for (const b of EDGES) {
        for (const c of EDGES) check(Uint8Array.of(a, b, c));
        if (a >= 0xf0) for (const d of EDGES) check(Uint8Array.of(a, b, 0x80, d));
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('bans the surrogates, overlongs, out-of-range code points and U+FFFD itself', () => {
    for (const bad of [[0xed, 0xa0, 0x80], [0xe0, 0x80, 0x80], [0xc0, 0xaf], [0xc1], [0xf4, 0x90], [0xf5], [0xff], [0xef, 0xbf, 0xbd], [0x80]]) {
      expect(utf8Run(0, bad)).toBe(-1);
    }
    expect(utf8Run(0, [0xef, 0xbf, 0xbe])).toBe(0); // U+FFFE is well-formed
    expect(utf8Run(0, [0xf0, 0x9f])).toBeGreaterThan(0); // 🙂's first two bytes: pending
  });
});

/** A tokenizer from a list of byte strings (id = index), with tokenBytes. */
function byteTokenizer(tokens: number[][]): TextTokenizer {
  const decoder = new TextDecoder();
  return {
    encode: () => [],
    decode: (ids) => decoder.decode(Uint8Array.from(ids.flatMap((id) => tokens[id]!))),
    tokenBytes: (id) => Uint8Array.from(tokens[id]!),
    vocabSize: tokens.length,
  };
}

describe('Utf8Constraint', () => {
  it('masks, with no character pending, only tokens that cannot start well-formed text', () => {
    // ids: 0 'a', 1 E4 (lead), 2 BD A0 (continuations), 3 E4 BD A0 (你), 4 A0 'a', 5 FF
    const constraint = Utf8Constraint.forTokenizer(byteTokenizer([[0x61], [0xe4], [0xbd, 0xa0], [0xe4, 0xbd, 0xa0], [0xa0, 0x61], [0xff]]), 6)!;
    const logits = Float32Array.of(1, 2, 3, 4, 5, 6);
    constraint.mask(logits, UTF8_COMPLETE);
    expect([...logits]).toEqual([1, 2, -Infinity, 4, -Infinity, -Infinity]);
    // After E4 two continuation bytes are expected: only BD A0 fits.
    const after = constraint.advance(UTF8_COMPLETE, 1);
    expect(after).toBeGreaterThan(0);
    const pending = Float32Array.of(9, 2, 3, 4, 5, 6);
    constraint.mask(pending, after, [0]);
    expect([...pending]).toEqual([-Infinity, -Infinity, 3, -Infinity, -Infinity, -Infinity]);
    expect(argmax(pending)).toBe(2);
    expect(constraint.advance(after, 2)).toBe(UTF8_COMPLETE);
    expect(constraint.advance(after, 0)).toBe(-1);
  });

  it('bans the end token only while a character is pending', () => {
    const constraint = Utf8Constraint.forTokenizer(byteTokenizer([[0x61], [0xc3], [0xa9], []]), 4)!;
    const complete = Float32Array.of(1, 1, 1, 5);
    constraint.mask(complete, UTF8_COMPLETE, [3]);
    expect(argmax(complete)).toBe(3);
    const pending = Float32Array.of(1, 1, 1, 5);
    constraint.mask(pending, constraint.advance(UTF8_COMPLETE, 1), [3]);
    expect([...pending]).toEqual([-Infinity, -Infinity, 1, -Infinity]);
  });

  it('never enters a state it cannot leave: a lead byte with no continuation token is banned', () => {
    // C3 is completed by 'A9 a'; E4 needs two continuation bytes, and no token has them.
    const constraint = Utf8Constraint.forTokenizer(byteTokenizer([[0x61], [0xe4], [0xc3], [0xa9, 0x61]]), 4)!;
    expect(constraint.allows(UTF8_COMPLETE, 1)).toBe(false);
    expect(constraint.allows(UTF8_COMPLETE, 2)).toBe(true);
  });

  it('is null (nothing to do per step) for a character-level tokenizer, and for a tokenizer of whole characters', () => {
    expect(Utf8Constraint.forTokenizer(CharTokenizer.fromText('床前明月光 abc 🙂'), 12)).toBeNull();
    expect(Utf8Constraint.forTokenizer(byteTokenizer([[0x61], [0xe4, 0xbd, 0xa0]]), 2)).toBeNull();
  });

  it('refuses tokens whose bytes cannot be known (U+FFFD text and no tokenBytes)', () => {
    const opaque: TextTokenizer = { encode: () => [], decode: (ids) => ids.map((id) => (id === 1 ? '\uFFFD' : 'x')).join('') };
    const constraint = Utf8Constraint.forTokenizer(opaque, 3)!;
    expect([0, 1, 2].map((id) => constraint.allows(UTF8_COMPLETE, id))).toEqual([true, false, true]);
  });

  it("reads a Hugging Face ByteLevel tokenizer's token bytes exactly as the tiktoken encoding it was converted from", async () => {
    const encoding = await getEncoding('cl100k_base');
    const hf = encodingToTokenizer(encoding);
    const fromHf = tokenBytesSource(hf);
    for (let id = 0; id < 100_000; id += 97) expect([id, ...fromHf(id)!]).toEqual([id, ...encoding.tokenBytes(id)]);
    const trained = await trainBpe('床前明月光，疑是地上霜。举头望明月，低头思故乡。', { vocabSize: 256 + 20, minFrequency: 1 });
    const bytes = tokenBytesSource(trained);
    const decoder = new TextDecoder();
    for (let id = 0; id < trained.vocabSize; id++) expect(decoder.decode(bytes(id))).toBe(trained.decode([id]));
    expect(Utf8Constraint.forTokenizer(trained, trained.vocabSize)).not.toBeNull();
  });
});
