import { describe, expect, it } from 'vitest';
import { add, exact, fromObservations, multiply, reciprocal, scale } from './interval';

describe('interval arithmetic', () => {
  it('multiplies ends together (envelope)', () => {
    const product = multiply({ value: 2, low: 1, high: 3 }, { value: 10, low: 5, high: 20 });
    expect(product).toEqual({ value: 20, low: 5, high: 60 });
  });

  it('swaps ends for a reciprocal', () => {
    expect(reciprocal({ value: 0.5, low: 0.25, high: 1 })).toEqual({ value: 2, low: 1, high: 4 });
  });

  it('adds and scales', () => {
    expect(add(exact(1), { value: 2, low: 1, high: 4 })).toEqual({ value: 3, low: 2, high: 5 });
    expect(scale({ value: 2, low: 1, high: 3 }, 2)).toEqual({ value: 4, low: 2, high: 6 });
  });

  it('builds a range from observations that always contains the central value', () => {
    expect(fromObservations(44, [56, 57])).toEqual({ value: 44, low: 44, high: 57 });
  });
});
