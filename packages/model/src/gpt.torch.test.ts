import { setBackend, tensor, tidy, valueAndGrad, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gptLogits, gptLoss, type GptParameters } from './gpt';
import type { GptConfig } from './gpt-config';
import { relativeError } from './test-utils';

interface Fixture {
  source: string;
  config: GptConfig;
  tokens: number[];
  targets: number[];
  batch: number;
  parameters: Record<string, { shape: number[]; data: number[] }>;
  logits: number[];
  loss: number;
  gradients: Record<string, number[]>;
}

const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/gpt-2layer-torch.json', import.meta.url), 'utf8')) as Fixture;

describe.each(['cpu', 'wasm'])('GPT (2 layers) against PyTorch float64 on %s', (backendName) => {
  it('matches logits, loss and every parameter gradient within 1e-4 relative', async () => {
    await setBackend(backendName);
    const { config, batch } = fixture;
    const T = fixture.tokens.length / batch;
    const params: GptParameters = new Map(Object.entries(fixture.parameters).map(([name, p]) => [name, tensor(Float32Array.from(p.data), p.shape).keep()]));
    const tokens = tensor(Int32Array.from(fixture.tokens), [batch, T], 'i32');
    const targets = tensor(Int32Array.from(fixture.targets), [batch, T], 'i32');
    const names = [...params.keys()];
    const { logits, loss, grads } = tidy(() => {
      const result = valueAndGrad(
        () => gptLoss(params, config, tokens, targets),
        names.map((n) => params.get(n)!),
      );
      return { logits: gptLogits(params, config, tokens), loss: result.value, grads: result.grads };
    });
    expect(relativeError(logits.dataSync(), fixture.logits)).toBeLessThan(1e-4);
    expect(Math.abs(loss.dataSync()[0]! - fixture.loss) / fixture.loss).toBeLessThan(1e-5);
    const errors = Object.fromEntries(names.map((name, i) => [name, relativeError((grads[i] as Tensor).dataSync(), fixture.gradients[name]!)]));
    expect(Object.entries(errors).filter(([, e]) => !(e < 1e-4))).toEqual([]);
    expect(names.length).toBe(28);
  });
});
