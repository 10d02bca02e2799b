import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argMax, argMin, clamp, min, minimum, pow, tensor, tidy, where } from '../index';

const runs = Number(process.env.WATTFORMER_FUZZ_RUNS ?? 200);
const seed = Number(process.env.WATTFORMER_FUZZ_SEED ?? 20261206);

const f32 = (x: number): number => Math.fround(x);
const finite = fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(f32);
const row = fc.array(finite, { minLength: 1, maxLength: 12 });
const i32 = fc.integer({ min: -2147483648, max: 2147483647 });

describe('the composite ops against plain JavaScript (fuzz)', () => {
  it('minimum, min, clamp and where agree exactly with Math.min / Math.max / the ternary', () => {
    fc.assert(
      fc.property(row, row, finite, finite, (a, b, p, q) => {
        const n = Math.min(a.length, b.length);
        const [x, y] = [a.slice(0, n), b.slice(0, n)];
        const [lo, hi] = p <= q ? [p, q] : [q, p];
        tidy(() => {
          expect(Array.from(minimum(tensor(x), tensor(y)).dataSync())).toEqual(x.map((v, i) => (v <= y[i]! ? v : y[i]!)));
          expect(min(tensor(x)).itemSync()).toBe(Math.min(...x));
          expect(Array.from(clamp(tensor(x), lo, hi).dataSync())).toEqual(x.map((v) => Math.min(Math.max(v, lo), hi)));
          const mask = x.map((v) => (v > 0 ? 1 : 0));
          // where's documented exception: a picked -0 comes back as +0 (its concat is pad + add).
          const plusZero = (v: number) => (Object.is(v, -0) ? 0 : v);
          expect(Array.from(where(tensor(mask), tensor(x), tensor(y)).dataSync())).toEqual(x.map((v, i) => plusZero(mask[i] ? v : y[i]!)));
        });
      }),
      { numRuns: runs, seed },
    );
  });

  it('argMax and argMin give the first extreme index, on f32 and on the full i32 range', () => {
    fc.assert(
      fc.property(row, fc.array(i32, { minLength: 1, maxLength: 12 }), (x, ints) => {
        tidy(() => {
          expect(argMax(tensor(x)).itemSync()).toBe(x.indexOf(Math.max(...x)));
          expect(argMin(tensor(x)).itemSync()).toBe(x.indexOf(Math.min(...x)));
          const t = tensor(ints, [ints.length], 'i32');
          expect(argMax(t).itemSync()).toBe(ints.indexOf(Math.max(...ints)));
          expect(argMin(t).itemSync()).toBe(ints.indexOf(Math.min(...ints)));
          expect(min(t).itemSync()).toBe(Math.min(...ints));
          expect(Array.from(minimum(t, tensor(ints.slice().reverse(), [ints.length], 'i32')).dataSync())).toEqual(
            ints.map((v, i) => Math.min(v, ints[ints.length - 1 - i]!)),
          );
        });
      }),
      { numRuns: runs, seed },
    );
  });

  it('pow with a small integer exponent matches Math.pow to f32 rounding, signs exact', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, min: -8, max: 8 }).map(f32), fc.integer({ min: -6, max: 6 }), (x, p) => {
        const got = tidy(() => pow(tensor([x]), p).itemSync());
        const want = f32(x ** p);
        if (want === 0) expect(got === 0).toBe(true);
        else if (!Number.isFinite(want)) expect(got).toBe(want);
        else expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.abs(want) * 4e-7 * Math.max(1, Math.abs(p)));
        if (x < 0 && p % 2 !== 0 && want !== 0) expect(Math.sign(got)).toBe(-1);
      }),
      { numRuns: runs, seed },
    );
  });
});
