import { describe, expect, it } from 'vitest';
import { maskTokensForMlm } from './mlm-masking';

describe('maskTokensForMlm', () => {
  const vocabSize = 1000;
  const special = [0, 101, 102];
  const tokens = Int32Array.from({ length: 40_000 }, (_, i) => (i % 50 === 0 ? 101 : 200 + (i % 700)));

  it('chooses ~15% of maskable tokens; of those ~80% [MASK], ~10% random, ~10% kept; labels −100 elsewhere', () => {
    const { inputIds, labels } = maskTokensForMlm(tokens, { vocabSize, maskTokenId: 103, specialTokenIds: special, seed: 42 });
    let chosen = 0;
    let masked = 0;
    let kept = 0;
    let maskable = 0;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i] !== 101) maskable++;
      if (labels[i] === -100) {
        expect(inputIds[i]).toBe(tokens[i]);
        continue;
      }
      chosen++;
      expect(labels[i]).toBe(tokens[i]);
      expect(tokens[i]).not.toBe(101); // special tokens are never chosen
      if (inputIds[i] === 103) masked++;
      else if (inputIds[i] === tokens[i]) kept++;
    }
    // Binomial spreads at n ≈ 39,200 and ≈ 5,900: ±5σ bounds, so a correct sampler never fails.
    expect(chosen / maskable).toBeGreaterThan(0.15 - 0.0091);
    expect(chosen / maskable).toBeLessThan(0.15 + 0.0091);
    expect(masked / chosen).toBeGreaterThan(0.8 - 0.026);
    expect(masked / chosen).toBeLessThan(0.8 + 0.026);
    // "kept" includes random draws that happened to pick the same id (1/1000 of the 10%).
    expect(kept / chosen).toBeGreaterThan(0.1 - 0.02);
    expect(kept / chosen).toBeLessThan(0.1 + 0.02);
  });

  it('is a pure function of the seed', () => {
    const a = maskTokensForMlm(tokens.subarray(0, 500), { vocabSize, maskTokenId: 103, seed: 1 });
    const b = maskTokensForMlm(tokens.subarray(0, 500), { vocabSize, maskTokenId: 103, seed: 1 });
    const c = maskTokensForMlm(tokens.subarray(0, 500), { vocabSize, maskTokenId: 103, seed: 2 });
    expect(Array.from(a.inputIds)).toEqual(Array.from(b.inputIds));
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Array.from(c.labels)).not.toEqual(Array.from(a.labels));
  });

  it('refuses ids outside the vocabulary and a bad probability', () => {
    expect(() => maskTokensForMlm([1, 2000], { vocabSize, maskTokenId: 103, seed: 0 })).toThrow(
      /^model: maskTokensForMlm: expected token ids in \[0, 1000\), got 2000 at 1/,
    );
    expect(() => maskTokensForMlm([1], { vocabSize, maskTokenId: 1000, seed: 0 })).toThrow(/expected maskTokenId in \[0, 1000\), got 1000/);
    expect(() => maskTokensForMlm([1], { vocabSize, maskTokenId: 3, probability: 1.5, seed: 0 })).toThrow(/expected probability in \[0, 1\], got 1.5/);
  });
});
