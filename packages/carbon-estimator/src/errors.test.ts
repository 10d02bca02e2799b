import { describe, expect, it } from 'vitest';
import { CarbonEstimatorError, requireNonNegative } from './errors';
import { closeMatches, editDistance } from './close-matches';

describe('CarbonEstimatorError', () => {
  it('uses the house message shape and a stable code', () => {
    const error = new CarbonEstimatorError('E_ARGUMENT', { op: 'estimate', expected: 'x', got: 'y', help: 'do z' });
    expect(error.message).toBe('carbon-estimator: estimate: expected x, got y\nhelp: do z');
    expect(error.code).toBe('E_ARGUMENT');
    expect(error).toBeInstanceOf(Error);
  });

  it('rejects negative, non-finite and non-numeric values by name', () => {
    expect(() => requireNonNegative('estimate', 'params', -1)).toThrow(/expected params to be a finite number >= 0, got -1/);
    expect(() => requireNonNegative('estimate', 'params', Number.NaN)).toThrow(CarbonEstimatorError);
    expect(() => requireNonNegative('estimate', 'params', '12')).toThrow(/got '12'/);
    expect(() => requireNonNegative('estimate', 'devices', 0, true)).toThrow(/> 0/);
    expect(requireNonNegative('estimate', 'params', 175e9)).toBe(175e9);
  });
});

describe('closeMatches', () => {
  it('computes edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('H100', 'h100')).toBe(0);
  });

  it('suggests near and containing candidates, nearest first', () => {
    expect(closeMatches('h10', ['h100-sxm', 'h100-pcie', 'v100-sxm2', 'mi300x'])).toEqual(['h100-pcie', 'h100-sxm']);
    expect(closeMatches('a1000', ['a100-40gb', 'a100', 'tpu-v4'])[0]).toBe('a100');
    expect(closeMatches('zzzzzz', ['a100', 'h100'])).toEqual([]);
  });
});
