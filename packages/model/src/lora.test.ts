import { adamw, backward, keep, matmul, memory, randn, setBackend, tensor, tidy, valueAndGrad, zerosLike, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { beforeEach, describe, expect, it } from 'vitest';
import { randomGptParameters } from './__fixtures__/random-gpt';
import { gptLogits, gptLoss, type GptParameters } from './gpt';
import type { GptConfig } from './gpt-config';
import { applyLora, createLora, mergeLora, type LoraAdapter } from './lora';
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

/** The adapter with B drawn at random, so ΔW ≠ 0. */
function withRandomB(adapter: LoraAdapter, seed: number): LoraAdapter {
  const parameters = new Map(adapter.parameters);
  for (const [name, t] of adapter.parameters) if (name.endsWith('lora_B.weight')) parameters.set(name, keep(randn([...t.shape], { std: 0.3, seed: seed++ })));
  return { config: adapter.config, parameters };
}

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe.each(['cpu', 'wasm'])('LoRA on a tiny GPT (%s)', (backendName) => {
  let base: GptParameters;
  beforeEach(async () => {
    await setBackend(backendName);
    base = randomGptParameters(config, 3);
  });

  it('createLora makes PEFT-named A ~ U(−1/√in, 1/√in) and B = 0 for every targeted projection, so the model starts unchanged', () => {
    const adapter = createLora(base, lora, 1);
    const names = [...adapter.parameters.keys()];
    expect(names).toHaveLength(2 * 4 * config.layers);
    expect(names.slice(0, 4)).toEqual([
      'base_model.model.transformer.h.0.attn.c_attn.lora_A.weight',
      'base_model.model.transformer.h.0.attn.c_attn.lora_B.weight',
      'base_model.model.transformer.h.0.attn.c_proj.lora_A.weight',
      'base_model.model.transformer.h.0.attn.c_proj.lora_B.weight',
    ]);
    const a = adapter.parameters.get('base_model.model.transformer.h.1.mlp.c_proj.lora_A.weight')!;
    expect(a.shape).toEqual([4, config.mlpDim]); // [rank, in]: c_proj's input is the MLP width
    expect(adapter.parameters.get('base_model.model.transformer.h.1.mlp.c_proj.lora_B.weight')!.shape).toEqual([config.modelDim, 4]);
    const bound = 1 / Math.sqrt(config.mlpDim);
    const values = Array.from(a.dataSync());
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...values)).toBeGreaterThan(0.5 * bound);
    expect(Math.min(...values)).toBeLessThan(-0.5 * bound);
    for (const [name, t] of adapter.parameters) if (name.includes('lora_B')) expect(Array.from(t.dataSync()).every((v) => v === 0)).toBe(true);
    expect(createLora(base, lora, 1).parameters.get('base_model.model.transformer.h.1.mlp.c_proj.lora_A.weight')!.dataSync()).toEqual(a.dataSync());
    expect(createLora(base, lora, 2).parameters.get('base_model.model.transformer.h.1.mlp.c_proj.lora_A.weight')!.dataSync()).not.toEqual(a.dataSync());
    const logits = (p: GptParameters) => tidy(() => gptLogits(p, config, tokens()).dataSync());
    expect(logits(applyLora(base, adapter))).toEqual(logits(base));
  });

  it('with the base frozen, only A and B get gradients', () => {
    const adapter = withRandomB(createLora(base, lora, 1), 50);
    tidy(() => {
      for (const t of adapter.parameters.values()) t.requiresGrad = true;
      backward(gptLoss(applyLora(base, adapter, { training: true }), config, tokens(), targets()));
      for (const [name, t] of base) {
        expect(t.requiresGrad, name).toBe(false);
        expect(t.grad, name).toBeNull();
      }
      for (const [name, t] of adapter.parameters) {
        expect(t.grad, name).not.toBeNull();
        expect(Math.max(...Array.from(t.grad!.dataSync()).map(Math.abs)), name).toBeGreaterThan(0);
      }
    });
    for (const t of adapter.parameters.values()) {
      t.grad = null;
      t.requiresGrad = false;
    }
  });

  it('AdamW on A and B lowers the loss and leaves every base weight bit-identical', () => {
    const before = new Map([...base].map(([name, t]) => [name, t.dataSync().slice()]));
    const adapter = createLora(base, lora, 1);
    const parameters = [...adapter.parameters.values()];
    const moments = parameters.map((p) => [keep(zerosLike(p)), keep(zerosLike(p))] as const);
    const losses: number[] = [];
    for (let step = 1; step <= 12; step++) {
      tidy(() => {
        const { value, grads } = valueAndGrad(() => gptLoss(applyLora(base, adapter, { training: true }), config, tokens(), targets()), parameters);
        losses.push(value.itemSync());
        parameters.forEach((p, i) => adamw(p, grads[i]!, moments[i]![0], moments[i]![1], { learningRate: 0.02, step, weightDecay: 0 }));
      });
    }
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! - 0.1);
    for (const [name, t] of base) expect(t.dataSync(), name).toEqual(before.get(name));
  });

  it('mergeLora equals applyLora within 1e-6, and a training step in tidy leaks nothing, even with an un-kept base', () => {
    const adapter = withRandomB(createLora(base, lora, 1), 90);
    const applied = tidy(() => new Map([...applyLora(base, adapter)].map(([name, t]) => [name, t.dataSync().slice()])));
    const merged = mergeLora(base, adapter);
    for (const [name, t] of merged) expect(maxDifference(t.dataSync(), applied.get(name)!), name).toBeLessThan(1e-6);
    const changed = [...merged].filter(([name, t]) => base.get(name) !== t);
    expect(changed).toHaveLength(4 * config.layers);
    const logits = (p: GptParameters) => tidy(() => gptLogits(p, config, tokens()).dataSync());
    expect(maxDifference(logits(merged), logits(applyLora(base, adapter)))).toBeLessThan(1e-5);

    const parameters = [...adapter.parameters.values()];
    const step = (p: GptParameters) =>
      tidy(() => valueAndGrad(() => gptLoss(applyLora(p, adapter, { training: true }), config, tokens(), targets()), parameters).value.itemSync());
    step(base);
    const live = memory().liveTensors;
    for (let i = 0; i < 3; i++) step(base);
    expect(memory().liveTensors).toBe(live);
    // A base made inside a scope (not kept) is freed with it, adapted copies included.
    tidy(() => {
      const temporary = new Map([...base].map(([name, t]) => [name, t.reshape([...t.shape])]));
      step(temporary);
      step(temporary);
    });
    expect(memory().liveTensors).toBe(live);
    for (const [, t] of changed) t.dispose();
    expect(memory().liveTensors).toBe(live - changed.length);
  });
});

describe('LoRA on nn.Linear weights [out, in] (fanInFanOut false)', () => {
  it('adds alpha/rank · B·A, and alpha/√rank · B·A with rsLoRA', async () => {
    await setBackend('cpu');
    const w = [1, 2, 3, 4, 5, 6]; // [out 2, in 3]
    const a = [0.5, -1, 2, 1, 0, -0.5]; // [rank 2, in 3]
    const b = [1, -2, 0.25, 3]; // [out 2, rank 2]
    const base = new Map([
      ['encoder.proj.weight', tensor(w, [2, 3])],
      ['encoder.proj.bias', tensor([0, 0])],
    ]);
    const parameters = new Map([
      ['base_model.model.encoder.proj.lora_A.weight', tensor(a, [2, 3])],
      ['base_model.model.encoder.proj.lora_B.weight', tensor(b, [2, 2])],
    ]);
    // B·A by hand: row o, column i = Σ_r B[o, r]·A[r, i].
    const ba = [0, 1].flatMap((o) => [0, 1, 2].map((i) => b[2 * o]! * a[i]! + b[2 * o + 1]! * a[3 + i]!));
    for (const [useRslora, scale] of [
      [false, 3 / 2],
      [true, 3 / Math.SQRT2],
    ] as const) {
      const merged = mergeLora(base, { config: { rank: 2, alpha: 3, targets: ['proj'], useRslora }, parameters });
      expect(
        maxDifference(
          merged.get('encoder.proj.weight')!.dataSync(),
          w.map((v, i) => v + scale * ba[i]!),
        ),
      ).toBeLessThan(1e-6);
      expect(merged.get('encoder.proj.bias')).toBe(base.get('encoder.proj.bias'));
    }
    expect(matmul(tensor(b, [2, 2]), tensor(a, [2, 3])).dataSync()).toEqual(Float32Array.from(ba));
  });
});

describe('LoRA input errors', () => {
  let base: GptParameters;
  beforeEach(async () => {
    await setBackend('cpu');
    base = randomGptParameters(config, 3);
  });

  it('refuses training with dropout > 0 (PEFT drops the LoRA input, which merged weights cannot express) but evaluates', () => {
    const adapter = createLora(base, { ...lora, dropout: 0.1 }, 1);
    expect(() => applyLora(base, adapter, { training: true })).toThrow(
      /applyLora: expected dropout 0 when training, got 0\.1\nhelp: PEFT drops the LoRA input only, which a merged weight cannot express: pass the adapter to the forward pass instead/,
    );
    expect(applyLora(base, adapter).size).toBe(base.size);
  });

  it('names a target that matches no module, and one that selects a non-projection', () => {
    expect(() => createLora(base, { ...lora, targets: ['c_attn', 'q_proj'] })).toThrow(
      /createLora: expected every target to name a module of the base model, got no module matches 'q_proj'[\s\S]*help: modules are parameter names without '.weight', e.g. 'transformer.wte'/,
    );
    expect(() => createLora(base, { ...lora, targets: ['ln_1'] })).toThrow(
      /target 'ln_1' to select projection weights \(rank 2\), got 'transformer.h.0.ln_1.weight' of shape \[16\]/,
    );
  });

  it('checks the config', () => {
    expect(() => createLora(base, { ...lora, rank: 0 })).toThrow(/createLora: expected rank an integer in \[1, 65536\], got 0/);
    expect(() => createLora(base, { ...lora, alpha: Number.NaN })).toThrow(/expected alpha a finite number > 0, got NaN/);
    expect(() => createLora(base, { ...lora, targets: [] })).toThrow(/expected targets a non-empty list of at most 1024 module names, got \[\]/);
    expect(() => createLora(base, { ...lora, dropout: 1 })).toThrow(/expected dropout in \[0, 1\), got 1/);
  });

  it('names the tensor when the adapter does not fit the base (other width, other depth, wrong layout, wrong rank)', () => {
    const adapter = createLora(base, lora, 1);
    const wider = randomGptParameters({ ...config, modelDim: 20 }, 3);
    expect(() => applyLora(wider, adapter)).toThrow(
      /applyLora: expected 'base_model.model.transformer.h.0.attn.c_attn.lora_A.weight' \[rank, 20\] and lora_B \[60, rank\] for 'transformer.h.0.attn.c_attn.weight' \[20, 60\] stored \[in, out\] \(fanInFanOut\), got A \[rank, 16\] and B \[48, rank\]/,
    );
    const deeper = randomGptParameters({ ...config, layers: 3 }, 3);
    expect(() => applyLora(deeper, adapter)).toThrow(
      /expected LoRA tensors for every targeted module of the base, got none for 'base_model.model.transformer.h.2.attn.c_attn.lora_A.weight'/,
    );
    const shallower = randomGptParameters({ ...config, layers: 1 }, 3);
    expect(() => applyLora(shallower, adapter)).toThrow(
      /expected a base weight 'transformer.h.1.attn.c_attn.weight' for 'base_model.model.transformer.h.1.attn.c_attn.lora_A.weight', got none/,
    );
    expect(() => applyLora(base, { ...adapter, config: { ...lora, fanInFanOut: false } })).toThrow(
      /stored \[out, in\], got A \[rank, 16\] and B \[48, rank\][\s\S]*help: check fanInFanOut/,
    );
    expect(() => applyLora(base, { ...adapter, config: { ...lora, rank: 8 } })).toThrow(
      /expected 'base_model.model.transformer.h.0.attn.c_attn.lora_A.weight' of shape \[8 \(rank\), in\], got \[4, 16\]/,
    );
    const parameters = new Map(adapter.parameters);
    parameters.delete('base_model.model.transformer.h.1.mlp.c_fc.lora_B.weight');
    expect(() => applyLora(base, { config: lora, parameters })).toThrow(/got no 'base_model.model.transformer.h.1.mlp.c_fc.lora_B.weight'/);
    const renamed = new Map([...adapter.parameters].map(([name, t]) => [name.replace('lora_A', 'lora_a'), t] as [string, Tensor]));
    expect(() => applyLora(base, { config: lora, parameters: renamed })).toThrow(/got 'base_model.model.transformer.h.0.attn.c_attn.lora_a.weight'/);
  });
});
