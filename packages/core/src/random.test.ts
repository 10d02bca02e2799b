import { describe, expect, it } from 'vitest';
import { rand, randn, setSeed } from './index';
import { lowbias32, randomBits, uniformAt } from './random';

describe('counter-based random numbers', () => {
  it('pins the bits every backend must reproduce', () => {
    // Any port (Rust, WGSL) of the documented hash must produce exactly these.
    expect(lowbias32(0)).toBe(0);
    expect(lowbias32(1)).toBe(1753845952);
    expect([0, 1, 2].map((i) => randomBits(7, i))).toEqual([3067430969, 1399455898, 444677480]);
    expect(randomBits(0, 0)).toBe(2488251732);
    expect(randomBits(0xffffffff, 123456)).toBe(1943361020);
    expect(uniformAt(7, 0)).toBe((randomBits(7, 0) >>> 8) / 2 ** 24);
    expect(Array.from(rand([3], { seed: 7 }).dataSync())).toEqual([0, 1, 2].map((i) => uniformAt(7, i)));
  });

  it('hands out disjoint ranges of the global stream and restarts on setSeed', () => {
    setSeed(123);
    const first = Array.from(randn([4]).dataSync());
    const second = Array.from(randn([4]).dataSync());
    expect(first).not.toEqual(second);
    setSeed(123);
    expect(Array.from(randn([4]).dataSync())).toEqual(first);
  });

  it('is uniform enough for dropout and initialisation', () => {
    const values = Array.from({ length: 20000 }, (_, i) => uniformAt(1, i));
    const buckets = new Array<number>(10).fill(0);
    for (const v of values) buckets[Math.floor(v * 10)]! += 1;
    for (const count of buckets) expect(Math.abs(count - 2000)).toBeLessThan(200);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});
