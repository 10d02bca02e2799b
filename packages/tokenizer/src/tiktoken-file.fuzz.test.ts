import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTiktoken } from './get-encoding';
import { base64Of, singleByteRankLines } from './test-support/rank-files';
import { CaseTimer, fuzzParameters, fuzzText, loadsOrRefuses } from './test-support/fuzz';
import { parseTiktokenRanks } from './tiktoken-file';

/**
 * `.tiktoken` files from anyone: a valid small file (the 256 single bytes plus random multi-byte
 * tokens) mutated at random: truncated, a byte flipped, a rank grown (up to 1e12), a line
 * dropped, repeated or swapped, garbage inserted. Every case either loads (and then encodes any
 * text so that decode gives it back) or throws TokenizerError; memory is bounded by the file
 * (ranks are checked against the line count before anything is sized by them).
 */
const extraToken = fc.uint8Array({ minLength: 2, maxLength: 8 });

const validFile = fc.uniqueArray(extraToken, { maxLength: 40, selector: (b) => Array.from(b).join(',') }).map((extra) => {
  const lines = singleByteRankLines();
  extra.forEach((bytes, i) => lines.push(`${base64Of(bytes)} ${256 + i}`));
  return lines;
});

const mutation = fc.record({
  op: fc.constantFrom('none', 'truncate', 'flip', 'grow-rank', 'drop-line', 'repeat-line', 'swap-ranks', 'garbage', 'crlf'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  other: fc.double({ min: 0, max: 1, noNaN: true }),
  rank: fc.constantFrom(-1, 255, 256, 1e4, 2 ** 21, 1e9, 1e12, 2 ** 31),
  garbage: fc.string({ unit: 'binary', maxLength: 12 }),
});

function mutate(lines: string[], m: { op: string; at: number; other: number; rank: number; garbage: string }): string {
  const out = lines.slice();
  const i = Math.min(out.length - 1, Math.floor(m.at * out.length));
  const j = Math.min(out.length - 1, Math.floor(m.other * out.length));
  switch (m.op) {
    case 'truncate': {
      const text = out.join('\n');
      return text.slice(0, Math.floor(m.at * text.length));
    }
    case 'flip': {
      const text = out.join('\n');
      const k = Math.floor(m.at * (text.length - 1));
      return text.slice(0, k) + m.garbage.slice(0, 1) + text.slice(k + 1);
    }
    case 'grow-rank':
      out[i] = `${out[i]!.split(' ')[0]} ${m.rank}`;
      break;
    case 'drop-line':
      out.splice(i, 1);
      break;
    case 'repeat-line':
      out.splice(j, 0, out[i]!);
      break;
    case 'swap-ranks': {
      const [a, ra] = out[i]!.split(' ');
      const [b, rb] = out[j]!.split(' ');
      out[i] = `${a} ${rb}`;
      out[j] = `${b} ${ra}`;
      break;
    }
    case 'garbage':
      out.splice(i, 0, m.garbage);
      break;
    case 'crlf':
      return out.join('\r\n');
  }
  return out.join('\n');
}

const timer = new CaseTimer();
afterAll(() => timer.report('.tiktoken fuzz'));

describe('.tiktoken fuzz: loads and round-trips, or throws TokenizerError', () => {
  it('mutations of valid rank files', () => {
    let loaded = 0;
    let refused = 0;
    fc.assert(
      fc.property(validFile, mutation, fc.array(fuzzText, { minLength: 1, maxLength: 3 }), (lines, m, texts) => {
        const text = mutate(lines, m);
        timer.time(m.op, () => {
          const vocab = loadsOrRefuses(() => parseTiktokenRanks(text));
          if (!vocab) {
            refused++;
            return;
          }
          loaded++;
          expect(vocab.size).toBeLessThanOrEqual(2 * text.length + 1024);
          const encoding = loadTiktoken(text, { pattern: 'cl100k', specialTokens: { '<|endoftext|>': vocab.size } });
          for (const s of texts) {
            const ids = encoding.encode(s, { allowedSpecial: 'all' });
            expect(ids.length).toBeLessThanOrEqual(Buffer.byteLength(s));
            expect(encoding.decode(ids)).toBe(s);
          }
        });
      }),
      fuzzParameters(300),
    );
    expect(loaded).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    console.log(`.tiktoken fuzz: ${loaded} files loaded, ${refused} refused with TokenizerError`);
  });

  it('random bytes are refused with TokenizerError (or load, if they happen to be valid)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        loadsOrRefuses(() => parseTiktokenRanks(bytes));
      }),
      fuzzParameters(300),
    );
  });
});
