/**
 * Weights for tests and committed fixtures: every parameter drawn from core's counter-based
 * normal (identical on every backend and machine), wide enough that logits differ clearly.
 * LayerNorm gains centre on 1; biases are small but non-zero so every tensor matters.
 */
import { keep, randn } from '@wattformer/core';
import { initGptParameters, type GptParameters } from '../gpt';
import type { GptConfig } from '../gpt-config';

export function randomGptParameters(config: GptConfig, seed: number): GptParameters {
  const parameters: GptParameters = new Map();
  let stream = seed * 1000;
  for (const [name, init] of initGptParameters(config, seed)) {
    const isNorm = /\.ln_\w+\.weight$/.test(name);
    const isBias = name.endsWith('.bias');
    const std = isNorm || isBias ? 0.1 : 0.3;
    parameters.set(name, keep(randn([...init.shape], { std, mean: isNorm ? 1 : 0, seed: 7919 + stream++ })));
    init.dispose();
  }
  return parameters;
}
