import { createCpuBackend, type Backend, type BinaryOp, type DType, type TypedArray } from '@wattformer/core';
import { uniformAt } from '@wattformer/core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeSoftwareBackends, softwareWebGpuBackend } from '../test/software-backend';
import { findGpu } from './node-gpu';
import { requestWebGpuDevice } from './request-device';
import { createWebGpuBackend, webGpuDevice } from './webgpu-backend';

afterAll(disposeSoftwareBackends);

/** Edge cases at the kernel interface that the op-level conformance cases do not reach. */
describe('webgpu kernels against the cpu oracle', () => {
  let gpu: Backend;
  const cpu = createCpuBackend() as Backend;
  beforeAll(async () => {
    gpu = await softwareWebGpuBackend();
  });
  const both = async (dtype: DType, run: (b: Backend) => object, size: number): Promise<[TypedArray, TypedArray]> => {
    const out = run(gpu);
    const got = await gpu.read(out, dtype, size);
    gpu.free(out);
    const want = await cpu.read(run(cpu), dtype, size);
    return [got, want];
  };
  const same = (size: number) => ({ outShape: [size], size, aStrides: [1], bStrides: [1] });

  it('wraps i32 add, sub and mul, truncates division and gives 0 for a zero divisor', async () => {
    const a = [2147483647, -2147483648, 7, -7, 5, -2147483648, 65536];
    const b = [1, 1, 2, 2, 0, -1, 65536];
    for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'equal'] as BinaryOp[]) {
      const [got, want] = await both(
        'i32',
        (k) => k.binary(op, k.upload(Int32Array.from(a), 'i32'), k.upload(Int32Array.from(b), 'i32'), same(a.length), 'i32'),
        a.length,
      );
      expect(Array.from(got), op).toEqual(Array.from(want));
    }
    const [neg, negWant] = await both('i32', (k) => k.unary('neg', k.upload(Int32Array.from(a), 'i32'), a.length, 'i32'), a.length);
    expect(Array.from(neg)).toEqual(Array.from(negWant));
  });

  it('reduces i32 with wrapping sums, f32 max with NaN propagation and -Infinity when empty', async () => {
    const ints = Int32Array.from([2147483647, 1, -5, 3]);
    const [sum, sumWant] = await both('i32', (k) => k.reduce('sum', k.upload(ints, 'i32'), { outer: 1, size: 4, inner: 1 }, 'i32'), 1);
    expect(Array.from(sum)).toEqual(Array.from(sumWant));
    const floats = Float32Array.from([1, NaN, 3, -2, 5, 4]);
    const [max] = await both('f32', (k) => k.reduce('max', k.upload(floats, 'f32'), { outer: 2, size: 3, inner: 1 }, 'f32'), 2);
    expect(Array.from(max)).toEqual([NaN, 5]);
    const [empty] = await both('f32', (k) => k.reduce('max', k.upload(floats, 'f32'), { outer: 2, size: 0, inner: 1 }, 'f32'), 2);
    expect(Array.from(empty)).toEqual([-Infinity, -Infinity]);
  });

  it('reduces long axes with a workgroup per output as the serial kernel does', async () => {
    const [outer, size, inner] = [2, 3001, 3];
    const floats = Float32Array.from({ length: outer * size * inner }, (_, i) => Math.sin(i) * 1e3 + 1e-3 * i);
    const plan = { outer, size, inner };
    const [sum, sumWant] = await both('f32', (k) => k.reduce('sum', k.upload(floats, 'f32'), plan, 'f32'), outer * inner);
    sum.forEach((v, i) => expect(Math.abs(v - sumWant[i]!)).toBeLessThanOrEqual(1e-5 * Math.abs(sumWant[i]!) + 1e-5));
    const [max, maxWant] = await both('f32', (k) => k.reduce('max', k.upload(floats, 'f32'), plan, 'f32'), outer * inner);
    expect(Array.from(max)).toEqual(Array.from(maxWant));
    floats[size * inner + 7 * inner + 1] = NaN; // outer 1, row 7, column 1
    const [withNan] = await both('f32', (k) => k.reduce('max', k.upload(floats, 'f32'), plan, 'f32'), outer * inner);
    expect(Number.isNaN(withNan[4]!)).toBe(true);
    expect(withNan[3]).toBe(maxWant[3]);
    const ints = Int32Array.from({ length: outer * size * inner }, (_, i) => (i * 2654435761) | 0);
    for (const op of ['sum', 'max'] as const) {
      const [got, want] = await both('i32', (k) => k.reduce(op, k.upload(ints, 'i32'), plan, 'i32'), outer * inner);
      expect(Array.from(got), op).toEqual(Array.from(want));
    }
  });

  it('draws the documented uniforms bit for bit, wrapping the counter past 2^32', async () => {
    const out = gpu.randomUniform(5, 123456789, 4294967294);
    const got = Array.from(await gpu.read(out, 'f32', 5));
    gpu.free(out);
    expect(got).toEqual([4294967294, 4294967295, 0, 1, 2].map((i) => Math.fround(uniformAt(123456789, i))));
  });

  it('fills, casts and pads both dtypes', async () => {
    const [filled, filledWant] = await both('i32', (k) => k.fill(3, -7, 'i32'), 3);
    expect(Array.from(filled)).toEqual(Array.from(filledWant));
    const [cast, castWant] = await both('i32', (k) => k.cast(k.upload(Float32Array.from([-1.7, 2.9, -0.2]), 'f32'), 3, 'f32', 'i32'), 3);
    expect(Array.from(cast)).toEqual(Array.from(castWant));
    const plan = { inShape: [1, 2], outShape: [2, 3], before: [1, 1], size: 6 };
    const [padded, paddedWant] = await both('i32', (k) => k.pad(k.upload(Int32Array.from([4, 5]), 'i32'), plan, 'i32'), 6);
    expect(Array.from(padded)).toEqual(Array.from(paddedWant));
  });

  it('sums duplicate scatterAdd indices; indices made on the GPU are not range-checked and read zeros', async () => {
    const plan = { outer: 2, axisSize: 3, inner: 2, count: 3 };
    const updates = Float32Array.from({ length: 12 }, (_, i) => i + 1);
    // Uploaded indices take the grouped kernel; the same indices made on the GPU (a cast) the scan.
    const [scattered, scatteredWant] = await both('f32', (k) => k.scatterAdd(k.upload(updates, 'f32'), k.upload(Int32Array.from([2, 0, 2]), 'i32'), plan), 12);
    expect(Array.from(scattered)).toEqual(Array.from(scatteredWant));
    const castIds = gpu.cast(gpu.upload(Float32Array.from([2, 0, 2]), 'f32'), 3, 'f32', 'i32');
    const scanned = gpu.scatterAdd(gpu.upload(updates, 'f32'), castIds, plan);
    expect(Array.from(await gpu.read(scanned, 'f32', 12))).toEqual(Array.from(scatteredWant));
    // cast() output has no host copy, so index 3 (out of [0, 3)) reaches the kernel.
    const ids = gpu.cast(gpu.upload(Float32Array.from([3, 1]), 'f32'), 2, 'f32', 'i32');
    const out = gpu.gather(gpu.upload(Float32Array.from([1, 2, 3, 4, 5, 6]), 'f32'), ids, { outer: 1, axisSize: 3, inner: 2, count: 2 }, 'f32');
    expect(Array.from(await gpu.read(out, 'f32', 4))).toEqual([0, 0, 3, 4]);
  });

  it('refuses an out-of-range uploaded index before allocating anything', () => {
    const x = gpu.upload(Float32Array.from([1, 2, 3]), 'f32');
    const ids = gpu.upload(Int32Array.from([0, 3]), 'i32');
    const before = gpu.bytesInUse();
    expect(() => gpu.gather(x, ids, { outer: 1, axisSize: 3, inner: 1, count: 2 }, 'f32')).toThrow(/gather: expected indices in \[0, 3\), got 3 at position 1/);
    expect(gpu.bytesInUse()).toBe(before);
  });

  it('splits matmul batches past the per-dispatch workgroup limit (lowered to 3 here) into several dispatches', async () => {
    // The device's real limit is 65,535; 65,537 batches took minutes on SwiftShader.
    const split = createWebGpuBackend(await requestWebGpuDevice(await findGpu()), { maxBatchPerDispatch: 3 });
    try {
      const batched = { batch: 7, m: 5, n: 18, k: 17, transposeA: false, transposeB: true, outShape: [7, 5, 18] };
      const a = Float32Array.from({ length: 7 * 5 * 17 }, (_, i) => Math.sin(i));
      const b = Float32Array.from({ length: 7 * 18 * 17 }, (_, i) => Math.cos(i));
      const out = split.matmul(split.upload(a, 'f32'), split.upload(b, 'f32'), batched);
      const got = await split.read(out, 'f32', 7 * 5 * 18);
      const want = await cpu.read(cpu.matmul(cpu.upload(a, 'f32'), cpu.upload(b, 'f32'), batched), 'f32', 7 * 5 * 18);
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
      expect(() => createWebGpuBackend(webGpuDevice(split)!, { maxBatchPerDispatch: 0 })).toThrow(
        /expected maxBatchPerDispatch to be a positive integer, got 0/,
      );
    } finally {
      split.dispose?.();
    }
  });

  it('runs matmul with edges off the 16×16 tiles, K = 0 and one-dimensional dispatches past 65,535 workgroups', async () => {
    const [M, N, K] = [17, 33, 19];
    const a = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: K * N }, (_, i) => Math.cos(i));
    const dims = { batch: 1, m: M, n: N, k: K, transposeA: false, transposeB: false, outShape: [M, N] };
    const [product, productWant] = await both('f32', (k) => k.matmul(k.upload(a, 'f32'), k.upload(b, 'f32'), dims), M * N);
    product.forEach((v, i) => expect(v).toBeCloseTo(productWant[i]!, 4));
    const [empty] = await both('f32', (k) => k.matmul(k.upload(a, 'f32'), k.upload(b, 'f32'), { ...dims, k: 0 }), M * N);
    expect(empty.every((v) => v === 0)).toBe(true);
    const size = 64 * 65535 + 100;
    const big = gpu.fill(size, 2.5, 'f32');
    const values = await gpu.read(big, 'f32', size);
    gpu.free(big);
    expect(values[0]).toBe(2.5);
    expect(values[size - 1]).toBe(2.5);
  });
});
