/**
 * Parity with Hugging Face PEFT both ways, on committed fixtures from scripts/make-peft-fixtures.py
 * (see __fixtures__/README.md): a LoRA adapter saved by PEFT loads here and gives PEFT's logits
 * (merged by applyLora, or added in the forward pass) and merged weights; an adapter saved by our code loads in `PeftModel.from_pretrained` and PEFT's
 * logits for it match ours.
 */
import { setBackend, tensor, tidy } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { peftWattformerAdapter } from './__fixtures__/peft-wattformer-adapter';
import { loadGptCheckpoint } from './checkpoint-node';
import { gptLogits, type GptParameters } from './gpt';
import type { GptConfig } from './gpt-config';
import { applyLora, mergeLora, type LoraAdapter } from './lora';
import { loadLoraAdapter } from './lora-node';
import { loraToSafetensors } from './lora-safetensors';
import { relativeError } from './test-utils';

const fixtures = new URL('./__fixtures__/', import.meta.url);
const path = (name: string) => fileURLToPath(new URL(name, fixtures));
const json = <T>(name: string) => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as T;

interface LogitsFixture {
  tokens: number[][];
  logits: number[];
}

/** Logits for `tokens`; with `lora`, the adapter is added in the forward pass (options.lora). */
function logits(parameters: GptParameters, config: GptConfig, tokens: number[][], lora?: LoraAdapter): Float32Array {
  const [B, T] = [tokens.length, tokens[0]!.length];
  return tidy(() => gptLogits(parameters, config, tensor(Int32Array.from(tokens.flat()), [B, T], 'i32'), lora ? { lora } : {}).dataSync() as Float32Array);
}

describe.each(['cpu', 'wasm'])('PEFT LoRA parity on %s', (backendName) => {
  it('an adapter saved by PeftModel.save_pretrained loads here: logits within 1e-4, merged weights match merge_and_unload', async () => {
    await setBackend(backendName);
    const fixture = json<LogitsFixture & { merged: Record<string, number[]> }>('peft-gpt2-tiny.json');
    const { config, parameters: base } = await loadGptCheckpoint(path('peft-gpt2-tiny'));
    const adapter = await loadLoraAdapter(path('peft-gpt2-tiny-lora'));
    // PEFT keeps target_modules in a Python set, so their order in the file varies from run to run.
    expect({ ...adapter.config, targets: [...adapter.config.targets].sort() }).toEqual({
      rank: 4,
      alpha: 8,
      targets: ['c_attn', 'c_fc', 'c_proj'],
      fanInFanOut: true,
      dropout: 0.1,
      useRslora: false,
    });
    expect(adapter.parameters.size).toBe(2 * 4 * config.layers); // A and B for c_attn, attn.c_proj, c_fc, mlp.c_proj
    // The adapter matters: without it the logits are far from PEFT's.
    expect(relativeError(logits(base, config, fixture.tokens), fixture.logits)).toBeGreaterThan(1e-2);
    expect(relativeError(logits(applyLora(base, adapter), config, fixture.tokens), fixture.logits)).toBeLessThan(1e-4);
    expect(relativeError(logits(base, config, fixture.tokens, adapter), fixture.logits)).toBeLessThan(1e-4); // options.lora
    const merged = mergeLora(base, adapter);
    expect(relativeError(logits(merged, config, fixture.tokens), fixture.logits)).toBeLessThan(1e-4);
    for (const [name, want] of Object.entries(fixture.merged)) expect(relativeError(merged.get(name)!.dataSync(), want)).toBeLessThan(1e-6);
  });

  it('an adapter saved here loads in PeftModel.from_pretrained with our logits (within 1e-4)', async () => {
    await setBackend(backendName);
    const fixture = json<LogitsFixture>('peft-wattformer-lora.json');
    const { config, parameters: base } = await loadGptCheckpoint(path('wattformer-gpt'));
    const adapter = await loadLoraAdapter(path('peft-wattformer-lora'));
    expect(adapter.config.useRslora).toBe(true);
    expect(relativeError(logits(base, config, fixture.tokens), fixture.logits)).toBeGreaterThan(1e-2);
    expect(relativeError(logits(applyLora(base, adapter), config, fixture.tokens), fixture.logits)).toBeLessThan(1e-4);
    expect(relativeError(logits(base, config, fixture.tokens, adapter), fixture.logits)).toBeLessThan(1e-4); // options.lora
  });
});

describe('the committed wattformer adapter', () => {
  it('is what our saver writes today for the same tensors (so PEFT parity covers the current writer)', async () => {
    await setBackend('cpu');
    const saved = await loraToSafetensors(peftWattformerAdapter(), { taskType: 'CAUSAL_LM' });
    expect(JSON.stringify(saved.config, null, 2) + '\n').toBe(readFileSync(path('peft-wattformer-lora/adapter_config.json'), 'utf8'));
    expect(Buffer.from(saved.weights).equals(readFileSync(path('peft-wattformer-lora/adapter_model.safetensors')))).toBe(true);
  });
});
