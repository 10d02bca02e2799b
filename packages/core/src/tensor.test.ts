import { describe, expect, it } from 'vitest';
import { WattformerError } from './errors';
import { memory, ones, randn, scalar, tensor, tidy, zeros } from './index';

describe('tensor creation and reads', () => {
  it('infers shape from nesting and dtype from the data', async () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('f32');
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(await t.data())).toEqual([1, 2, 3, 4, 5, 6]);
    const ids = tensor(Int32Array.from([3, 1]));
    expect(ids.dtype).toBe('i32');
    expect(ids.shape).toEqual([2]);
    expect(scalar(7).itemSync()).toBe(7);
    expect(await scalar(7).item()).toBe(7);
  });

  it('makes zeros, ones and seeded normals', () => {
    expect(Array.from(zeros([2, 2]).dataSync())).toEqual([0, 0, 0, 0]);
    expect(Array.from(ones([3], 'i32').dataSync())).toEqual([1, 1, 1]);
    const a = Array.from(randn([1000], { seed: 42 }).dataSync());
    const b = randn([1000], { seed: 42 }).dataSync();
    expect(a).toEqual(Array.from(b));
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    const variance = a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(variance - 1)).toBeLessThan(0.1);
  });

  it('reads back a copy, so callers cannot corrupt the tensor', () => {
    const t = tensor([1, 2]);
    t.dataSync()[0] = 99;
    expect(t.dataSync()[0]).toBe(1);
  });

  it('refuses a data length that does not match the shape', () => {
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/^core: tensor: expected 4 values for shape \[2,2\], got 3 values$/);
  });

  it('refuses non-integers and unknown dtypes', () => {
    expect(() => tensor([1.5], [1], 'i32')).toThrow(/expected 32-bit integers for dtype i32, got 1.5 at position 0/);
    expect(() => tensor([1], [1], 'f16' as never)).toThrow(/expected dtype to be one of 'f32', 'i32', got 'f16'/);
    try {
      tensor([1, 2], [3]);
    } catch (error) {
      expect(error).toBeInstanceOf(WattformerError);
      expect((error as WattformerError).code).toBe('E_SHAPE');
    }
  });

  it('names the op and the fix when a disposed tensor is used', () => {
    const kept = tidy(() => {
      const inner = tensor([1, 2]);
      return { inner, doubled: inner.mul(2) };
    });
    kept.inner.dispose();
    expect(() => kept.inner.add(1)).toThrow(/^core: add: expected a live tensor, got a disposed f32 tensor \[2\]\nhelp: .*keep\(\)/);
    expect(kept.doubled.dataSync()[1]).toBe(4);
  });

  it('refuses item() on more than one element and requiresGrad on i32', () => {
    expect(() => tensor([1, 2]).itemSync()).toThrow(/itemSync: expected a tensor of one element, got \[2\]/);
    const ids = tensor([1], [1], 'i32');
    expect(() => {
      ids.requiresGrad = true;
    }).toThrow(/requiresGrad: expected an f32 tensor, got i32 \[1\]/);
  });

  it('counts live tensors and bytes', () => {
    const before = memory();
    const t = zeros([10]);
    expect(memory().liveTensors).toBe(before.liveTensors + 1);
    expect(memory().backendBytes).toBe(before.backendBytes + 40);
    t.dispose();
    t.dispose();
    expect(memory()).toEqual(before);
  });
});
