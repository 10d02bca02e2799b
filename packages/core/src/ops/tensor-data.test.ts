import { describe, expect, it } from 'vitest';
import { memory, rand, tensor, WattformerError, zeros } from '../index';

const refusal = (data: unknown, shape?: unknown): WattformerError => {
  try {
    tensor(data as never, shape as never);
  } catch (error) {
    if (error instanceof WattformerError) return error;
    throw new Error(`expected a WattformerError, got ${String(error)}`);
  }
  throw new Error('expected tensor() to refuse');
};

describe('tensor() refuses junk input with a clear error', () => {
  it('names what it expected, what it got and where', () => {
    expect(refusal('abc').message).toBe(
      'core: tensor: expected a number, a (nested) array of numbers or a Float32Array/Int32Array, got a string ("abc")\n' +
        'help: pass a number, nested arrays of numbers with equal-length rows, or a Float32Array/Int32Array, e.g. tensor([[1, 2], [3, 4]])',
    );
    expect(refusal([1, '2']).message).toMatch(/^core: tensor: expected a number at \[1\], got a string \("2"\)\nhelp: /);
    expect(refusal(null).message).toMatch(/^core: tensor: expected a number, .* got null\nhelp: /);
    expect(refusal(undefined).message).toMatch(/got undefined\nhelp: /);
    expect(refusal({ length: 2 }).message).toMatch(/got an object\nhelp: /);
    expect(refusal(new Map()).message).toMatch(/got a Map\nhelp: /);
    expect(
      refusal([
        [1, 2],
        [3, true],
      ]).message,
    ).toMatch(/^core: tensor: expected a number at \[1\]\[1\], got a boolean \(true\)/);
    expect(refusal([[1, 2], [3]]).message).toBe(
      'core: tensor: expected an array of length 2 at [1], like the first row at that depth, got length 1 (ragged rows)\n' +
        'help: every row at one depth must have the same length; pad the short rows',
    );
    expect(refusal([[1], 2]).message).toMatch(/^core: tensor: expected an array of length 1 at \[1\] \(rows must nest equally deep\), got the number 2/);
    // biome-ignore lint/suspicious/noSparseArray: the hole is the malformed input under test
    expect(refusal([1, , 3]).message).toMatch(/expected a number at \[1\], got undefined/);
    expect(refusal([1n]).message).toMatch(/got a bigint \(1\)/);
    expect(refusal(new BigInt64Array(2)).message).toMatch(/got a BigInt64Array/);
    expect(refusal([1, 2], [Number.NaN]).message).toMatch(/^core: tensor: expected every dimension to be a non-negative integer, got \[NaN\]\nhelp: /);
    expect(refusal([1, 2], 2).message).toBe('core: tensor: expected a shape: an array of non-negative integers, got number 2\nhelp: wrap it in brackets: [2]');
    expect(refusal([1, 2], [-2]).code).toBe('E_SHAPE');
  });

  it('refuses deep nesting without exhausting the stack', () => {
    let deep: unknown = [1];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(refusal(deep).message).toMatch(/^core: tensor: expected at most 64 levels of nested arrays, got deeper nesting/);
    let ok: unknown = 5;
    for (let i = 0; i < 64; i++) ok = [ok];
    expect(tensor(ok as never).rank).toBe(64);
  });

  it('the shape arguments of zeros, ones, full, rand and reshape are checked the same way', () => {
    expect(() => zeros(3 as never)).toThrow(
      /^core: full: expected a shape: an array of non-negative integers, got number 3\nhelp: wrap it in brackets: \[3\]$/,
    );
    expect(() => rand('2x3' as never)).toThrow(/^core: rand: expected a shape: .*, got string "2x3"\nhelp: e\.g\. \[2, 3\]$/);
    expect(() => tensor([1, 2]).reshape(null as never)).toThrow(/^core: reshape: expected a shape: .*, got null/);
    expect(() => zeros([2, 1.5])).toThrow(/^core: full: expected every dimension to be a non-negative integer, got \[2,1\.5\]/);
  });

  it('allocates nothing when it refuses', () => {
    const before = memory();
    refusal([
      [1, 2],
      [3, 'x'],
    ]);
    expect(memory()).toEqual(before);
  });

  it('still accepts numbers, nested arrays and numeric typed arrays', () => {
    expect(tensor(3).shape).toEqual([]);
    expect(tensor([[[1], [2]]]).shape).toEqual([1, 2, 1]);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    expect(Array.from(tensor(Float64Array.from([0.5, 1.5]) as never).dataSync())).toEqual([0.5, 1.5]);
    expect(tensor([1, 2, 3, 4], [2, 2]).shape).toEqual([2, 2]);
    expect(Array.from(tensor([NaN, Infinity]).dataSync())).toEqual([NaN, Infinity]);
    const rows = tensor([Float32Array.from([1, 2]), Float32Array.from([3, 4])] as never);
    expect(rows.shape).toEqual([2, 2]);
    expect(rows.arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});
