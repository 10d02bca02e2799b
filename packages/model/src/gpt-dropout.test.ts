import { noGrad, setBackend, tensor, tidy, valueAndGrad, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { describe, expect, it } from 'vitest';
import { gptLogits, gptLoss, initGptParameters } from './gpt';
import type { GptConfig } from './gpt-config';
import { GptModel } from './gpt-model';
import { gptConfigFromHf, gptConfigToHf } from './hf-config';
import { KvCache } from './kv-cache';

const plain: GptConfig = { vocabSize: 23, contextLength: 8, modelDim: 16, layers: 2, heads: 2, mlpDim: 32, tiedEmbeddings: true };
const withDropout: GptConfig = { ...plain, embdPdrop: 0.1, residPdrop: 0.2, attnPdrop: 0.3 };
const tokens = () => tensor(Int32Array.from([3, 7, 1, 9, 22, 0, 5, 5, 2, 14]), [2, 5], 'i32');
const values = (t: Tensor) => Array.from(t.dataSync());

describe.each(['cpu', 'wasm'])('GPT dropout on %s', (backendName) => {
  it('eval mode is deterministic and equals the logits without dropout; training changes them, reproducibly per seed', async () => {
    await setBackend(backendName);
    const model = new GptModel(withDropout, initGptParameters(withDropout, 2));
    const reference = values(gptLogits(model.parameters, plain, tokens()));
    expect(values(model.forward(tokens()))).toEqual(reference);
    expect(values(model.forward(tokens()))).toEqual(reference);
    model.train();
    const a = values(model.forward(tokens(), { seed: 7 }));
    const b = values(model.forward(tokens(), { seed: 7 }));
    const c = values(model.forward(tokens(), { seed: 8 }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(reference);
    expect(c).not.toEqual(a);
    expect(values(model.eval().forward(tokens(), { seed: 7 }))).toEqual(reference);
  });

  it('each rate acts on its own (attention-probability dropout included) and the loss takes training mode', async () => {
    await setBackend(backendName);
    const parameters = initGptParameters(plain, 2);
    const reference = values(gptLogits(parameters, plain, tokens()));
    for (const rate of [{ embdPdrop: 0.5 }, { residPdrop: 0.5 }, { attnPdrop: 0.5 }]) {
      const changed = values(gptLogits(parameters, { ...plain, ...rate }, tokens(), { training: true, seed: 1 }));
      expect([rate, changed.some((v, i) => v !== reference[i])]).toEqual([rate, true]);
    }
    const targets = tensor(Int32Array.from([7, 1, 9, 22, -100, 5, 5, 2, 14, -100]), [2, 5], 'i32');
    const evalLoss = gptLoss(parameters, withDropout, tokens(), targets).dataSync()[0];
    expect(gptLoss(parameters, plain, tokens(), targets).dataSync()[0]).toBe(evalLoss);
    expect(gptLoss(parameters, withDropout, tokens(), targets, { training: true, seed: 3 }).dataSync()[0]).not.toBe(evalLoss);
  });

  it('gradients flow through the dropout masks (same seed: same loss and gradients twice)', async () => {
    await setBackend(backendName);
    const parameters = initGptParameters(withDropout, 4);
    const targets = tensor(Int32Array.from([7, 1, 9, 22, 3, 5, 5, 2, 14, 1]), [2, 5], 'i32');
    const run = () =>
      tidy(() => {
        const { value, grads } = valueAndGrad(() => gptLoss(parameters, withDropout, tokens(), targets, { training: true, seed: 5 }), [...parameters.values()]);
        return [value.dataSync()[0]!, ...grads.flatMap((g) => values(g as Tensor))];
      });
    const first = run();
    expect(run()).toEqual(first);
    expect(first.slice(1).some((g) => g !== 0)).toBe(true);
  });
});

describe('GPT dropout config', () => {
  it('round-trips through config.json (attn/embd/resid_pdrop) and stays unchanged without dropout', () => {
    expect(gptConfigToHf(withDropout)).toMatchObject({ embd_pdrop: 0.1, resid_pdrop: 0.2, attn_pdrop: 0.3 });
    expect(gptConfigFromHf(gptConfigToHf(withDropout))).toEqual(withDropout);
    expect(gptConfigFromHf(gptConfigToHf(plain))).toEqual(plain);
    expect(() => gptConfigFromHf({ model_type: 'gpt2', attn_pdrop: 1.5 })).toThrow(
      /^model: loadGptCheckpoint: expected config.json attn_pdrop in \[0, 1\), got 1.5/,
    );
  });

  it('refuses a bad rate and attention dropout with a KV cache', async () => {
    await setBackend('cpu');
    const parameters = initGptParameters(plain, 1);
    expect(() => gptLogits(parameters, { ...plain, residPdrop: 1 }, tokens(), { training: true })).toThrow(
      /^model: gpt: expected residPdrop in \[0, 1\), got 1/,
    );
    const cache = new KvCache(plain.layers, 2, 8);
    expect(() => noGrad(() => gptLogits(parameters, withDropout, tokens(), { cache, training: true }))).toThrow(
      /^model: gpt: expected a KV cache in evaluation mode, got training: true with attnPdrop > 0/,
    );
  });
});

describe('GPT dropout across backends', () => {
  it('the same seed drops the same elements on cpu and wasm (training logits within 1e-4)', async () => {
    const logits: number[][] = [];
    for (const backend of ['cpu', 'wasm']) {
      await setBackend(backend);
      logits.push(values(gptLogits(initGptParameters(withDropout, 2), withDropout, tokens(), { training: true, seed: 21 })));
    }
    const [cpu, wasm] = logits as [number[], number[]];
    expect(cpu.every((v, i) => Math.abs(v - wasm[i]!) <= 1e-4 * (1 + Math.abs(v)))).toBe(true);
    await setBackend('cpu');
    expect(
      values(gptLogits(initGptParameters(withDropout, 2), withDropout, tokens(), { training: true, seed: 22 })).every(
        (v, i) => Math.abs(v - cpu[i]!) <= 1e-4 * (1 + Math.abs(v)),
      ),
    ).toBe(false);
  });
});
