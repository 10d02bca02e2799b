import { describe, expect, it } from 'vitest';
import { detectWebGpu, requireWebGpu } from './detect';

describe('detectWebGpu', () => {
  it('reports absence with a reason instead of throwing', async () => {
    const found = await detectWebGpu();
    expect(found.available).toBe(false);
    expect(found.reason).toMatch(/navigator\.gpu is undefined/);
  });

  it('reports a null adapter', async () => {
    const found = await detectWebGpu({ requestAdapter: async () => null });
    expect(found).toEqual({ available: false, reason: expect.stringMatching(/returned null/) });
  });

  it('names the fallback when WebGPU is required but missing', async () => {
    await expect(requireWebGpu()).rejects.toThrow(/^backend-webgpu: init: expected a WebGPU adapter, got .*\nhelp: use setBackend\('wasm'\)/);
  });
});
