import { trainBpe, type Tokenizer } from '@wattformer/tokenizer';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { IncrementalText } from './incremental-text';

const runs = Number(process.env.WATTFORMER_FUZZ_RUNS ?? 200);
const seed = Number(process.env.WATTFORMER_FUZZ_SEED ?? 20261206);

let tokenizer: Tokenizer;
beforeAll(async () => {
  // A few merges over mixed scripts: most non-ASCII characters stay split over several byte tokens.
  tokenizer = await trainBpe('床前明月光，疑是地上霜。🙂🚀 naïve café, to be or not to be', { vocabSize: 256 + 30, minFrequency: 1 });
});

// Any text of whole code points (no U+FFFD of its own: it is what an incomplete character decodes to).
const text = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\uFFFD'));

function feed(ids: readonly number[], stops: string[]): { chunks: string[]; state: IncrementalText } {
  const state = new IncrementalText((list) => tokenizer.decode(list), stops);
  const chunks: string[] = [];
  for (const id of ids) {
    chunks.push(state.push(id));
    if (state.stopped) break;
  }
  chunks.push(state.finish());
  return { chunks, state };
}

describe('IncrementalText (fuzz)', () => {
  it('releases a character as soon as its last byte arrives, even inside a token that starts the next', () => {
    const tokens = [
      [0xf0, 0x9f],
      [0x99, 0x82, 0xe6],
      [0x98, 0x8e],
    ]; // 🙂 = F0 9F 99 82, 明 = E6 98 8E
    const utf8 = new TextDecoder();
    const state = new IncrementalText((ids) => utf8.decode(Uint8Array.from(ids.flatMap((id) => tokens[id]!))));
    expect([state.push(0), state.push(1), state.push(2), state.finish()]).toEqual(['', '🙂', '明', '']);
  });

  it('stops at the first stop string to appear, as generation cannot wait for a longer one', () => {
    const chars = [...'abcdx'];
    const state = new IncrementalText((ids) => ids.map((i) => chars[i]).join(''), ['abcd', 'c']);
    expect([0, 1, 2, 3].map((id) => state.push(id)).join('') + state.finish()).toBe('ab');
    expect(state.stopped).toBe(true);
  });

  it('chunks are whole characters and join to the decoded text', () => {
    fc.assert(
      fc.property(text, (s) => {
        const ids = tokenizer.encode(s);
        const { chunks, state } = feed(ids, []);
        expect(chunks.join('')).toBe(s);
        expect(state.text).toBe(s);
        for (const chunk of chunks) expect(chunk.includes('\uFFFD')).toBe(false);
      }),
      { numRuns: runs, seed },
    );
  }, 120_000);

  it('with stop strings: the text ends before the first one, and nothing after it is released', () => {
    fc.assert(
      fc.property(text, fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }), { maxLength: 3 }), fc.nat(), (s, extra, pick) => {
        // One stop string taken from the text itself (when it has one), so stops do occur.
        const chars = [...s];
        const from = chars.length === 0 ? 0 : pick % chars.length;
        const stops = [...extra, ...(chars.length > 0 ? [chars.slice(from, from + 1 + (pick % 3)).join('')] : [])];
        const ids = tokenizer.encode(s);
        const { chunks, state } = feed(ids, stops);
        // Reference: the first token after which the (whole-character) text holds a stop string;
        // the text is cut where the earliest one in it starts.
        let expected = s;
        let stopped = false;
        for (let k = 1; k <= ids.length && !stopped; k++) {
          const decoded = tokenizer.decode(ids.slice(0, k));
          if (decoded.endsWith('\uFFFD')) continue;
          const hits = stops.map((stop) => decoded.indexOf(stop)).filter((i) => i >= 0);
          if (hits.length > 0) [expected, stopped] = [decoded.slice(0, Math.min(...hits)), true];
        }
        expect(state.text).toBe(expected);
        expect(chunks.join('')).toBe(expected);
        expect(state.stopped).toBe(stopped);
      }),
      { numRuns: runs, seed },
    );
  }, 120_000);
});
