import { getBackendName, registerBackend, setBackend, tensor } from '@wattformer/core';
import '@wattformer/backend-wasm'; // registers 'wasm'
import { afterAll, describe, expect, it } from 'vitest';
import { createDefaultWebGpuBackend } from './create-backend';
import './register';

afterAll(async () => {
  await setBackend('cpu');
});

describe("setBackend('auto') with the real backends", () => {
  it('takes webgpu when an adapter exists (SwiftShader here)', async () => {
    const lines: string[] = [];
    const backend = await setBackend('auto', { log: (line) => lines.push(line) });
    try {
      expect(backend.name).toBe('webgpu');
      expect(getBackendName()).toBe('webgpu');
      expect(lines).toEqual(["core: setBackend('auto'): using 'webgpu' (the first choice)"]);
      expect(
        Array.from(
          await tensor([
            [1, 2],
            [3, 4],
          ])
            .matmul(tensor([[1], [1]]))
            .data(),
        ),
      ).toEqual([3, 7]);
    } finally {
      await setBackend('cpu');
      backend.dispose?.();
    }
  });

  it('falls back to wasm when requestAdapter() finds nothing, and logs the reason in one line', async () => {
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    registerBackend('webgpu', () => createDefaultWebGpuBackend(noAdapter));
    const lines: string[] = [];
    const backend = await setBackend('auto', { log: (line) => lines.push(line) });
    expect(backend.name).toBe('wasm');
    expect(getBackendName()).toBe('wasm');
    expect(lines).toEqual([
      "core: setBackend('auto'): using 'wasm' (fell back: webgpu: backend-webgpu: init: expected a WebGPU adapter, got requestAdapter() returned null: no usable GPU adapter)",
    ]);
    expect(tensor([1, 2]).mul(2).dataSync()).toEqual(Float32Array.of(2, 4));
  });
});
