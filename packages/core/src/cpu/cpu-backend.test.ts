import { describe, expect, it } from 'vitest';
import { uniformAt } from '../random';
import { createCpuBackend, type CpuStorage } from './cpu-backend';

/** The kernels at the interface level: plans in, fresh storage out (what a wasm kernel gets). */
describe('cpu kernels', () => {
  const cpu = createCpuBackend();
  const f = (values: number[]): CpuStorage => cpu.upload(Float32Array.from(values), 'f32');
  const i = (values: number[]): CpuStorage => cpu.upload(Int32Array.from(values), 'i32');
  const read = (s: CpuStorage): number[] => Array.from(s.values);

  it('binary walks broadcast strides', () => {
    // a [2, 1] against b [3] → out [2, 3]
    const out = cpu.binary('sub', f([10, 20]), f([1, 2, 3]), { outShape: [2, 3], size: 6, aStrides: [1, 0], bStrides: [0, 1] }, 'f32');
    expect(read(out)).toEqual([9, 8, 7, 19, 18, 17]);
  });

  it('reduce sums the middle of [outer, size, inner]', () => {
    const x = f([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // [2, 3, 2]
    expect(read(cpu.reduce('sum', x, { outer: 2, size: 3, inner: 2 }, 'f32'))).toEqual([9, 12, 27, 30]);
    expect(read(cpu.reduce('max', x, { outer: 1, size: 12, inner: 1 }, 'f32'))).toEqual([12]);
  });

  it('copyStrided transposes, slices and broadcasts', () => {
    const x = f([1, 2, 3, 4, 5, 6]); // [2, 3]
    expect(read(cpu.copyStrided(x, { outShape: [3, 2], size: 6, strides: [1, 3], offset: 0 }, 'f32'))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(read(cpu.copyStrided(x, { outShape: [2, 2], size: 4, strides: [3, 1], offset: 1 }, 'f32'))).toEqual([2, 3, 5, 6]);
    expect(read(cpu.copyStrided(x, { outShape: [2, 3], size: 6, strides: [0, 1], offset: 3 }, 'f32'))).toEqual([4, 5, 6, 4, 5, 6]);
  });

  it('pad places x inside zeros', () => {
    const out = cpu.pad(f([1, 2]), { inShape: [1, 2], outShape: [2, 3], before: [1, 1], size: 6 }, 'f32');
    expect(read(out)).toEqual([0, 0, 0, 0, 1, 2]);
  });

  it('gather and scatterAdd are adjoint; duplicates sum', () => {
    const plan = { outer: 1, axisSize: 3, inner: 2, count: 3 };
    const ids = i([2, 0, 2]);
    expect(read(cpu.gather(f([1, 2, 3, 4, 5, 6]), ids, plan, 'f32'))).toEqual([5, 6, 1, 2, 5, 6]);
    expect(read(cpu.scatterAdd(f([1, 1, 2, 2, 3, 3]), ids, plan))).toEqual([2, 2, 0, 0, 4, 4]);
    expect(() => cpu.gather(f([1, 2, 3, 4, 5, 6]), i([3]), { ...plan, count: 1 }, 'f32')).toThrow(/indices in \[0, 3\), got 3/);
  });

  it('casts by truncation and draws the documented uniforms, wrapping the counter', () => {
    expect(read(cpu.cast(f([-1.7, 2.9]), 2, 'f32', 'i32'))).toEqual([-1, 2]);
    const u = read(cpu.randomUniform(3, 9, 4294967295));
    expect(u).toEqual([uniformAt(9, 4294967295), uniformAt(9, 0), uniformAt(9, 1)].map(Math.fround));
  });

  it('accounts bytes for every allocation and every free', () => {
    const fresh = createCpuBackend();
    const a = fresh.fill(10, 0, 'f32');
    const b = fresh.upload(Int32Array.from([1, 2]), 'i32');
    expect(fresh.bytesInUse()).toBe(48);
    fresh.free(a);
    fresh.free(b);
    expect(fresh.bytesInUse()).toBe(0);
  });
});
