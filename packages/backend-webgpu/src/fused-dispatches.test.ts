import { keep, sum, tensor, tidy, valueAndGrad, withBackend, type Backend } from '@wattformer/core';
import { gptLoss, initGptParameters, type GptConfig } from '@wattformer/model';
import { afterAll, describe, expect, it } from 'vitest';
import { disposeSoftwareBackends, softwareWebGpuBackend } from '../test/software-backend';
import { webGpuCounters } from './webgpu-backend';

afterAll(disposeSoftwareBackends);

const SWITCHED = ['biasGelu', 'addLayerNorm'] as const;
const config: GptConfig = { vocabSize: 32, contextLength: 8, modelDim: 16, layers: 2, heads: 2, mlpDim: 32, tiedEmbeddings: true };

/** Dispatches of one GPT loss + gradients; `composite` takes the two fused kernels out of `fused` first. */
async function stepDispatches(backend: Backend, composite: boolean): Promise<{ dispatches: number; loss: number; gradSum: number }> {
  const fused = backend.fused as Record<string, unknown>;
  const saved = SWITCHED.map((k) => fused[k]);
  if (composite) for (const k of SWITCHED) delete fused[k];
  try {
    const before = webGpuCounters(backend).dispatches;
    const [loss, gradSum] = withBackend(backend, () =>
      tidy(() => {
        const p = initGptParameters(config, 3);
        const list = [...p.values()];
        const tokens = tensor(
          Int32Array.from({ length: 16 }, (_, i) => (i * 5) % 32),
          [2, 8],
          'i32',
        );
        const targets = tensor(
          Int32Array.from({ length: 16 }, (_, i) => (i * 5 + 3) % 32),
          [2, 8],
          'i32',
        );
        const { value, grads } = valueAndGrad(() => gptLoss(p, config, tokens, targets), list);
        const fc = grads[list.indexOf(p.get('transformer.h.1.mlp.c_fc.bias')!)]!;
        const ln = grads[list.indexOf(p.get('transformer.h.0.ln_2.weight')!)]!;
        return [keep(value), keep(sum(fc.abs()).add(sum(ln.abs())))];
      }),
    );
    const dispatches = webGpuCounters(backend).dispatches - before;
    const result = { dispatches, loss: (await loss!.data())[0]!, gradSum: (await gradSum!.data())[0]! };
    loss!.dispose();
    gradSum!.dispose();
    return result;
  } finally {
    SWITCHED.forEach((k, i) => (fused[k] = saved[i]));
  }
}

describe('fused elementwise kernels in the GPT block (biasGelu, addLayerNorm)', () => {
  it('take dispatches out of a training step and give the same loss and gradients', async () => {
    const backend = await softwareWebGpuBackend();
    const fused = await stepDispatches(backend, false);
    const composite = await stepDispatches(backend, true);
    console.log(`webgpu GPT (${config.layers} layers) loss + gradients: ${fused.dispatches} dispatches fused, ${composite.dispatches} composite`);
    // Per layer: forward add+gelu → 1 and add+layerNorm → 1; backward gelu' + the bias's sum → 1.
    expect(composite.dispatches - fused.dispatches).toBeGreaterThanOrEqual(3 * config.layers);
    expect(fused.loss).toBeCloseTo(composite.loss, 5);
    expect(Math.abs(fused.gradSum - composite.gradSum)).toBeLessThan(1e-4 * Math.max(1, Math.abs(composite.gradSum)));
  });
});
