import { noGrad, setBackend, tensor, tidy, WattformerError } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { CharTokenizer, trainBpe, type Tokenizer } from '@wattformer/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomGptParameters } from './__fixtures__/random-gpt';
import { generate } from './generate';
import { gptLogits, type GptParameters } from './gpt';
import type { GptConfig } from './gpt-config';
import { argmax } from './sampling';
import { TextGenerator } from './text-generator';
import { defaultWindowStride, generateWindowed } from './windowed-generate';

const corpus = 'To be, or not to be: that is the question.\n床前明月光，疑是地上霜。举头望明月，低头思故乡。🙂🚀 naïve café\n';

let bpe: Tokenizer;
const chars = CharTokenizer.fromText(corpus, { specialTokens: ['<|endoftext|>'] });

beforeAll(async () => {
  await setBackend('wasm');
  // Few merges: most CJK characters and emoji stay split over 3–4 byte tokens.
  bpe = await trainBpe(corpus, { vocabSize: 256 + 24 + 1, specialTokens: ['<|endoftext|>'], minFrequency: 2 });
});

const configFor = (vocabSize: number, contextLength = 32): GptConfig => ({
  vocabSize,
  contextLength,
  modelDim: 32,
  layers: 2,
  heads: 4,
  mlpDim: 64,
  tiedEmbeddings: true,
});

describe('TextGenerator', () => {
  it('greedy text is the decoded tokens of generate(); the prompt is not repeated', async () => {
    const config = configFor(chars.vocabSize, 64);
    const parameters = randomGptParameters(config, 11);
    const generator = new TextGenerator(parameters, config, chars, { eosTokenId: null });
    const text = await generator.generate('To be', { maxNewTokens: 20 });
    const [tokens] = await generate(parameters, config, [chars.encode('To be')], { maxNewTokens: 20 });
    expect(text).toBe(chars.decode(tokens!.tokens));
    expect([...text]).toHaveLength(20);
  });

  it('streams byte-level BPE text without splitting a character; the chunks join to generate()', async () => {
    const config = configFor(bpe.vocabSize, 48);
    let sawSplit = false;
    for (const seed of [1, 2, 3]) {
      const parameters = randomGptParameters(config, seed);
      const generator = new TextGenerator(parameters, config, bpe, { eosTokenId: null });
      const options = { maxNewTokens: 40, temperature: 0.9, seed: 7 };
      const chunks: string[] = [];
      for await (const chunk of generator.stream('床前明月光', options)) chunks.push(chunk);
      const [completion] = await generator.complete(['床前明月光'], options);
      expect(chunks.join('')).toBe(completion!.text);
      // The text is the decoded tokens, less a character maxNewTokens cut off (constrainUtf8).
      const decoded = bpe.decode(completion!.tokens);
      expect([completion!.text, `${completion!.text}\uFFFD`]).toContain(decoded);
      // The chunks join to the decode of all tokens, so no boundary split a character (a split one
      // would show as U+FFFD inside a chunk), and with constrainUtf8 (the default) an untrained
      // model's bytes are well-formed UTF-8 too: no U+FFFD at all. Chunks are well-formed UTF-16.
      for (const chunk of chunks) expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\uFFFD/.test(chunk)).toBe(false);
      sawSplit ||= completion!.tokens.some((_t, i) => bpe.decode(completion!.tokens.slice(0, i + 1)).endsWith('\uFFFD'));
    }
    expect(sawSplit).toBe(true); // the test exercised held-back bytes
  });

  it('stop strings: the text ends before the first one, in generate() and stream()', async () => {
    const config = configFor(chars.vocabSize, 64);
    const parameters = randomGptParameters(config, 5);
    const generator = new TextGenerator(parameters, config, chars, { eosTokenId: null });
    const full = await generator.generate('that is', { maxNewTokens: 30 });
    const stop = full.slice(8, 10);
    const expected = full.slice(0, full.indexOf(stop));
    const [completion] = await generator.complete(['that is'], { maxNewTokens: 30, stop: ['never-seen', stop] });
    expect(completion!.text).toBe(expected);
    expect(completion!.finishReason).toBe('stop');
    expect(completion!.tokens.length).toBeLessThan(30); // generation stopped early
    const streamed: string[] = [];
    for await (const chunk of generator.stream('that is', { maxNewTokens: 30, stop })) streamed.push(chunk);
    expect(streamed.join('')).toBe(expected);
  });

  it('stops at the end-of-text id and leaves it out of the text', async () => {
    const config = configFor(chars.vocabSize, 64);
    const parameters = randomGptParameters(config, 5);
    const plain = new TextGenerator(parameters, config, chars, { eosTokenId: null });
    const [all] = await plain.complete(['that is'], { maxNewTokens: 30 });
    const eos = all!.tokens[6]!;
    const first = all!.tokens.indexOf(eos);
    const generator = new TextGenerator(parameters, config, chars, { eosTokenId: eos });
    const [completion] = await generator.complete(['that is'], { maxNewTokens: 30 });
    expect(completion!.finishReason).toBe('eos');
    expect(completion!.tokens).toEqual(all!.tokens.slice(0, first + 1));
    expect(completion!.text).toBe(chars.decode(all!.tokens.slice(0, first)));
    // The char tokenizer's '<|endoftext|>' is found by name when no id is given.
    expect(new TextGenerator(parameters, config, { ...wrap(chars), tokenToId: (t) => (t === '<|endoftext|>' ? 7 : undefined) }).eosTokenIds).toEqual([7]);
  });

  it('a batch gives each prompt what it gets alone (greedy and seeded sampling)', async () => {
    const config = configFor(bpe.vocabSize, 48);
    const parameters = randomGptParameters(config, 8);
    const generator = new TextGenerator(parameters, config, bpe, { eosTokenId: null });
    const prompts = ['To be, or not', '举头望明月', 'q'];
    for (const options of [{ maxNewTokens: 12 }, { maxNewTokens: 12, topK: 20, seed: 3 }]) {
      const batch = await generator.generate(prompts, options);
      expect(batch).toHaveLength(3);
      expect(batch[0]).toBe(await generator.generate(prompts[0]!, options));
      if (options.topK === undefined) for (const [i, p] of prompts.entries()) expect(batch[i]).toBe(await generator.generate(p, options));
    }
    const again = await generator.generate(prompts, { maxNewTokens: 12, topK: 20, seed: 3 });
    expect(again).toEqual(await generator.generate(prompts, { maxNewTokens: 12, topK: 20, seed: 3 }));
    expect(again).not.toEqual(await generator.generate(prompts, { maxNewTokens: 12, topK: 20, seed: 4 }));
  });

  it('never generates model ids the tokenizer cannot decode (a vocabulary padded past the tokenizer)', async () => {
    const config = configFor(chars.vocabSize + 40, 64);
    const parameters = randomGptParameters(config, 12);
    const padded = new TextGenerator(parameters, config, { ...wrap(chars), vocabSize: chars.vocabSize }, { eosTokenId: null });
    const [completion] = await padded.complete(['To be'], { maxNewTokens: 50, temperature: 3, seed: 1 });
    expect(completion!.tokens.every((id) => id < chars.vocabSize)).toBe(true);
    // Without the suppression, the same draws do reach the padding ids (the test can fail).
    const tokens = await generate(parameters, config, [chars.encode('To be')], { maxNewTokens: 50, sample: true, temperature: 3, seed: 1 });
    expect(tokens[0]!.tokens.some((id) => id >= chars.vocabSize)).toBe(true);
  });

  it('generate() refuses suppressTokens outside the vocabulary or covering all of it', async () => {
    const config = configFor(chars.vocabSize, 64);
    const parameters = randomGptParameters(config, 12);
    const prompt = [chars.encode('T')];
    await expect(generate(parameters, config, prompt, { maxNewTokens: 2, suppressTokens: [config.vocabSize] })).rejects.toThrow(
      /expected suppressTokens in \[0, \d+\)/,
    );
    const all = Array.from({ length: config.vocabSize }, (_, i) => i);
    await expect(generate(parameters, config, prompt, { maxNewTokens: 2, suppressTokens: all })).rejects.toThrow(/leave at least one token/);
    const [free] = await generate(parameters, config, prompt, { maxNewTokens: 1 });
    const [banned] = await generate(parameters, config, prompt, { maxNewTokens: 1, suppressTokens: free!.tokens });
    expect(banned!.tokens[0]).not.toBe(free!.tokens[0]);
  });

  it('an empty prompt starts from the bos id; without one it is refused with help', async () => {
    const config = configFor(chars.vocabSize, 64);
    const parameters = randomGptParameters(config, 5);
    const withBos = new TextGenerator(parameters, config, chars, { bosTokenId: chars.encode('<|endoftext|>')[0]!, eosTokenId: null });
    const [completion] = await withBos.complete([''], { maxNewTokens: 5 });
    expect(completion!.promptTokens).toBe(1);
    const none = new TextGenerator(parameters, config, chars, { bosTokenId: null, eosTokenId: null });
    await expect(none.generate('', { maxNewTokens: 5 })).rejects.toThrow(/^model: TextGenerator: expected a non-empty prompt.*\nhelp: /);
    await expect(none.generate('x', { maxNewTokens: 0 })).rejects.toThrow(WattformerError);
    await expect(none.generate('x', { maxNewTokens: 3, temperature: -1 })).rejects.toThrow(/expected temperature >= 0, got -1/);
    await expect(none.generate('x', { maxNewTokens: 3, stop: '' })).rejects.toThrow(/stop strings that are non-empty/);
    expect(() => new TextGenerator(parameters, config, chars, { eosTokenId: config.vocabSize })).toThrow(/bos\/eos ids in \[0, /);
  });

  it('an aborted signal stops generation with its reason', async () => {
    const config = configFor(chars.vocabSize, 64);
    const generator = new TextGenerator(randomGptParameters(config, 5), config, chars, { eosTokenId: null });
    const controller = new AbortController();
    const seen: string[] = [];
    const run = (async () => {
      for await (const chunk of generator.stream('To be', { maxNewTokens: 40, signal: controller.signal })) {
        seen.push(chunk);
        if (seen.length === 3) controller.abort(new Error('stopped by the user'));
      }
    })();
    await expect(run).rejects.toThrow('stopped by the user');
    expect(seen).toHaveLength(3);
    await expect(generator.generate('To be', { maxNewTokens: 5, signal: controller.signal })).rejects.toThrow('stopped by the user');
  });
});

describe('sliding window past the context length', () => {
  /** The reference: every token from a full forward pass (no cache) over its window, greedy. */
  async function recompute(parameters: GptParameters, config: GptConfig, prompt: number[], total: number, stride: number): Promise<number[]> {
    const C = config.contextLength;
    const seq = prompt.slice(-(C - 1));
    const out: number[] = [];
    // Window 0: the prompt plus what fits; then windows that keep the last C − stride tokens.
    let window = seq.slice();
    let room = C - window.length;
    while (out.length < total) {
      if (room === 0) {
        window = seq.slice(-(C - stride));
        room = stride;
      }
      const logits = noGrad(() => tidy(() => gptLogits(parameters, config, tensor(Int32Array.from(window), [1, window.length], 'i32'))));
      const data = (await logits.data()) as Float32Array;
      logits.dispose();
      const token = argmax(data.subarray((window.length - 1) * config.vocabSize));
      out.push(token), seq.push(token), window.push(token);
      room--;
    }
    return out;
  }

  it.each([1, 5, defaultWindowStride(16)])(
    'maxNewTokens > contextLength equals recomputing each windowed context (stride %i)',
    async (stride) => {
      const config = configFor(chars.vocabSize, 16);
      const parameters = randomGptParameters(config, 21);
      const prompt = chars.encode('To be, or not to');
      const total = 40;
      const tokens: number[] = [];
      for await (const { token } of generateWindowed(parameters, config, [prompt], { maxNewTokens: total, windowStride: stride })) tokens.push(token);
      expect(tokens).toEqual(await recompute(parameters, config, prompt, total, stride));
      // Through the TextGenerator: the same tokens, and a prompt longer than the context keeps its end.
      const generator = new TextGenerator(parameters, config, chars, { eosTokenId: null });
      const [completion] = await generator.complete(['To be, or not to'], { maxNewTokens: total, windowStride: stride });
      expect(completion!.tokens).toEqual(tokens);
      const [long] = await generator.complete([corpus.slice(0, 40)], { maxNewTokens: 4, windowStride: stride });
      expect(long!.promptTokens).toBe(15);
    },
    60_000,
  );

  it('stride 1 is nanoGPT crop: each token from exactly the last contextLength − 1 tokens', async () => {
    const config = configFor(chars.vocabSize, 12);
    const parameters = randomGptParameters(config, 22);
    const seq = chars.encode('that is the');
    const tokens: number[] = [];
    for await (const { token } of generateWindowed(parameters, config, [seq], { maxNewTokens: 10, windowStride: 1 })) tokens.push(token);
    const crop = seq.slice();
    for (let i = 0; i < 10; i++) {
      const window = crop.slice(-(config.contextLength - 1));
      const logits = noGrad(() => gptLogits(parameters, config, tensor(Int32Array.from(window), [1, window.length], 'i32')));
      const data = (await logits.data()) as Float32Array;
      logits.dispose();
      crop.push(argmax(data.subarray((window.length - 1) * config.vocabSize)));
    }
    expect(tokens).toEqual(crop.slice(seq.length));
  });

  it('sampling past the context is reproducible by seed and rows finish independently', async () => {
    const config = configFor(bpe.vocabSize, 16);
    const parameters = randomGptParameters(config, 23);
    const generator = new TextGenerator(parameters, config, bpe, { eosTokenId: null });
    const options = { maxNewTokens: 50, temperature: 1, topP: 0.9, seed: 5 };
    const a = await generator.complete(['To be', '明月'], options);
    const b = await generator.complete(['To be', '明月'], options);
    expect(a).toEqual(b);
    expect(a.every((c) => c.tokens.length === 50 && c.finishReason === 'length')).toBe(true);
    await expect(generator.generate('x', { maxNewTokens: 50, windowStride: 16 })).rejects.toThrow(/windowStride an integer in \[1, 15\]/);
  }, 60_000);
});

function wrap(t: CharTokenizer) {
  return { encode: (s: string) => t.encode(s), decode: (ids: readonly number[]) => t.decode(ids) };
}
