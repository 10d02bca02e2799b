import { describe, expect, it } from 'vitest';
import { parseCliNumber } from './parse-number';

describe('parseCliNumber', () => {
  it('reads plain and scientific numbers', () => {
    expect(parseCliNumber('--params', '175e9')).toBe(175e9);
    expect(parseCliNumber('--flops', '3.14E23')).toBe(3.14e23);
    expect(parseCliNumber('--mfu', '.4')).toBe(0.4);
    expect(parseCliNumber('--devices', '10_000')).toBe(10000);
  });

  it('refuses non-numeric, negative, infinite and zero-when-positive values', () => {
    expect(() => parseCliNumber('--params', 'abc')).toThrow(/expected --params to be a number like 175e9 or 0.4, got 'abc'/);
    expect(() => parseCliNumber('--params', '175B')).toThrow(/got '175B'/);
    expect(() => parseCliNumber('--params', '-1')).toThrow(/expected --params to be >= 0, got '-1'/);
    expect(() => parseCliNumber('--params', '1e999')).toThrow(/finite/);
    expect(() => parseCliNumber('--devices', '0', { positive: true })).toThrow(/> 0/);
    expect(() => parseCliNumber('--params', '')).toThrow(/got ''/);
  });
});
