// The generation bench's guard on a small model, in CI: the TF.js GPT built from wattformer's
// weights gives wattformer's logits and greedy tokens, with and without its KV cache.
import { noGrad, setBackend, tensor, tidy } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { generate, gptLogits, initGptParameters, type GptConfig } from '@wattformer/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfjsGenerate, tfjsLastLogits, tfjsWeightsFrom } from './tfjs-gpt-generate';
import { setUpTfjsWasm } from './tfjs-setup';

const base = { vocabSize: 64, contextLength: 32, modelDim: 32, layers: 2, heads: 4, mlpDim: 128 };
const prompt = [3, 17, 42, 5, 9];

beforeAll(async () => {
  await setUpTfjsWasm();
  await setBackend('wasm');
}, 60_000);

describe('TF.js GPT generation from wattformer weights', () => {
  for (const tiedEmbeddings of [false, true]) {
    it(`matches wattformer's logits and greedy tokens (tied head: ${tiedEmbeddings})`, async () => {
      const config: GptConfig = { ...base, tiedEmbeddings };
      const parameters = initGptParameters(config, 7);
      const weights = tfjsWeightsFrom(config, parameters);
      try {
        const ours = tidy(() =>
          noGrad(
            () =>
              gptLogits(parameters, config, tensor(Int32Array.from(prompt), [1, prompt.length], 'i32'))
                .slice([prompt.length - 1, 0], [1, config.vocabSize])
                .dataSync() as Float32Array,
          ),
        );
        const theirs = tfjsLastLogits(weights, prompt);
        ours.forEach((x, i) => expect(Math.abs(x - theirs[i]!)).toBeLessThan(1e-4));
        const maxNewTokens = 20;
        const [expected] = await generate(parameters, config, [prompt], { maxNewTokens });
        // An own head gives varied tokens; a tied random-init head repeats one (see generation.bench.ts).
        if (!tiedEmbeddings) expect(new Set(expected!.tokens).size).toBeGreaterThan(5);
        expect(tfjsGenerate(weights, prompt, { maxNewTokens, useCache: true })).toEqual(expected!.tokens);
        expect(tfjsGenerate(weights, prompt, { maxNewTokens, useCache: false })).toEqual(expected!.tokens);
        const [penalised] = await generate(parameters, config, [prompt], { maxNewTokens, repetitionPenalty: 1.5 });
        expect(tfjsGenerate(weights, prompt, { maxNewTokens, useCache: true, repetitionPenalty: 1.5 })).toEqual(penalised!.tokens);
      } finally {
        weights.dispose();
      }
    }, 60_000);
  }

  it('refuses a generation longer than the context', () => {
    const config: GptConfig = { ...base, tiedEmbeddings: true };
    const weights = tfjsWeightsFrom(config, initGptParameters(config, 1));
    try {
      expect(() => tfjsGenerate(weights, prompt, { maxNewTokens: 28, useCache: true })).toThrow(/expected prompt \+ new tokens ≤ 32, got 33/);
    } finally {
      weights.dispose();
    }
  });
});
