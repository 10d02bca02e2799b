import { memory, setBackend, WattformerError } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { describe, expect, it } from 'vitest';
import { randomGptParameters } from './__fixtures__/random-gpt';
import { generate, generateStream, type GenerateOptions, type GeneratedToken } from './generate';
import type { GptConfig } from './gpt-config';

const config: GptConfig = { vocabSize: 48, contextLength: 64, modelDim: 32, layers: 2, heads: 4, mlpDim: 64, tiedEmbeddings: true };
const prompts = [[5, 9, 2, 33, 7, 1, 40], [12], [3, 3, 8, 20]];
const sampled: GenerateOptions = { maxNewTokens: 24, sample: true, temperature: 0.9, topK: 20, topP: 0.95, repetitionPenalty: 1.3, seed: 1234 };

describe.each(['cpu', 'wasm'])('generation on %s', (backendName) => {
  it('KV-cache generation gives exactly the tokens of full recomputation (greedy and seeded sampling)', async () => {
    await setBackend(backendName);
    const parameters = randomGptParameters(config, 1);
    for (const options of [{ maxNewTokens: 24 }, sampled, { ...sampled, seed: 99, temperature: 1.5, topK: undefined }]) {
      const cached = await generate(parameters, config, prompts, options);
      const full = await generate(parameters, config, prompts, { ...options, useCache: false });
      expect(cached).toEqual(full);
      expect(cached.every((g) => g.tokens.length === 24 && g.finishReason === 'length')).toBe(true);
    }
  }, 30_000);

  it('a left-padded batch gives each prompt the tokens it gets alone', async () => {
    await setBackend(backendName);
    const parameters = randomGptParameters(config, 2);
    const batched = await generate(parameters, config, prompts, { maxNewTokens: 12, repetitionPenalty: 1.2 });
    for (const [row, prompt] of prompts.entries()) {
      const [alone] = await generate(parameters, config, [prompt], { maxNewTokens: 12, repetitionPenalty: 1.2 });
      expect(batched[row]).toEqual(alone);
    }
    expect(batched).toHaveLength(3);
    // Sampling: row r draws from stream r of the seed, so row 0 samples the same alone as in a batch.
    for (const first of [prompts[0]!, prompts[1]!]) {
      const rows = [first, ...prompts.filter((p) => p !== first)];
      const [inBatch] = await generate(parameters, config, rows, sampled);
      const [alone] = await generate(parameters, config, [first], sampled);
      expect(inBatch).toEqual(alone);
    }
  });

  it('seeded sampling is reproducible; another seed changes the draws', async () => {
    await setBackend(backendName);
    const parameters = randomGptParameters(config, 3);
    const first = await generate(parameters, config, prompts, sampled);
    const again = await generate(parameters, config, prompts, sampled);
    const other = await generate(parameters, config, prompts, { ...sampled, seed: 4321 });
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });
});

describe('generation: streaming, stop tokens, memory', () => {
  it('streams the same tokens generate() returns, step by step in row order', async () => {
    await setBackend('cpu');
    const parameters = randomGptParameters(config, 4);
    const events: GeneratedToken[] = [];
    for await (const event of generateStream(parameters, config, prompts, sampled)) events.push(event);
    const result = await generate(parameters, config, prompts, sampled);
    expect(events.map((e) => [e.step, e.row])).toEqual(Array.from({ length: 24 * 3 }, (_, i) => [Math.floor(i / 3), i % 3]));
    expect(prompts.map((_, row) => events.filter((e) => e.row === row).map((e) => e.token))).toEqual(result.map((g) => g.tokens));
    expect(events.filter((e) => e.finishReason === 'length')).toHaveLength(3);
  });

  it('stops a row at its stop token (included) while the others continue', async () => {
    await setBackend('cpu');
    const parameters = randomGptParameters(config, 4);
    const free = await generate(parameters, config, prompts, sampled);
    const stopToken = free[0]!.tokens[5]!;
    const stopped = await generate(parameters, config, prompts, { ...sampled, stopTokens: [stopToken] });
    for (const [row, g] of stopped.entries()) {
      const at = free[row]!.tokens.indexOf(stopToken);
      expect(g.tokens).toEqual(at < 0 ? free[row]!.tokens : free[row]!.tokens.slice(0, at + 1));
      expect(g.finishReason).toBe(at < 0 ? 'length' : 'stop');
    }
    expect(stopped[0]!.tokens.length).toBeLessThanOrEqual(6);
  });

  it('breaking out of the stream frees the cache', async () => {
    await setBackend('cpu');
    const parameters = randomGptParameters(config, 4);
    const before = memory();
    for await (const event of generateStream(parameters, config, prompts, sampled)) if (event.step === 3) break;
    expect(memory().liveTensors).toBe(before.liveTensors);
    expect(memory().backendBytes).toBe(before.backendBytes);
  });

  it.each(['cpu', 'wasm'])(
    'keeps live tensors and backend bytes flat while generating 1,000 tokens (%s)',
    async (backendName) => {
      await setBackend(backendName);
      const long: GptConfig = { ...config, contextLength: 1024, modelDim: 16, heads: 2, mlpDim: 32 };
      const parameters = randomGptParameters(long, 5);
      const options: GenerateOptions = { maxNewTokens: 1000, sample: true, topK: 10, seed: 7 };
      await generate(parameters, long, [[1, 2, 3]], { ...options, maxNewTokens: 2 }); // warm caches (causal masks) first
      const before = memory();
      const during: { liveTensors: number; backendBytes: number }[] = [];
      let count = 0;
      for await (const event of generateStream(parameters, long, [[1, 2, 3]], options)) {
        count++;
        if (event.step >= 1) during.push({ liveTensors: memory().liveTensors, backendBytes: memory().backendBytes });
      }
      expect(count).toBe(1000);
      const live = new Set(during.map((m) => m.liveTensors));
      const bytes = new Set(during.map((m) => m.backendBytes));
      expect([...live]).toHaveLength(1);
      expect([...bytes]).toHaveLength(1);
      // The only growth while generating is the cache: 2 (keys, values) × layers × capacity × C × 4 bytes.
      expect([...bytes][0]! - before.backendBytes).toBe(2 * long.layers * (3 + 1000) * long.modelDim * 4);
      expect(memory().liveTensors).toBe(before.liveTensors);
      expect(memory().backendBytes).toBe(before.backendBytes);
    },
    60_000,
  );
});

describe('generation: bad input', () => {
  const expectError = async (run: () => Promise<unknown>, pattern: RegExp) => {
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WattformerError);
    expect((error as Error).message).toMatch(pattern);
  };

  it('refuses token ids out of range, too-long requests and bad options with model: generate: errors', async () => {
    await setBackend('cpu');
    const parameters = randomGptParameters(config, 6);
    await expectError(
      () => generate(parameters, config, [[1, 48]], { maxNewTokens: 1 }),
      /^model: generate: expected token ids in \[0, 48\), got 48 at prompts\[0\]\[1\]\nhelp: /,
    );
    await expectError(() => generate(parameters, config, [[-1]], { maxNewTokens: 1 }), /got -1 at prompts\[0\]\[0\]/);
    await expectError(
      () => generate(parameters, config, [[1, 2, 3], [4]], { maxNewTokens: 62 }),
      /^model: generate: expected prompt length \+ maxNewTokens <= contextLength 64, got 3 \+ 62 = 65\nhelp: shorten the prompt/,
    );
    await expectError(
      () => generate(parameters, config, [[]], { maxNewTokens: 1 }),
      /expected prompts\[0\] to hold at least one token id, got an empty prompt/,
    );
    await expectError(() => generate(parameters, config, [], { maxNewTokens: 1 }), /expected at least one prompt/);
    await expectError(() => generate(parameters, config, [[1]], { maxNewTokens: 0 }), /expected maxNewTokens a positive integer, got 0/);
    await expectError(() => generate(parameters, config, [[1]], { maxNewTokens: 1, topP: 0 }), /expected topP in \(0, 1\], got 0/);
    await expectError(() => generate(parameters, config, [[1]], { maxNewTokens: 1, topK: 1.5 }), /expected topK a positive integer, got 1.5/);
    await expectError(() => generate(parameters, config, [[1]], { maxNewTokens: 1, temperature: 0 }), /expected temperature > 0, got 0/);
    await expectError(() => generate(parameters, config, [[1]], { maxNewTokens: 1, stopTokens: [99] }), /expected stopTokens in \[0, 48\), got 99/);
  });
});
