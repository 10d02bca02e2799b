import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TokenizerError } from './errors';
import { getEncoding, loadTiktoken } from './get-encoding';
import type { BpeModel } from './hf/models/bpe-model';
import { Tokenizer } from './hf/tokenizer';
import { base64Of, rankFile, singleByteRankLines } from './test-support/rank-files';
import { parseTiktokenRanks } from './tiktoken-file';
import { trainBpe } from './train/train-bpe';

/**
 * The tokenizer rows of issue #12 ("Untrusted files are safe"), one test each: every crafted
 * input now gets the package's error, or the right ids, without blowing up time or memory.
 * The timings themselves are in bench/worst-case-bench.ts (tests never assert a time).
 */
const fixtureText = readFileSync(new URL('./__fixtures__/trained-bpe.tokenizer.json', import.meta.url), 'utf8');
// biome-ignore lint/suspicious/noExplicitAny: the test edits arbitrary fields of a tokenizer.json to make it hostile
const fixture = (): Record<string, any> => JSON.parse(fixtureText) as Record<string, any>;

function errorOf(fn: () => unknown): TokenizerError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TokenizerError) return e;
    throw new Error(`expected a TokenizerError, got ${String(e)}`);
  }
  throw new Error('no error thrown');
}

/** The merge loop as HF defines it (rescan for the lowest-rank pair after every merge): the oracle. */
function naiveBpe(model: BpeModel, piece: string): number[] {
  const ranks = new Map<string, number>();
  model.options.merges.forEach(([a, b], rank) => {
    const key = `${a} ${b}`;
    if (!ranks.has(key)) ranks.set(key, rank);
  });
  const symbols = Array.from(piece);
  for (;;) {
    let best = Infinity;
    let at = -1;
    for (let k = 0; k + 1 < symbols.length; k++) {
      const r = ranks.get(`${symbols[k]} ${symbols[k + 1]}`);
      if (r !== undefined && r < best) {
        best = r;
        at = k;
      }
    }
    if (at < 0) break;
    symbols.splice(at, 2, symbols[at]! + symbols[at + 1]!);
  }
  return symbols.map((s) => model.tokenToId(s)!);
}

describe('issue #12 tokenizer rows', () => {
  it('row "added token "", trainBpe specialTokens [\'\'], tiktoken special \'\'": refused with the package error', async () => {
    const json = fixture();
    json['added_tokens'].push({ id: 1000, content: '', special: true });
    const e1 = errorOf(() => Tokenizer.fromJSON(JSON.stringify(json)));
    expect(e1.code).toBe('E_MALFORMED_TOKENIZER_JSON');
    expect(e1.message).toContain('expected added_tokens[2].content to be a non-empty string');

    await expect(trainBpe('some text', { vocabSize: 300, specialTokens: [''] })).rejects.toThrow(/expected specialTokens to be non-empty strings/);

    const e3 = errorOf(() => loadTiktoken(rankFile(), { pattern: 'cl100k', specialTokens: { '': 300 } }));
    expect(e3.code).toBe('E_ARGUMENT');
    expect(e3.message).toContain('expected special tokens that are non-empty strings');
  });

  it('row "HF BPE model, 100 KB of one letter / of spaces": heap merge gives the rescan\'s ids, and 100 KB round-trips', () => {
    const tokenizer = Tokenizer.fromJSON(fixtureText);
    const model = tokenizer.model as BpeModel;
    for (const piece of ['a'.repeat(3000), 'Ġ'.repeat(3000), 'ab'.repeat(1500), 'theĠ'.repeat(700)]) {
      expect(model.tokenize(piece)).toEqual(naiveBpe(model, piece));
    }
    for (const text of ['a'.repeat(100_000), ' '.repeat(100_000), `x${' '.repeat(100_000)}y`]) {
      const ids = tokenizer.encode(text);
      expect(tokenizer.decode(ids)).toBe(text);
      expect(ids.length).toBeLessThanOrEqual(text.length);
    }
  });

  it('row "encode(s, { allowedSpecial: \'all\' }) on repeated <|endoftext|>": one id per token (tiktoken and HF added tokens)', async () => {
    const enc = await getEncoding('cl100k_base');
    const count = 80_000; // ~1 MB of text
    const text = '<|endoftext|>'.repeat(count);
    const ids = enc.encode(text, { allowedSpecial: 'all' });
    expect(ids.length).toBe(count);
    expect(ids.every((id) => id === 100257)).toBe(true);
    expect(() => enc.encode(text)).toThrow(/expected text without disallowed special tokens, got "<\|endoftext\|>" at index 0/);
    expect(enc.encode(`a<|fim_prefix|>b<|endoftext|>`, { allowedSpecial: 'all' })).toEqual([64, 100258, 65, 100257]);

    const tokenizer = Tokenizer.fromJSON(fixtureText);
    const hf = tokenizer.encode('<|endoftext|><|pad|>'.repeat(count / 2));
    expect(hf.length).toBe(count);
    expect(hf.slice(0, 4)).toEqual([998, 999, 998, 999]);
  });

  it('row "Split pattern (a+)+$": runs on a linear-time engine (same spans as JS where JS is fast); lookaround is refused', () => {
    const json = fixture();
    json['pre_tokenizer'] = { type: 'Split', pattern: { Regex: '(a+)+$' }, behavior: 'Isolated', invert: false };
    json['model']['unk_token'] = null;
    const tokenizer = Tokenizer.fromJSON(JSON.stringify(json));
    const text = `${'a'.repeat(28)}!`;
    expect(tokenizer.preTokenizer!.preTokenize([text])).toEqual([text]); // $ fails: no match, one piece
    expect(tokenizer.preTokenizer!.preTokenize(['xaaa'])).toEqual(['x', 'aaa']);
    expect(tokenizer.decode(tokenizer.encode(`${'a'.repeat(100_000)}!`))).toBe(`${'a'.repeat(100_000)}!`);

    json['pre_tokenizer'] = { type: 'Split', pattern: { Regex: 'a(?=b)' }, behavior: 'Isolated', invert: false };
    const e = errorOf(() => Tokenizer.fromJSON(JSON.stringify(json)));
    expect(e.code).toBe('E_UNSUPPORTED');
    expect(e.message).toContain('expected a split pattern a linear-time (RE2) regex engine can run, got "a(?=b)"');
    expect(e.message).toMatch(/\nhelp: lookaround/);
  });

  it('row "vocab with duplicate ids, or an id ≥ 2^21": refused, not wrong ids', () => {
    const dup = fixture();
    dup['model']['vocab']['zzz'] = 5;
    const e1 = errorOf(() => Tokenizer.fromJSON(JSON.stringify(dup)));
    expect(e1.code).toBe('E_MALFORMED_TOKENIZER_JSON');
    expect(e1.message).toMatch(/expected model\.vocab to give each token its own id, got id 5 for both ".*" and "zzz"/);

    const big = fixture();
    big['model']['vocab']['zzz'] = 2 ** 21;
    expect(errorOf(() => Tokenizer.fromJSON(JSON.stringify(big))).message).toContain(
      'expected model.vocab ids to be integers in 0..2097151, got 2097152 for "zzz"',
    );

    const wordPiece = JSON.parse(readFileSync(new URL('./__fixtures__/bert-wordpiece.tokenizer.json', import.meta.url), 'utf8'));
    wordPiece['model']['vocab']['zzz'] = 3;
    expect(errorOf(() => Tokenizer.fromJSON(wordPiece)).message).toContain('expected model.vocab to give each token its own id, got id 3');
  });

  it('row ".tiktoken missing a single-byte rank; rank 1e9": an error naming the byte; the rank refused before allocating', () => {
    const lines = singleByteRankLines().filter((_, b) => b !== 0x41);
    const e1 = errorOf(() => parseTiktokenRanks(lines.join('\n')));
    expect(e1.code).toBe('E_MALFORMED_RANKS');
    expect(e1.message).toContain('expected a rank for each of the 256 single bytes, got none for byte 0x41 ("A")');

    const before = process.memoryUsage().arrayBuffers;
    const huge = `${rankFile()}${base64Of(Uint8Array.of(1, 2))} 1000000000\n`;
    expect(huge.length).toBeLessThan(3000);
    const e2 = errorOf(() => parseTiktokenRanks(huge));
    expect(e2.code).toBe('E_MALFORMED_RANKS');
    expect(e2.message).toMatch(
      /expected a rank below \d{4} \(a file of \d+ lines numbers its tokens 0\.\.\d+, give or take gaps\), got rank 1000000000 on line 257/,
    );
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('row "one 200K-letter word through an HF tokenizer": no stack overflow, ids round-trip', () => {
    const tokenizer = Tokenizer.fromJSON(fixtureText);
    const word = 'z'.repeat(200_000);
    const ids = tokenizer.encode(word);
    expect(tokenizer.decode(ids)).toBe(word);
    const bert = Tokenizer.fromJSON(readFileSync(new URL('./__fixtures__/bert-wordpiece.tokenizer.json', import.meta.url), 'utf8'));
    expect(bert.encode(`${'z'.repeat(200_000)} hello`).length).toBeGreaterThan(2);
  });

  it('row "100k-deep JSON, tokenizer type __proto__, deep Sequence": the package error, not a TypeError or stack overflow', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const e1 = errorOf(() => Tokenizer.fromJSON(deep));
    expect(e1.code).toBe('E_MALFORMED_TOKENIZER_JSON');
    expect(e1.message).toContain('expected JSON nested at most 64 levels deep');

    for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      for (const stage of ['model', 'pre_tokenizer', 'normalizer', 'decoder', 'post_processor']) {
        const json = fixture();
        json[stage] = { type };
        const e = errorOf(() => Tokenizer.fromJSON(JSON.stringify(json)));
        expect(e.code).toBe('E_UNKNOWN_CHOICE');
        expect(e.message).toContain(`expected ${stage}.type to be one of`);
      }
    }

    let nested: Record<string, unknown> = { type: 'ByteLevel' };
    for (let k = 0; k < 40; k++) nested = { type: 'Sequence', pretokenizers: [nested] };
    const json = fixture();
    json['pre_tokenizer'] = nested;
    const e3 = errorOf(() => Tokenizer.fromJSON(json));
    expect(e3.message).toMatch(/expected pre_tokenizer(\.pretokenizers\[0\])+ to be nested at most 16 Sequence stages deep/);
  });
});
