import { describe, expect, it } from 'vitest';
import { trainingFlops } from './flops';

describe('trainingFlops', () => {
  it("is 6ND for GPT-3 and lands within 1% of Patterson's 3.14e23", () => {
    const { flops } = trainingFlops(175e9, 300e9);
    expect(flops).toBe(3.15e23);
    expect(Math.abs(flops / 3.14e23 - 1)).toBeLessThan(0.01);
  });

  it('adds the attention term T/(6·d_model) relative to 6ND (d_model 256, T 512 -> +33%)', () => {
    const layers = 4;
    const dModel = 256;
    const params = 12 * layers * dModel * dModel;
    const base = trainingFlops(params, 1e6).flops;
    const withAttention = trainingFlops(params, 1e6, { layers, dModel, contextLength: 512 });
    expect(withAttention.flops / base - 1).toBeCloseTo(512 / (6 * dModel), 10);
    expect(withAttention.method).toMatch(/PaLM/);
  });

  it('uses heads x headDim when given', () => {
    const a = trainingFlops(1e6, 1e3, { layers: 2, heads: 4, headDim: 16, contextLength: 8 });
    expect(a.attentionFlops).toBe(12 * 2 * 64 * 8 * 1e3);
  });

  it('rejects negative inputs and a shape without width', () => {
    expect(() => trainingFlops(-1, 1)).toThrow(/params/);
    expect(() => trainingFlops(1, 1, { layers: 2, contextLength: 8 })).toThrow(/dModel/);
  });
});
