import { describe, expect, it } from 'vitest';
import { countGptParameters, gptPresets } from './gpt-config';
import { gptFlopsPerToken } from './gpt-flops';

describe('gptFlopsPerToken', () => {
  it('gives the hand-computed FLOPs of the 124M gpt2 at its 1,024-token context', () => {
    // blocks: 2·12·(3·768² + 768² + 2·768·3072) = 2·12·7,077,888 = 169,869,312
    // head: 2·768·50,257 = 77,194,752; attention: 4·12·1,024·768 = 37,748,736
    const flops = gptFlopsPerToken(gptPresets.gpt2);
    expect(flops.breakdown).toEqual({ blocks: 169_869_312, head: 77_194_752, attention: 37_748_736 });
    expect(flops.forward).toBe(284_812_800);
    expect(flops.training).toBe(854_438_400);
  });

  it('scales the attention term with the sequence length only', () => {
    // tiny: blocks 2·4·(4·128² + 2·128·512) = 1,572,864; head 2·128·256 = 65,536; attention 4·4·T·128.
    expect(gptFlopsPerToken(gptPresets.tiny)).toEqual({
      forward: 1_572_864 + 65_536 + 262_144,
      training: 3 * (1_572_864 + 65_536 + 262_144),
      breakdown: { blocks: 1_572_864, head: 65_536, attention: 262_144 },
    });
    expect(gptFlopsPerToken(gptPresets.tiny, { sequenceLength: 64 }).breakdown.attention).toBe(131_072);
  });

  it('matches 2 × the matmul weights (non-embedding weights without biases and LayerNorms, plus the head)', () => {
    const { nonEmbedding } = countGptParameters(gptPresets.gpt2);
    const { modelDim: C, layers: L, mlpDim: F, vocabSize: V } = gptPresets.gpt2;
    const biasesAndNorms = L * (4 * C + 3 * C + C + F + C) + 2 * C;
    const { blocks, head } = gptFlopsPerToken(gptPresets.gpt2).breakdown;
    expect(blocks + head).toBe(2 * (nonEmbedding - biasesAndNorms) + 2 * C * V);
  });
});
