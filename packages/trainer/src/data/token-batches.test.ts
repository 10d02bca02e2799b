import { describe, expect, it } from 'vitest';
import { splitTokens, TokenBatches } from './token-batches';

const stream = Int32Array.from({ length: 100 }, (_, i) => i);

describe('TokenBatches', () => {
  it('makes next-token pairs: targets are the tokens shifted by one', () => {
    const { tokens, targets } = new TokenBatches(stream, { batchSize: 3, contextLength: 8, seed: 5 }).next();
    expect(tokens.length).toBe(24);
    for (let i = 0; i < 24; i++) expect(targets[i]).toBe(tokens[i]! + 1);
    for (let b = 0; b < 3; b++) for (let t = 1; t < 8; t++) expect(tokens[b * 8 + t]).toBe(tokens[b * 8 + t - 1]! + 1);
  });

  it('is reproducible from its seed and resumes exactly from a saved state', () => {
    const a = new TokenBatches(stream, { batchSize: 2, contextLength: 4, seed: 9 });
    const b = new TokenBatches(stream, { batchSize: 2, contextLength: 4, seed: 9 });
    a.next();
    b.next();
    const saved = a.state();
    const expected = [a.next(), a.next()];
    const resumed = new TokenBatches(stream, { batchSize: 2, contextLength: 4, seed: 123 });
    resumed.restore(saved);
    expect([resumed.next(), resumed.next()]).toEqual(expected);
    expect(b.next()).toEqual(expected[0]);
  });

  it('walks the stream in order and wraps when sequential', () => {
    const batches = new TokenBatches(
      Int32Array.from({ length: 20 }, (_, i) => i),
      { batchSize: 2, contextLength: 5, order: 'sequential' },
    );
    expect(Array.from(batches.next().tokens)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(batches.next().tokens)).toEqual([10, 11, 12, 13, 14, 0, 1, 2, 3, 4]);
  });

  it('refuses a stream too short for one window and bad sizes', () => {
    expect(() => new TokenBatches(new Int32Array(8), { batchSize: 1, contextLength: 8 })).toThrow(
      /^trainer: batches: expected a token stream longer than contextLength \+ 1 = 9, got 8 tokens\nhelp:/,
    );
    expect(() => new TokenBatches(stream, { batchSize: 0, contextLength: 8 })).toThrow(/expected batchSize to be a positive integer, got 0/);
  });

  it('splits 90/10 by default', () => {
    const { train, validation } = splitTokens(stream);
    expect([train.length, validation.length, validation[0]]).toEqual([90, 10, 90]);
    expect(() => splitTokens(stream, 1)).toThrow(/validationFraction in \(0, 1\)/);
  });
});
