import { beforeAll, describe, expect, it } from 'vitest';
import { WasmF32Buffer } from './f32-buffer';
import { memoryBytes, simd128Enabled } from './info';
import { matmul } from './matmul';
import { initWasm } from './wasm-module';

beforeAll(async () => {
  await initWasm();
});

describe('WasmF32Buffer', () => {
  it('keeps live tensors intact and usable across memory growth', () => {
    const a = WasmF32Buffer.from([1, 2, 3, 4]);
    const b = WasmF32Buffer.from([5, 6, 7, 8]);
    const staleView = a.view();
    const before = memoryBytes();
    const big = WasmF32Buffer.allocate(64 * 2 ** 20); // 256 MiB forces memory.grow
    expect(memoryBytes()).toBeGreaterThan(before);
    expect(staleView.length).toBe(0); // the old view was detached by growth...
    expect(Array.from(a.view())).toEqual([1, 2, 3, 4]); // ...but the tensor is intact
    const c = matmul({ buffer: a, shape: [2, 2] }, { buffer: b, shape: [2, 2] });
    expect(Array.from(c.buffer.view())).toEqual([19, 22, 43, 50]);
    for (const buffer of [a, b, c.buffer, big]) buffer.free();
  });

  it('refuses a request beyond 4 GiB before allocating', () => {
    const before = memoryBytes();
    expect(() => WasmF32Buffer.allocate(2 ** 30)).toThrow(
      /^backend-wasm: allocate: expected at most 4\.00 GiB \(the wasm32 address space\), got 1073741824 f32 = 4\.00 GiB\nhelp:/,
    );
    expect(memoryBytes()).toBe(before);
  });

  it('refuses negative and fractional lengths', () => {
    expect(() => WasmF32Buffer.allocate(-1)).toThrow(/expected a non-negative integer length, got -1/);
    expect(() => WasmF32Buffer.allocate(1.5)).toThrow(/got 1\.5/);
  });

  it('refuses views of freed buffers', () => {
    const a = WasmF32Buffer.from([1]);
    a.free();
    expect(() => a.view()).toThrow(/expected a live buffer, got a freed buffer/);
  });

  it('runs the simd128 build', () => {
    expect(simd128Enabled()).toBe(true);
  });
});
