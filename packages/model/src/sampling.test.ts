import { describe, expect, it } from 'vitest';
import { applyRepetitionPenalty, argmax, pickToken } from './sampling';

describe('sampling', () => {
  const logits = () => Float32Array.from([1, 3, 2, -1, 3]);

  it('greedy takes the first largest logit', () => {
    expect(argmax(logits())).toBe(1);
    expect(pickToken(logits(), {}, 0.99)).toBe(1);
  });

  it('penalises seen tokens as CTRL/Hugging Face do: positive ÷ p, negative × p', () => {
    const x = logits();
    applyRepetitionPenalty(x, [1, 3, 3], 2);
    expect([...x]).toEqual([1, 1.5, 2, -2, 3]);
  });

  it('top-k 1 is greedy whatever the draw', () => {
    for (const u of [0, 0.5, 0.999]) expect(pickToken(logits(), { sample: true, topK: 1 }, u)).toBe(1);
  });

  it('draws by inverse CDF over tokens in descending-probability order', () => {
    // Tokens 1 and 4 (logit 3) each hold e^0 / Z; with top-k 2 they split the mass in half.
    expect(pickToken(logits(), { sample: true, topK: 2 }, 0.49)).toBe(1);
    expect(pickToken(logits(), { sample: true, topK: 2 }, 0.51)).toBe(4);
  });

  it('top-p keeps the smallest prefix reaching p', () => {
    // Probabilities ∝ [e, e³, e², e⁻¹, e³] = [0.054, 0.397, 0.146, 0.007, 0.397]: tokens 1 and 4
    // reach 0.793, so p = 0.75 keeps only them and p = 0.9 adds token 2.
    for (const u of [0, 0.3, 0.6, 0.99]) expect([1, 4]).toContain(pickToken(logits(), { sample: true, topP: 0.75 }, u));
    expect(pickToken(logits(), { sample: true, topP: 0.9 }, 0.99)).toBe(2);
  });

  it('a low temperature concentrates, a high one spreads the draws', () => {
    const x = Float32Array.from([0, 1]);
    expect(pickToken(x, { sample: true, temperature: 0.01 }, 0.999)).toBe(1);
    // At temperature 1000 both tokens are ~equally likely: u = 0.6 lands on the second one.
    expect(pickToken(x, { sample: true, temperature: 1000 }, 0.6)).toBe(0);
  });
});
