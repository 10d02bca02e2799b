/**
 * Parity with Hugging Face transformers both ways, on committed fixtures from
 * scripts/make-hf-fixtures.py (see __fixtures__/README.md): a GPT2LMHeadModel saved by
 * `save_pretrained` loads here and gives HF's logits and greedy tokens; a checkpoint saved by our
 * code loads in `GPT2LMHeadModel.from_pretrained` and HF's logits for it match ours.
 */
import { setBackend, tensor, tidy } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { randomGptParameters } from './__fixtures__/random-gpt';
import { wattformerFixtureConfig, wattformerFixtureSeed } from './__fixtures__/wattformer-fixture';
import { gptCheckpointFromBytes, gptCheckpointToBytes } from './checkpoint';
import { loadGptCheckpoint } from './checkpoint-node';
import { generate } from './generate';
import { gptLogits, type GptParameters } from './gpt';
import type { GptConfig } from './gpt-config';

const fixtures = new URL('./__fixtures__/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, fixtures));
const json = <T>(name: string) => JSON.parse(read(name).toString('utf8')) as T;

interface LogitsFixture {
  tokens: number[][];
  logits: number[];
}
interface HfFixture extends LogitsFixture {
  greedy: { prompt: number[]; maxNewTokens: number; tokens: number[] };
  greedyBatch: { prompts: number[][]; maxNewTokens: number; tokens: number[][] };
}

/** max |ours − HF| / max |HF| over all logits. */
function logitsError(parameters: GptParameters, config: GptConfig, fixture: LogitsFixture): number {
  const [B, T] = [fixture.tokens.length, fixture.tokens[0]!.length];
  const ours = tidy(() => gptLogits(parameters, config, tensor(Int32Array.from(fixture.tokens.flat()), [B, T], 'i32')).dataSync());
  expect(ours.length).toBe(fixture.logits.length);
  let error = 0;
  let scale = 0;
  fixture.logits.forEach((want, i) => {
    error = Math.max(error, Math.abs(ours[i]! - want));
    scale = Math.max(scale, Math.abs(want));
  });
  return error / scale;
}

describe.each(['cpu', 'wasm'])('Hugging Face GPT-2 parity on %s', (backendName) => {
  it('a GPT2LMHeadModel saved by save_pretrained loads here: logits within 1e-4, same greedy tokens', async () => {
    await setBackend(backendName);
    const hf = json<HfFixture>('hf-gpt2-tiny.json');
    const { config, parameters } = await loadGptCheckpoint(fileURLToPath(new URL('hf-gpt2-tiny', fixtures)));
    expect(config).toEqual({ vocabSize: 50, contextLength: 16, modelDim: 16, layers: 2, heads: 2, mlpDim: 48, tiedEmbeddings: true });
    expect(logitsError(parameters, config, hf)).toBeLessThan(1e-4);
    const [single] = await generate(parameters, config, [hf.greedy.prompt], { maxNewTokens: hf.greedy.maxNewTokens });
    expect(single!.tokens).toEqual(hf.greedy.tokens);
    // HF's left-padded batch (attention_mask, positions from the mask) gives the same tokens as ours.
    const batch = await generate(parameters, config, hf.greedyBatch.prompts, { maxNewTokens: hf.greedyBatch.maxNewTokens });
    expect(batch.map((g) => g.tokens)).toEqual(hf.greedyBatch.tokens);
  });

  it('a Hub-layout file (no transformer. prefix, attn.bias/masked_bias buffers, tied lm_head copy) loads to the same weights', async () => {
    await setBackend(backendName);
    const config = read('hf-gpt2-tiny/config.json').toString('utf8');
    const saved = gptCheckpointFromBytes({ weights: read('hf-gpt2-tiny/model.safetensors'), config });
    const hub = gptCheckpointFromBytes({ weights: read('hf-gpt2-tiny-hub-style.safetensors'), config });
    expect([...hub.parameters.keys()]).toEqual([...saved.parameters.keys()]);
    for (const [name, t] of saved.parameters) expect(hub.parameters.get(name)!.dataSync()).toEqual(t.dataSync());
    expect(logitsError(hub.parameters, hub.config, json<HfFixture>('hf-gpt2-tiny.json'))).toBeLessThan(1e-4);
  });

  it('a checkpoint saved here loads in GPT2LMHeadModel.from_pretrained with our logits (within 1e-4)', async () => {
    await setBackend(backendName);
    const { config, parameters } = await loadGptCheckpoint(fileURLToPath(new URL('wattformer-gpt', fixtures)));
    expect(config).toEqual(wattformerFixtureConfig);
    expect(logitsError(parameters, config, json<LogitsFixture>('wattformer-gpt.json'))).toBeLessThan(1e-4);
  });
});

describe('the committed wattformer checkpoint', () => {
  it('is what our saver writes today for the same weights (so HF parity covers the current writer)', async () => {
    await setBackend('cpu');
    const saved = await gptCheckpointToBytes(randomGptParameters(wattformerFixtureConfig, wattformerFixtureSeed), wattformerFixtureConfig);
    expect(saved.config).toBe(read('wattformer-gpt/config.json').toString('utf8'));
    expect(Buffer.from(saved.weights).equals(read('wattformer-gpt/model.safetensors'))).toBe(true);
  });
});
