import { beforeAll, describe, expect, it } from 'vitest';
import { WASM_MAX_ALLOCATION_BYTES } from './allocate';
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

  it('refuses one allocation over 2^31 − 16 bytes (wasm32 isize::MAX) before allocating, and says so truly', () => {
    const before = memoryBytes();
    // 2 GiB exactly: one Rust Layout can be at most isize::MAX (2^31 − 1) bytes on wasm32.
    expect(() => WasmF32Buffer.allocate(2 ** 29)).toThrow(
      /^backend-wasm: allocate: expected at most 2\.00 GiB \(2147483632 B\) in one allocation \(wasm32 caps one allocation at isize::MAX = 2\^31 − 1 bytes; all tensors together may use up to 4 GiB\), got 536870912 f32 = 2\.00 GiB\nhelp:/,
    );
    expect(() => WasmF32Buffer.allocate(2 ** 30)).toThrow(/got 1073741824 f32 = 4\.00 GiB/);
    expect(memoryBytes()).toBe(before);
  });

  it('allocates exactly the limit: the message states the limit that applies (the untouched pages cost no RSS)', () => {
    const largest = WasmF32Buffer.allocate(WASM_MAX_ALLOCATION_BYTES / 4);
    expect(largest.ptr).toBeGreaterThan(0);
    expect(largest.length * 4).toBe(2 ** 31 - 16);
    largest.free();
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
