/**
 * The recipe for `peft-wattformer-lora/`: a LoRA adapter written by OUR saver for the committed
 * `wattformer-gpt/` base (weights from random-gpt.ts), with B drawn at random (createLora starts
 * it at zero, which would make the parity check blind). rsLoRA scaling and mixed target spellings
 * so PEFT's reading of both is exercised.
 */
import { keep, randn } from '@wattformer/core';
import { createLora, type LoraAdapter } from '../lora';
import type { LoraConfig } from '../lora-config';
import { randomGptParameters } from './random-gpt';
import { wattformerFixtureConfig, wattformerFixtureSeed } from './wattformer-fixture';

export const peftWattformerLoraConfig: LoraConfig = { rank: 3, alpha: 6, targets: ['attn.c_attn', 'c_proj', 'mlp.c_fc'], fanInFanOut: true, useRslora: true };

export function peftWattformerAdapter(): LoraAdapter {
  const base = randomGptParameters(wattformerFixtureConfig, wattformerFixtureSeed);
  const created = createLora(base, peftWattformerLoraConfig, 5);
  const parameters = new Map(created.parameters);
  let stream = 0;
  for (const [name, t] of created.parameters) {
    if (name.endsWith('.lora_B.weight')) parameters.set(name, keep(randn([...t.shape], { std: 0.3, seed: 4242 + stream++ })));
  }
  return { config: created.config, parameters };
}
