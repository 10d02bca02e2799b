import { concat, noGrad, setBackend, slice, tensor, tidy, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { describe, expect, it } from 'vitest';
import { randomGptParameters } from './__fixtures__/random-gpt';
import { gptLogits } from './gpt';
import type { GptConfig } from './gpt-config';
import { KvCache } from './kv-cache';

const config: GptConfig = { vocabSize: 37, contextLength: 16, modelDim: 24, layers: 3, heads: 3, mlpDim: 40, tiedEmbeddings: false };
const rows = [
  [4, 8, 15, 16, 23, 5, 1, 2],
  [36, 0, 7, 7, 9, 30, 11, 5],
];
const ids = (start: number, end: number) => tensor(Int32Array.from(rows.flatMap((r) => r.slice(start, end))), [2, end - start], 'i32');

describe.each(['cpu', 'wasm'])('KvCache on %s', (backendName) => {
  it('prefill + one token at a time gives the logits of the full forward pass (no padding, no mask)', async () => {
    await setBackend(backendName);
    const parameters = randomGptParameters(config, 8);
    const cache = new KvCache(config.layers, 2, 8);
    const { full, cached } = noGrad(() =>
      tidy(() => {
        const full = gptLogits(parameters, config, ids(0, 8)); // (B·8, V)
        const steps: Tensor[] = [slice(gptLogits(parameters, config, ids(0, 5), { cache }), [0, 0], [10, config.vocabSize])];
        for (let t = 5; t < 8; t++) steps.push(gptLogits(parameters, config, ids(t, t + 1), { cache })); // positions continue from the cache
        return { full, cached: concat(steps, 0) };
      }),
    );
    expect(cache.length).toBe(8);
    // full rows are b·8 + t; cached rows are the prefill (b·5 + t, t < 5) then step rows (2 per step).
    const V = config.vocabSize;
    const f = full.dataSync();
    const c = cached.dataSync();
    let error = 0;
    for (let b = 0; b < 2; b++) {
      for (let t = 0; t < 8; t++) {
        const cachedRow = t < 5 ? b * 5 + t : 10 + (t - 5) * 2 + b;
        for (let v = 0; v < V; v++) error = Math.max(error, Math.abs(c[cachedRow * V + v]! - f[(b * 8 + t) * V + v]!));
      }
    }
    expect(error).toBeLessThan(1e-4);
    cache.dispose();
    expect(cache.length).toBe(0);
  });

  it('refuses several tokens after the prompt and writes past its capacity', async () => {
    await setBackend(backendName);
    const parameters = randomGptParameters(config, 8);
    const cache = new KvCache(config.layers, 2, 6);
    noGrad(() => tidy(() => gptLogits(parameters, config, ids(0, 5), { cache })));
    expect(() => noGrad(() => tidy(() => gptLogits(parameters, config, ids(5, 7), { cache })))).toThrow(
      /^model: kvCache: expected one new token per step after the prompt, got 2 tokens/,
    );
    noGrad(() => tidy(() => gptLogits(parameters, config, ids(5, 6), { cache })));
    expect(() => noGrad(() => tidy(() => gptLogits(parameters, config, ids(6, 7), { cache })))).toThrow(/^model: kvCache: expected at most 6 positions, got 7/);
    expect(() => gptLogits(parameters, config, tensor(new Int32Array(17), [1, 17], 'i32'))).toThrow(
      /^model: gpt: expected at most contextLength 16 positions, got 17\nhelp: /,
    );
    cache.dispose();
  });
});
