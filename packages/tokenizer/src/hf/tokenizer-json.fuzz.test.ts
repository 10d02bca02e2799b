import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CaseTimer, fuzzParameters, fuzzText, loadsOrRefuses } from '../test-support/fuzz';
import { Tokenizer } from './tokenizer';

/**
 * tokenizer.json from anyone: valid files (ours, a GPT-2-style one, a BERT WordPiece one) mutated
 * at random (truncated, bytes flipped, numbers grown, values swapped for other types, keys
 * repeated, nesting deepened). Every case either loads or throws TokenizerError; a loaded
 * byte-level tokenizer whose text pipeline was left alone round-trips any text, and encode is
 * linear-size (at most one id per UTF-8 byte plus the template's tokens).
 */
const FIXTURES = ['trained-bpe.tokenizer.json', 'gpt2-style.tokenizer.json', 'bert-wordpiece.tokenizer.json'].map((name) =>
  readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8'),
);
const PARSED = FIXTURES.map((text) => JSON.parse(text) as Record<string, unknown>);
const SECTIONS = ['model', 'pre_tokenizer', 'normalizer', 'decoder', 'post_processor', 'added_tokens'] as const;
const WEIRD: unknown[] = [
  null,
  [],
  {},
  '',
  'x',
  -1,
  1.5,
  2 ** 21,
  1e9,
  1e308,
  true,
  { type: '__proto__' },
  { type: 'constructor' },
  { type: 'Sequence' },
  [[[[]]]],
  '\u0000',
];

const SEQUENCE_KEY: Record<(typeof SECTIONS)[number], string> = {
  model: 'pretokenizers',
  pre_tokenizer: 'pretokenizers',
  normalizer: 'normalizers',
  decoder: 'decoders',
  post_processor: 'processors',
  added_tokens: 'pretokenizers',
};
type Json = unknown;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A random container-and-key inside value, found by walking random children (bounded steps). */
function pickSlot(root: Json, steps: number[]): { parent: Record<string, Json> | Json[]; key: string | number } | null {
  let parent: Record<string, Json> | Json[] | null = null;
  let key: string | number = '';
  let node = root;
  for (const step of steps) {
    if (Array.isArray(node) && node.length > 0) {
      parent = node;
      key = step % node.length;
    } else if (node !== null && typeof node === 'object' && Object.keys(node).length > 0) {
      const keys = Object.keys(node);
      parent = node as Record<string, Json>;
      key = keys[step % keys.length]!;
    } else break;
    node = (parent as Record<string | number, Json>)[key];
    if (step % 3 === 0) break; // stop at varied depths
  }
  return parent === null ? null : { parent, key };
}

interface Mutated {
  readonly text: string;
  /** Whether the normalizer, pre-tokenizer, decoder and added tokens are untouched (so round trip must hold). */
  readonly pipelineIntact: boolean;
  readonly base: number;
}

const structural = fc
  .record({
    base: fc.nat(FIXTURES.length - 1),
    section: fc.constantFrom(...SECTIONS),
    steps: fc.array(fc.nat(5000), { minLength: 1, maxLength: 8 }),
    op: fc.constantFrom('weird', 'delete', 'grow', 'deepen', 'duplicate'),
    weird: fc.constantFrom(...WEIRD),
    depth: fc.integer({ min: 1, max: 80 }),
  })
  .map(({ base, section, steps, op, weird, depth }): Mutated => {
    const root = clone(PARSED[base]!);
    const target = root[section];
    const slot = target === null || typeof target !== 'object' ? null : pickSlot(target, steps);
    const container = slot ? (slot.parent as Record<string | number, Json>) : (root as Record<string | number, Json>);
    const key = slot ? slot.key : section;
    if (op === 'weird') container[key] = clone(weird);
    else if (op === 'delete') {
      if (Array.isArray(container) && typeof key === 'number') container.splice(key, 1);
      else delete container[key];
    } else if (op === 'grow') {
      const v = container[key];
      container[key] = typeof v === 'number' ? v * 2 ** (steps[0]! % 40) + 1 : typeof v === 'string' ? v.repeat(1 + (steps[0]! % 50)) : v;
    } else if (op === 'deepen') {
      let v = container[key];
      const list = SEQUENCE_KEY[section];
      for (let k = 0; k < depth; k++) v = steps[0]! % 2 === 0 ? [v] : { type: 'Sequence', [list]: [v] };
      container[key] = v;
    } else if (Array.isArray(container) && typeof key === 'number') container.push(clone(container[key]));
    return { text: JSON.stringify(root), pipelineIntact: section === 'model', base };
  });

const textual = fc
  .record({
    base: fc.nat(FIXTURES.length - 1),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    op: fc.constantFrom('truncate', 'flip', 'repeat-key', 'nest-text'),
    ch: fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '0', '9', '-', 'e', '\\', ' ', 'x', '\u0000', '\ud800'),
    depth: fc.integer({ min: 1, max: 100_000 }),
  })
  .map(({ base, at, op, ch, depth }): Mutated => {
    const text = FIXTURES[base]!;
    const i = Math.floor(at * (text.length - 1));
    let out: string;
    if (op === 'truncate') out = text.slice(0, i);
    else if (op === 'flip') out = text.slice(0, i) + ch + text.slice(i + 1);
    else if (op === 'repeat-key') {
      const brace = text.indexOf('{', i);
      out = brace < 0 ? text : `${text.slice(0, brace + 1)}"type": "Sequence", "vocab": ${ch === '0' ? '{}' : '[]'}, ${text.slice(brace + 1)}`;
    } else {
      const colon = text.indexOf(': ', i);
      out = colon < 0 ? text : `${text.slice(0, colon + 2)}${'['.repeat(depth)}1${']'.repeat(depth)}, "h1": ${text.slice(colon + 2)}`;
    }
    return { text: out, pipelineIntact: false, base };
  });

const timer = new CaseTimer();
afterAll(() => timer.report('tokenizer.json fuzz'));

describe('tokenizer.json fuzz: loads and round-trips, or throws TokenizerError', () => {
  it('structural and textual mutations of valid files', () => {
    let loaded = 0;
    let refused = 0;
    const originalPipeline = PARSED.map((p) => JSON.stringify([p['normalizer'], p['pre_tokenizer'], p['decoder'], p['added_tokens']]));
    fc.assert(
      fc.property(fc.oneof(structural, textual), fc.array(fuzzText, { minLength: 1, maxLength: 3 }), (mutated, texts) => {
        timer.time(`${mutated.text.length} chars`, () => {
          const tokenizer = loadsOrRefuses(() => Tokenizer.fromJSON(mutated.text));
          if (!tokenizer) {
            refused++;
            return;
          }
          loaded++;
          const parsed = JSON.parse(mutated.text) as Record<string, unknown>;
          const intact =
            mutated.pipelineIntact &&
            JSON.stringify([parsed['normalizer'], parsed['pre_tokenizer'], parsed['decoder'], parsed['added_tokens']]) === originalPipeline[mutated.base] &&
            tokenizer.decoder?.toJSON()['type'] === 'ByteLevel' &&
            !JSON.stringify(parsed['pre_tokenizer']).includes('"add_prefix_space":true'); // HF keeps that space on decode
          for (const s of texts) {
            const ids = loadsOrRefuses(() => tokenizer.encode(s, { addSpecialTokens: false }));
            if (!ids) continue;
            expect(ids.length).toBeLessThanOrEqual(Buffer.byteLength(s) + 8);
            const decoded = loadsOrRefuses(() => tokenizer.decode(ids, { skipSpecialTokens: false }));
            if (intact) expect(decoded).toBe(s);
          }
        });
      }),
      fuzzParameters(300),
    );
    // Both outcomes occur, so neither half of the property is vacuous.
    expect(loaded).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    console.log(`tokenizer.json fuzz: ${loaded} mutated files loaded, ${refused} refused with TokenizerError`);
  });

  it('unmutated fixtures round-trip the same random texts (the property is not vacuous)', () => {
    const tokenizer = Tokenizer.fromJSON(FIXTURES[0]!);
    fc.assert(
      fc.property(fuzzText, (s) => {
        expect(tokenizer.decode(tokenizer.encode(s, { addSpecialTokens: false }), { skipSpecialTokens: false })).toBe(s);
      }),
      fuzzParameters(150),
    );
  });
});
