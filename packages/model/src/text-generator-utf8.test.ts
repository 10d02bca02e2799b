/**
 * TextGenerator's `constrainUtf8` on a hand-built byte-level tokenizer and a hand-built model
 * whose greedy path is known: a GPT whose blocks add nothing, so its logits are a bigram table
 * (the next token's scores depend on the last token only).
 */
import { keep, setBackend, tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { loadTiktoken, type Encoding } from '@wattformer/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomGptParameters } from './__fixtures__/random-gpt';
import { generate } from './generate';
import type { GptParameters } from './gpt';
import type { GptConfig } from './gpt-config';
import { TextGenerator } from './text-generator';

const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');
const NI = [0xe4, 0xbd, 0xa0]; // 你
const HAO = [0xe5, 0xa5, 0xbd]; // 好
// Ranks: the 256 bytes, then 你's first two bytes, 你, 好's first two bytes, 好; <|endoftext|> special.
const merges = [NI.slice(0, 2), NI, HAO.slice(0, 2), HAO];
const NI_HEAD = 256;
const NI_ID = 257;
const HAO_ID = 259;
const EOS = 260;
const V = 261;
const byte = (b: number) => b; // a byte's token id is its value
let tokenizer: Encoding;

beforeAll(async () => {
  await setBackend('wasm');
  const lines = [...Array.from({ length: 256 }, (_, b) => [b]), ...merges].map((bytes, rank) => `${b64(bytes)} ${rank}`);
  tokenizer = loadTiktoken(lines.join('\n'), { pattern: 'cl100k', specialTokens: { '<|endoftext|>': EOS } });
  expect(tokenizer.decode([NI_ID, HAO_ID])).toBe('你好');
});

/**
 * A GPT whose logits after token x are `scale · table[x]` (unlisted x: `table.other`). Blocks'
 * output projections are zero, so the residual stream is the token embedding alone; embeddings are
 * e_slot − e_{K+slot} (mean 0), so the final LayerNorm only scales them, and the LM head reads the row.
 */
function bigramGpt(table: Map<number, Map<number, number>>): { parameters: GptParameters; config: GptConfig } {
  const sources = [...table.keys()];
  const K = sources.length + 1; // the last slot: every other token
  const C = 2 * K;
  const config: GptConfig = { vocabSize: V, contextLength: 32, modelDim: C, layers: 1, heads: 1, mlpDim: 4, tiedEmbeddings: false };
  const slot = (x: number) => (table.has(x) ? sources.indexOf(x) : K - 1);
  const wte = new Float32Array(V * C);
  for (let x = 0; x < V; x++) {
    wte[x * C + slot(x)] = 1;
    wte[x * C + K + slot(x)] = -1;
  }
  const head = new Float32Array(V * C);
  for (let j = 0; j < V; j++) {
    for (let s = 0; s < K; s++) head[j * C + s] = s < sources.length ? (table.get(sources[s]!)!.get(j) ?? 0) : j === EOS ? 1 : 0;
  }
  const zeros = (...shape: number[]) => keep(tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape));
  const ones = (n: number) => keep(tensor(new Float32Array(n).fill(1), [n]));
  const parameters: GptParameters = new Map([
    ['transformer.wte.weight', keep(tensor(wte, [V, C]))],
    ['transformer.wpe.weight', zeros(config.contextLength, C)],
    ['transformer.h.0.ln_1.weight', ones(C)],
    ['transformer.h.0.ln_1.bias', zeros(C)],
    ['transformer.h.0.attn.c_attn.weight', zeros(C, 3 * C)],
    ['transformer.h.0.attn.c_attn.bias', zeros(3 * C)],
    ['transformer.h.0.attn.c_proj.weight', zeros(C, C)],
    ['transformer.h.0.attn.c_proj.bias', zeros(C)],
    ['transformer.h.0.ln_2.weight', ones(C)],
    ['transformer.h.0.ln_2.bias', zeros(C)],
    ['transformer.h.0.mlp.c_fc.weight', zeros(C, 4)],
    ['transformer.h.0.mlp.c_fc.bias', zeros(4)],
    ['transformer.h.0.mlp.c_proj.weight', zeros(4, C)],
    ['transformer.h.0.mlp.c_proj.bias', zeros(C)],
    ['transformer.ln_f.weight', ones(C)],
    ['transformer.ln_f.bias', zeros(C)],
    ['lm_head.weight', keep(tensor(head, [V, C]))],
  ]);
  return { parameters, config };
}

const A = byte(0x41);
const B = byte(0x42);
const C_ = byte(0x43);
const prefers = (...ranked: number[]) => new Map(ranked.map((id, k) => [id, 10 - k]));

// Greedy paths (first choice, then second):
//   'A' → E4 (a lone lead byte) → 'A' (ill-formed: E4 41) | BD → A0 (你 complete) → 'A' …
//   'B' → 你 → 'B' …           (whole characters: well-formed either way)
//   'C' → E4 BD → <|endoftext|> (ends mid-character) | 80 (佀 = E4 BD 80) → <|endoftext|> (unlisted tokens' first choice)
const table = new Map<number, Map<number, number>>([
  [A, prefers(0xe4, NI_ID)],
  [0xe4, prefers(A, 0xbd)],
  [0xbd, prefers(0xa0)],
  [0xa0, prefers(A)],
  [B, prefers(NI_ID, HAO_ID)],
  [NI_ID, prefers(B)],
  [C_, prefers(NI_HEAD, A)],
  [NI_HEAD, prefers(EOS, 0x80)],
]);

describe('TextGenerator constrainUtf8 (a bigram model, greedy)', () => {
  it('the unconstrained argmax path is not UTF-8; the constrained one completes the character instead', async () => {
    const { parameters, config } = bigramGpt(table);
    const [raw] = await generate(parameters, config, [[A]], { maxNewTokens: 6 });
    expect(raw!.tokens).toEqual([0xe4, A, 0xe4, A, 0xe4, A]); // the model's own greedy choices
    const generator = new TextGenerator(parameters, config, tokenizer, { eosTokenId: EOS });
    expect(await generator.generate('A', { maxNewTokens: 6, constrainUtf8: false })).toBe('\uFFFDA\uFFFDA\uFFFDA');
    const [completion] = await generator.complete(['A'], { maxNewTokens: 8 });
    expect(completion!.tokens).toEqual([0xe4, 0xbd, 0xa0, A, 0xe4, 0xbd, 0xa0, A]);
    expect(completion!.text).toBe('你A你A');
    // Streaming gives the same text, in whole characters.
    const chunks: string[] = [];
    for await (const chunk of generator.stream('A', { maxNewTokens: 8 })) chunks.push(chunk);
    expect(chunks.join('')).toBe('你A你A');
    expect(chunks.some((c) => c.includes('\uFFFD'))).toBe(false);
  });

  it('greedy text that is well-formed without the constraint is the same with it', async () => {
    const { parameters, config } = bigramGpt(table);
    const generator = new TextGenerator(parameters, config, tokenizer, { eosTokenId: EOS });
    const free = await generator.complete(['B'], { maxNewTokens: 7, constrainUtf8: false });
    const constrained = await generator.complete(['B'], { maxNewTokens: 7 });
    expect(free[0]!.text).toBe('你B你B你B你');
    expect(constrained).toEqual(free);
  });

  it('the end-of-text token cannot end the text mid-character', async () => {
    const { parameters, config } = bigramGpt(table);
    const generator = new TextGenerator(parameters, config, tokenizer, { eosTokenId: EOS });
    const [free] = await generator.complete(['C'], { maxNewTokens: 5, constrainUtf8: false });
    expect(free).toMatchObject({ tokens: [NI_HEAD, EOS], text: '\uFFFD', finishReason: 'eos' });
    const [constrained] = await generator.complete(['C'], { maxNewTokens: 5 });
    expect(constrained).toMatchObject({ tokens: [NI_HEAD, 0x80, EOS], text: '佀', finishReason: 'eos' });
  });

  it('a character cut off by maxNewTokens is left out of the text (its tokens are kept)', async () => {
    const { parameters, config } = bigramGpt(table);
    const generator = new TextGenerator(parameters, config, tokenizer, { eosTokenId: EOS });
    for (const [max, text] of [
      [2, ''],
      [3, '你'],
      [5, '你A'],
      [6, '你A'],
      [7, '你A你'],
    ] as const) {
      const [completion] = await generator.complete(['A'], { maxNewTokens: max });
      expect(completion).toMatchObject({ text, finishReason: 'length' });
      expect(completion!.tokens).toHaveLength(max);
      let streamed = '';
      for await (const chunk of generator.stream('A', { maxNewTokens: max })) streamed += chunk;
      expect(streamed).toBe(text);
    }
    // Without the constraint the cut character shows as U+FFFD, as before.
    expect(await generator.generate('C', { maxNewTokens: 1, constrainUtf8: false })).toBe('\uFFFD');
  });

  it('past the context length, in a batch whose rows end at different steps, each row keeps its own state', async () => {
    const { parameters, config } = bigramGpt(table);
    const short = { ...config, contextLength: 6 };
    const generator = new TextGenerator(parameters, short, tokenizer, { eosTokenId: EOS });
    // 'C' ends after 3 tokens; 'A' goes on through several slides of the window (stride 2).
    const options = { maxNewTokens: 21, windowStride: 2 };
    const [c, a] = await generator.complete(['C', 'A'], options);
    expect(c).toMatchObject({ text: '佀', finishReason: 'eos' });
    expect(a).toMatchObject({ text: '你A你A你A你A你A', finishReason: 'length' }); // the 21st token, E4, is cut off
    expect(a!.tokens).toHaveLength(21);
    expect((await generator.complete(['A'], options))[0]).toEqual(a);
  });

  it('sampling (temperature, top-k, top-p) and batches stay well-formed; the same seed gives the same text', async () => {
    const { parameters, config } = bigramGpt(table);
    const generator = new TextGenerator(parameters, config, tokenizer, { eosTokenId: EOS });
    let freeBroken = 0;
    for (const options of [{ temperature: 0.7 }, { temperature: 1.5, topK: 3 }, { topP: 0.9 }, { temperature: 1, topK: 1 }]) {
      for (const seed of [1, 2, 3]) {
        const texts = await generator.generate(['A', 'B', 'C'], { ...options, seed, maxNewTokens: 12 });
        for (const text of texts) expect(text).not.toContain('\uFFFD');
        expect(await generator.generate(['A', 'B', 'C'], { ...options, seed, maxNewTokens: 12 })).toEqual(texts);
        const free = await generator.generate(['A', 'C'], { ...options, seed, maxNewTokens: 12, constrainUtf8: false });
        freeBroken += free.filter((text) => text.includes('\uFFFD')).length;
      }
    }
    expect(freeBroken).toBeGreaterThan(0); // the same draws without the constraint do break characters
  });

  it('refuses, with help, a tokenizer none of whose tokens can start well-formed text', async () => {
    const config: GptConfig = { vocabSize: 2, contextLength: 8, modelDim: 8, layers: 1, heads: 1, mlpDim: 8, tiedEmbeddings: true };
    const bytes = [[0xe4], [0xff]]; // a lead byte nothing can complete, and a byte UTF-8 never has
    const broken = {
      encode: () => [0],
      decode: (ids: readonly number[]) => new TextDecoder().decode(Uint8Array.from(ids.flatMap((id) => bytes[id]!))),
      tokenBytes: (id: number) => Uint8Array.from(bytes[id]!),
    };
    const generator = new TextGenerator(randomGptParameters(config, 1), config, broken, { eosTokenId: null });
    await expect(generator.generate('x', { maxNewTokens: 2 })).rejects.toThrow(
      /^model: TextGenerator: expected a tokenizer with at least one token of well-formed UTF-8 text \(constrainUtf8\), got none.*\nhelp: pass constrainUtf8: false/s,
    );
    expect(await generator.generate('x', { maxNewTokens: 2, constrainUtf8: false })).toContain('\uFFFD');
    generator.dispose();
  });
});
