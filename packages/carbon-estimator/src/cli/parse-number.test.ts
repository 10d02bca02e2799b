import { describe, expect, it } from 'vitest';
import { parseCliNumber } from './parse-number';

describe('parseCliNumber', () => {
  it('reads plain and scientific numbers', () => {
    expect(parseCliNumber('--params', '175e9')).toBe(175e9);
    expect(parseCliNumber('--flops', '3.14E23')).toBe(3.14e23);
    expect(parseCliNumber('--mfu', '.4')).toBe(0.4);
    expect(parseCliNumber('--devices', '10_000')).toBe(10000);
  });

  it('reads count suffixes: 7B, 2T, 1.5k, 350M', () => {
    expect(parseCliNumber('--params', '7B')).toBe(7e9);
    expect(parseCliNumber('--tokens', '2T')).toBe(2e12);
    expect(parseCliNumber('--tokens', '1.5k')).toBe(1500);
    expect(parseCliNumber('--params', '350M')).toBe(350e6);
    expect(parseCliNumber('--flops', '3.1e23')).toBe(3.1e23);
  });

  it('refuses fractions where a whole number is needed, and overlong text', () => {
    expect(() => parseCliNumber('--devices', '1.5', { positive: true, integer: true })).toThrow(/expected --devices to be a whole number, got '1.5'/);
    expect(parseCliNumber('--devices', '8', { positive: true, integer: true })).toBe(8);
    expect(() => parseCliNumber('--params', '1'.repeat(10_000))).toThrow(/10000 characters/);
  });

  it('refuses non-numeric, negative, infinite and zero-when-positive values', () => {
    expect(() => parseCliNumber('--params', 'abc')).toThrow(/expected --params to be a number like 175e9, 7B, 2T or 0.4, got 'abc'/);
    expect(() => parseCliNumber('--params', '175X')).toThrow(/got '175X'/);
    expect(() => parseCliNumber('--params', '-1')).toThrow(/expected --params to be >= 0, got '-1'/);
    expect(() => parseCliNumber('--params', '1e999')).toThrow(/finite/);
    expect(() => parseCliNumber('--devices', '0', { positive: true })).toThrow(/> 0/);
    expect(() => parseCliNumber('--params', '')).toThrow(/got ''/);
  });
});
