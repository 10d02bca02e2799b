import { assignValues, memory, tensor, withBackend } from '@wattformer/core';
import { describe, expect, it } from 'vitest';
import { memoryBytes } from './info';
import { createWasmBackend } from './wasm-backend';
import { initKernels } from './wasm-module';

// The wasm backend's readInto / write (core's dataSyncInto / assignValues): copies between
// linear memory and the caller's array, no allocation, also after memory growth detached old views.
describe('wasm readInto and write', () => {
  it('read into and write from shared buffers, in place, across memory growth', async () => {
    const { kernels, memory: wasmMemory } = await initKernels();
    const backend = createWasmBackend(kernels, wasmMemory);
    withBackend(backend, () => {
      const t = tensor(
        Float32Array.from({ length: 1000 }, (_, i) => i / 8),
        [10, 100],
      );
      const shared = new Float32Array(new SharedArrayBuffer(4 * 1002));
      t.dataSyncInto(shared.subarray(1, 1001));
      expect(shared[0]).toBe(0);
      expect(shared[1000]).toBe(999 / 8);
      expect(shared[1001]).toBe(0);

      const before = memoryBytes();
      const big = tensor(new Float32Array(32 * 2 ** 20), [32 * 2 ** 20]); // 128 MiB: memory.grow detaches every view
      expect(memoryBytes()).toBeGreaterThan(before);
      big.dispose();

      const bytes = memory().backendBytes;
      const values = Float32Array.from({ length: 1000 }, (_, i) => -i);
      assignValues(t, values);
      expect(memory().backendBytes).toBe(bytes); // in place: no new storage
      const out = new Float32Array(1000);
      t.dataSyncInto(out);
      expect(out).toEqual(values);
      expect(Array.from(t.sum().dataSync())).toEqual([-499500]); // kernels read the written values

      const ids = tensor([1, 2, 3], [3], 'i32');
      assignValues(ids, new Int32Array([-1, 0, 2147483647]));
      const idsOut = new Int32Array(new SharedArrayBuffer(12));
      ids.dataSyncInto(idsOut);
      expect(Array.from(idsOut)).toEqual([-1, 0, 2147483647]);
    });
  });
});
