import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, WattformerError } from '../index';

const runs = Number(process.env.WATTFORMER_FUZZ_RUNS ?? 300);
const seed = Number(process.env.WATTFORMER_FUZZ_SEED ?? 20261206);

describe('tensor() on arbitrary input (fuzz)', () => {
  it('returns a tensor or throws a WattformerError in the documented format, never anything else', () => {
    const junk = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.double(),
        fc.integer(),
        fc.string({ maxLength: 4 }),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.bigInt(),
        fc.object({ maxDepth: 1 }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.array(fc.array(fc.double(), { maxLength: 3 }), { maxLength: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(junk, fc.option(fc.array(fc.oneof(fc.integer({ min: -2, max: 5 }), fc.double()), { maxLength: 4 }), { nil: undefined }), (data, shape) => {
        try {
          const t = tensor(data as never, shape);
          expect(t.size).toBe(t.shape.reduce((p, n) => p * n, 1));
          t.dispose();
        } catch (error) {
          expect(error).toBeInstanceOf(WattformerError);
          expect((error as Error).message).toMatch(/^core: tensor: expected .+, got .+/);
        }
      }),
      { numRuns: runs, seed },
    );
  });

  it('reads every rectangular nesting back unchanged through arraySync()', () => {
    const rectangular = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 4 }).chain((shape) => {
      const size = shape.reduce((p, n) => p * n, 1);
      return fc.tuple(fc.constant(shape), fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: size, maxLength: size }));
    });
    fc.assert(
      fc.property(rectangular, ([shape, flat]) => {
        const nested = tensor(flat, shape).arraySync();
        // Nesting cannot express dimensions after a 0 ([2,0,3] reads back as [[], []]: [2,0]).
        const inferred = shape.includes(0) ? shape.slice(0, shape.indexOf(0) + 1) : shape;
        expect(tensor(nested).shape).toEqual(inferred);
        expect(Array.from(tensor(nested, shape).dataSync())).toEqual(flat);
      }),
      { numRuns: runs, seed },
    );
  });
});
