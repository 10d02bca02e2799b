/**
 * pickToken orders candidates lazily (a heap); this checks it picks exactly the token a full sort
 * of the row gives, for random rows (ties, -Infinity from masks, large vocabularies), temperatures,
 * top-k, top-p and draws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickToken, type SamplingOptions } from './sampling';

const runs = Number(process.env.WATTFORMER_FUZZ_RUNS ?? 300);
const seed = Number(process.env.WATTFORMER_FUZZ_SEED ?? 20261206);

/** The definition: sort every token by (logit desc, index asc), then top-k, top-p and the inverse-CDF draw. */
function sortedReference(logits: Float32Array, options: SamplingOptions, uniform: number): number {
  const temperature = options.temperature ?? 1;
  const order = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]! || a - b);
  const keep = Math.min(order.length, options.topK ?? order.length);
  const top = logits[order[0]!]!;
  const weights = order.slice(0, keep).map((t) => Math.exp((logits[t]! - top) / temperature));
  const total = weights.reduce((a, w) => a + w, 0);
  let count = keep;
  if ((options.topP ?? 1) < 1) {
    let cumulative = 0;
    for (let i = 0; i < keep; i++) {
      cumulative += weights[i]! / total;
      if (cumulative >= (options.topP ?? 1)) {
        count = i + 1;
        break;
      }
    }
  }
  let target = uniform * weights.slice(0, count).reduce((a, w) => a + w, 0);
  for (let i = 0; i < count; i++) {
    target -= weights[i]!;
    if (target < 0) return order[i]!;
  }
  return order[count - 1]!;
}

const row = fc.oneof(
  // Small vocabularies with many ties and masked tokens.
  fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(Number.NEGATIVE_INFINITY)), { minLength: 1, maxLength: 40 }),
  // Larger rows of real-valued logits.
  fc.array(fc.float({ min: -20, max: 20, noNaN: true }), { minLength: 1, maxLength: 3000 }),
);

describe('pickToken (lazy ordering) = the full-sort definition', () => {
  it('same token for random rows, temperatures, top-k, top-p and draws', () => {
    fc.assert(
      fc.property(
        row,
        fc.record({
          temperature: fc.oneof(fc.constant(1), fc.double({ min: 0.05, max: 5, noNaN: true })),
          topK: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
          topP: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true }), { nil: undefined }),
        }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (values, knobs, uniform) => {
          const logits = Float32Array.from(values);
          if (!Number.isFinite(Math.max(...logits))) logits[0] = 0; // at least one token can be drawn
          const options: SamplingOptions = {
            sample: true,
            temperature: knobs.temperature,
            ...(knobs.topK ? { topK: knobs.topK } : {}),
            ...(knobs.topP ? { topP: knobs.topP } : {}),
          };
          expect(pickToken(logits, options, uniform)).toBe(sortedReference(logits, options, uniform));
        },
      ),
      { numRuns: runs, seed },
    );
  });
});
