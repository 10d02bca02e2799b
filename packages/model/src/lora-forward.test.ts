import { adamw, keep, memory, randn, setBackend, tensor, tidy, valueAndGrad, zerosLike } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { beforeEach, describe, expect, it } from 'vitest';
import { randomGptParameters } from './__fixtures__/random-gpt';
import { gptLogits, gptLoss, type GptParameters } from './gpt';
import type { GptConfig } from './gpt-config';
import { applyLora, createLora, type LoraAdapter } from './lora';
import type { LoraConfig } from './lora-config';

const config: GptConfig = { vocabSize: 20, contextLength: 8, modelDim: 16, layers: 2, heads: 2, mlpDim: 24, tiedEmbeddings: true };
const lora: LoraConfig = { rank: 4, alpha: 8, targets: ['c_attn', 'c_proj', 'c_fc'], fanInFanOut: true };
const tokens = () =>
  tensor(
    Int32Array.from({ length: 16 }, (_, i) => (i * 7 + 3) % 20),
    [2, 8],
    'i32',
  );
const targets = () =>
  tensor(
    Int32Array.from({ length: 16 }, (_, i) => (i * 5 + 1) % 20),
    [2, 8],
    'i32',
  );
const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

function withRandomB(adapter: LoraAdapter, seed: number): LoraAdapter {
  const parameters = new Map(adapter.parameters);
  for (const [name, t] of adapter.parameters) if (name.endsWith('lora_B.weight')) parameters.set(name, keep(randn([...t.shape], { std: 0.3, seed: seed++ })));
  return { config: adapter.config, parameters };
}

describe.each(['cpu', 'wasm'])('LoRA in the GPT forward pass, options.lora (%s)', (backendName) => {
  let base: GptParameters;
  beforeEach(async () => {
    await setBackend(backendName);
    base = randomGptParameters(config, 3);
  });

  it('gives the logits and A/B gradients of the merged weights (applyLora)', () => {
    const adapter = withRandomB(createLora(base, lora, 1), 30);
    const parameters = [...adapter.parameters.values()];
    const run = (loss: () => ReturnType<typeof gptLoss>) =>
      tidy(() => {
        const { value, grads } = valueAndGrad(loss, parameters);
        return { loss: value.itemSync(), grads: grads.map((g) => g.dataSync().slice()) };
      });
    const merged = run(() => gptLoss(applyLora(base, adapter, { training: true }), config, tokens(), targets()));
    const xPath = run(() => gptLoss(base, config, tokens(), targets(), { lora: adapter, training: true }));
    expect(Math.abs(xPath.loss - merged.loss)).toBeLessThan(1e-5);
    xPath.grads.forEach((g, i) => expect(maxDifference(g, merged.grads[i]!), [...adapter.parameters.keys()][i]).toBeLessThan(1e-5));
    expect(Math.max(...merged.grads.map((g) => Math.max(...Array.from(g).map(Math.abs))))).toBeGreaterThan(1e-3);
    for (const [name, t] of base) expect(t.requiresGrad || t.grad !== null, name).toBe(false); // the base stays out of the tape
    const logits = tidy(() =>
      maxDifference(gptLogits(base, config, tokens(), { lora: adapter }).dataSync(), gptLogits(applyLora(base, adapter), config, tokens()).dataSync()),
    );
    expect(logits).toBeLessThan(1e-5);
  });

  it('drops only the LoRA input when training with dropout (PEFT semantics), seeded, and not at all in evaluation', () => {
    const dropped = { ...lora, dropout: 0.5 };
    const zeroB = createLora(base, dropped, 1);
    const logits = (p: GptParameters, options: Parameters<typeof gptLogits>[3]) => tidy(() => gptLogits(p, config, tokens(), options).dataSync());
    // With B = 0 the LoRA term is 0 whatever its input: the base path is never dropped.
    expect(logits(base, { lora: zeroB, training: true, seed: 1 })).toEqual(logits(base, {}));
    const adapter = withRandomB(zeroB, 60);
    const evaluation = logits(base, { lora: adapter });
    expect(maxDifference(evaluation, logits(applyLora(base, adapter), {}))).toBeLessThan(1e-5);
    const trained = logits(base, { lora: adapter, training: true, seed: 1 });
    expect(maxDifference(trained, evaluation)).toBeGreaterThan(1e-2);
    expect(logits(base, { lora: adapter, training: true, seed: 1 })).toEqual(trained);
    expect(maxDifference(logits(base, { lora: adapter, training: true, seed: 2 }), trained)).toBeGreaterThan(1e-2);
  });

  it('AdamW with LoRA dropout lowers the loss, leaves the base bit-identical and leaks nothing', () => {
    const before = new Map([...base].map(([name, t]) => [name, t.dataSync().slice()]));
    const adapter = createLora(base, { ...lora, dropout: 0.1 }, 1);
    const parameters = [...adapter.parameters.values()];
    const moments = parameters.map((p) => [keep(zerosLike(p)), keep(zerosLike(p))] as const);
    const losses: number[] = [];
    const live: number[] = [];
    for (let step = 1; step <= 12; step++) {
      tidy(() => {
        const { value, grads } = valueAndGrad(() => gptLoss(base, config, tokens(), targets(), { lora: adapter, training: true, seed: step }), parameters);
        losses.push(value.itemSync());
        parameters.forEach((p, i) => adamw(p, grads[i]!, moments[i]![0], moments[i]![1], { learningRate: 0.02, step, weightDecay: 0 }));
      });
      live.push(memory().liveTensors);
    }
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! - 0.1);
    expect(new Set(live.slice(1)).size).toBe(1);
    for (const [name, t] of base) expect(t.dataSync(), name).toEqual(before.get(name));
  });
});

describe('options.lora errors', () => {
  it('refuses adapters on weights the forward pass does not route through a projection, and adapters that do not fit', async () => {
    await setBackend('cpu');
    const untied = { ...config, tiedEmbeddings: false };
    const base = randomGptParameters(untied, 3);
    const head = createLora(base, { ...lora, targets: ['c_attn', 'lm_head'] }, 1);
    expect(() => gptLogits(base, untied, tokens(), { lora: head })).toThrow(
      /model: gpt: expected LoRA on block projections .* got 'base_model.model.lm_head.lora_A.weight'/,
    );
    const deeper = randomGptParameters({ ...untied, layers: 3 }, 3);
    expect(() => gptLogits(deeper, { ...untied, layers: 3 }, tokens(), { lora: createLora(base, lora, 1) })).toThrow(
      /model: gpt: expected LoRA tensors for every targeted module of the base, got none for 'base_model.model.transformer.h.2.attn.c_attn.lora_A.weight'/,
    );
  });
});
