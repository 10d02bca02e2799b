import { memory, setBackend, tensor, tidy, valueAndGrad } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { describe, expect, it } from 'vitest';
import { gptLoss, initGptParameters } from './gpt';
import type { GptConfig } from './gpt-config';

const config: GptConfig = { vocabSize: 64, contextLength: 16, modelDim: 32, layers: 2, heads: 2, mlpDim: 128, tiedEmbeddings: true };
const [B, T] = [4, 16];
const N = B * T;
const { modelDim: C, mlpDim: F, vocabSize: V, layers: L } = config;

// On a backend with the fused kernels (LayerNorm, attention, GELU, cross-entropy), so what is
// kept is exactly what their backward reads; cpu's default bodies keep their own intermediates.
describe.each(['wasm'])('GPT training memory on %s', (backendName) => {
  it('keeps only what backward reads: matmul outputs before their bias, the qkv projection and residual branches are freed in the forward', async () => {
    await setBackend(backendName);
    const p = initGptParameters(config, 3);
    const tokens = tensor(
      Int32Array.from({ length: N }, (_, i) => (i * 5) % V),
      [B, T],
      'i32',
    );
    const targets = tensor(
      Int32Array.from({ length: N }, (_, i) => (i * 5 + 1) % V),
      [B, T],
      'i32',
    );
    let forwardBytes = 0;
    tidy(() => {
      const before = memory().backendBytes;
      valueAndGrad(() => {
        const loss = gptLoss(p, config, tokens, targets);
        forwardBytes = memory().backendBytes - before;
        return loss;
      }, [...p.values()]);
    });
    // What backward reads per block: ln_1 out, q, k, v, attention out, the residual sum, ln_2
    // out, the MLP's pre-GELU and post-GELU activations, the block output (8C + 2F per token);
    // then the embeddings' sum, ln_f out and the cross-entropy probabilities. Per-row statistics
    // (LayerNorm mean and rstd, attention log-sum-exp: 6 per block, 2 for ln_f) get 8 per token.
    const kept = N * (L * (8 * C + 2 * F) + C + C + V + 8 * (L + 1)) * 4;
    // Without the frees: + the matmul outputs before bias (3C + C + F + C), qkv (3C) and the
    // biased projections before the residual adds (C + C) per block, and the logits.
    const unreleased = kept + N * (L * (9 * C + F) + V) * 4;
    expect(forwardBytes).toBeGreaterThan(0);
    expect(forwardBytes).toBeLessThanOrEqual(kept);
    expect(forwardBytes).toBeLessThan(unreleased * 0.7);
  });
});
