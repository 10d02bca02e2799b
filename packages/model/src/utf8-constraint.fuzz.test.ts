/**
 * Property: whatever the logits, text generated under the UTF-8 constraint never contains U+FFFD
 * and round-trips through encode; streamed, no chunk has U+FFFD and the chunks join to the text.
 * Over real byte-level BPE vocabularies: one trained by `trainBpe` on Chinese text (few merges,
 * so most characters are 2–3 byte tokens) and the packaged cl100k_base ranks.
 */
import { setBackend } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { getEncoding, trainBpe, type Encoding, type Tokenizer } from '@wattformer/tokenizer';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomGptParameters } from './__fixtures__/random-gpt';
import type { GptConfig } from './gpt-config';
import { IncrementalText } from './incremental-text';
import { pickToken, type SamplingOptions } from './sampling';
import { TextGenerator } from './text-generator';
import type { TextTokenizer } from './text-tokenizer';
import { tokenBytesSource, UTF8_COMPLETE, Utf8Constraint, utf8Run } from './utf8-constraint';

const runs = Number(process.env.WATTFORMER_FUZZ_RUNS ?? 150);
const seed = Number(process.env.WATTFORMER_FUZZ_SEED ?? 20261206);

// Classical poems (Tang, public domain), simplified characters, and a little of everything else.
const CHINESE = [
  '床前明月光，疑是地上霜。举头望明月，低头思故乡。',
  '春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。',
  '白日依山尽，黄河入海流。欲穷千里目，更上一层楼。',
  '红豆生南国，春来发几枝。愿君多采撷，此物最相思。',
  '千山鸟飞绝，万径人踪灭。孤舟蓑笠翁，独钓寒江雪。',
  '空山不见人，但闻人语响。返景入深林，复照青苔上。',
  '慈母手中线，游子身上衣。临行密密缝，意恐迟迟归。',
  '《静夜思》李白 🌕 moonlight, naïve café; 日本語と한국어 too.',
].join('\n');

let chinese: Tokenizer;
let cl100k: Encoding;
beforeAll(async () => {
  await setBackend('wasm');
  chinese = await trainBpe(CHINESE, { vocabSize: 256 + 120, minFrequency: 2, specialTokens: ['<|endoftext|>'] });
  cl100k = await getEncoding('cl100k_base');
});

/** mulberry32: the logits of one run from its seed. */
function random(seedValue: number): () => number {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const sampling: fc.Arbitrary<SamplingOptions> = fc.oneof(
  fc.constant({ sample: false }),
  fc.record({ sample: fc.constant(true), temperature: fc.double({ min: 0.2, max: 3, noNaN: true }) }),
  fc.record({ sample: fc.constant(true), topK: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ sample: fc.constant(true), topP: fc.double({ min: 0.05, max: 1, noNaN: true }), temperature: fc.double({ min: 0.5, max: 2, noNaN: true }) }),
);

/** Per id: 1 when its bytes are not whole characters (a lead or continuation byte…), where ill-formed text comes from. */
const partialTokens = new Map<object, Uint8Array>();
function partialOf(tokenizer: TextTokenizer, V: number): Uint8Array {
  let partial = partialTokens.get(tokenizer);
  if (partial) return partial;
  const bytesOf = tokenBytesSource(tokenizer);
  partial = new Uint8Array(V);
  for (let id = 0; id < V; id++) {
    const bytes = bytesOf(id);
    partial[id] = bytes !== undefined && utf8Run(0, bytes) !== 0 ? 1 : 0;
  }
  partialTokens.set(tokenizer, partial);
  return partial;
}

/**
 * One row generated as TextGenerator does it (mask by the row's state, pick, advance, decode
 * incrementally, drop a cut-off character at the end), from random logits that favour, by
 * `byteBias`, the tokens that are not whole characters.
 */
function generateRow(
  tokenizer: TextTokenizer,
  V: number,
  constraint: Utf8Constraint,
  eos: number,
  run: { seed: number; steps: number; byteBias: number; options: SamplingOptions },
) {
  const next = random(run.seed);
  const partial = partialOf(tokenizer, V);
  const text = new IncrementalText((ids) => tokenizer.decode(ids));
  const chunks: string[] = [];
  const logits = new Float32Array(V);
  let state = UTF8_COMPLETE;
  let free = false; // would the unconstrained choice have been ill-formed?
  for (let step = 0; step < run.steps; step++) {
    for (let id = 0; id < V; id++) logits[id] = 4 * next() + partial[id]! * run.byteBias;
    const unconstrained = pickToken(logits.slice(), run.options, 0.5);
    if (!constraint.allows(state, unconstrained)) free = true;
    constraint.mask(logits, state, [eos]);
    const token = pickToken(logits, run.options, next());
    if (token === eos) break;
    state = constraint.advance(state, token);
    expect(state).toBeGreaterThanOrEqual(0);
    chunks.push(text.push(token));
  }
  chunks.push(text.finish({ dropIncomplete: state !== UTF8_COMPLETE }));
  return { text: text.text, chunks, free };
}

/** Runs the property over `tokenizer`; returns how many runs would have broken a character unconstrained. */
function checkRuns(tokenizer: TextTokenizer & { encode(text: string): readonly number[] }, V: number, eos: number, maxSteps: number, numRuns: number): number {
  const constraint = Utf8Constraint.forTokenizer(tokenizer, V);
  expect(constraint).not.toBeNull();
  let brokenWithout = 0;
  fc.assert(
    fc.property(fc.record({ seed: fc.nat(), steps: fc.integer({ min: 1, max: maxSteps }), byteBias: fc.constantFrom(0, 2, 6), options: sampling }), (run) => {
      const row = generateRow(tokenizer, V, constraint!, eos, run);
      expect(row.text).not.toContain('\uFFFD');
      for (const chunk of row.chunks) expect(chunk).not.toContain('\uFFFD');
      expect(row.chunks.join('')).toBe(row.text);
      expect(tokenizer.decode(tokenizer.encode(row.text))).toBe(row.text);
      if (row.free) brokenWithout++;
    }),
    { numRuns, seed },
  );
  return brokenWithout;
}

describe('Utf8Constraint (fuzz): random logits over byte-level BPE vocabularies', () => {
  it('a BPE trained on Chinese text by trainBpe (a few hundred tokens)', () => {
    expect(chinese.vocabSize).toBeGreaterThan(300);
    const broken = checkRuns(chinese, chinese.vocabSize, chinese.tokenToId('<|endoftext|>')!, 40, runs);
    // The logits were adversarial: unconstrained, many runs would have broken a character.
    expect(broken).toBeGreaterThan(runs / 4);
  });

  it('cl100k_base (100,277 tokens)', () => {
    const n = Math.max(1, Math.ceil(runs / 10)); // each step sorts 100k logits twice
    const broken = checkRuns(cl100k, cl100k.vocabSize, cl100k.encode('<|endoftext|>', { allowedSpecial: 'all' })[0]!, 12, n);
    expect(broken).toBeGreaterThan(0);
  }, 120_000);
});

describe('TextGenerator (fuzz): random GPTs, prompts and sampling options on the Chinese BPE', () => {
  it('text and stream chunks never contain U+FFFD; chunks join to generate(); text round-trips', async () => {
    const V = chinese.vocabSize;
    const config: GptConfig = { vocabSize: V, contextLength: 24, modelDim: 16, layers: 1, heads: 2, mlpDim: 32, tiedEmbeddings: true };
    const lines = CHINESE.split('\n');
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          model: fc.integer({ min: 1, max: 6 }),
          prompt: fc.tuple(fc.nat(), fc.integer({ min: 1, max: 8 })).map(([at, len]) => [...lines[at % lines.length]!].slice(0, len).join('')),
          maxNewTokens: fc.integer({ min: 1, max: 40 }),
          options: fc.oneof(
            fc.constant({}),
            fc.record({ temperature: fc.double({ min: 0.3, max: 2.5, noNaN: true }), seed: fc.nat() }),
            fc.record({ topK: fc.integer({ min: 1, max: 20 }), seed: fc.nat() }),
            fc.record({ topP: fc.double({ min: 0.1, max: 1, noNaN: true }), seed: fc.nat() }),
          ),
          stop: fc.option(fc.constantFrom('。', '，', '\n'), { nil: undefined }),
        }),
        async ({ model, prompt, maxNewTokens, options, stop }) => {
          const generator = generators.get(model) ?? new TextGenerator(randomGptParameters(config, model), config, chinese);
          generators.set(model, generator);
          const all = { ...options, maxNewTokens, ...(stop ? { stop } : {}) };
          const [completion] = await generator.complete([prompt], all);
          expect(completion!.text).not.toContain('\uFFFD');
          expect(chinese.decode(chinese.encode(completion!.text))).toBe(completion!.text);
          const chunks: string[] = [];
          for await (const chunk of generator.stream(prompt, all)) chunks.push(chunk);
          for (const chunk of chunks) expect(chunk).not.toContain('\uFFFD');
          expect(chunks.join('')).toBe(completion!.text);
        },
      ),
      { numRuns: Math.max(1, Math.ceil(runs / 3)), seed },
    );
    for (const generator of generators.values()) generator.dispose();
  }, 120_000);
  const generators = new Map<number, TextGenerator>();
});
