import { listBackends, setBackend, tensor, WattformerError } from '@wattformer/core';
import { afterAll, describe, expect, it } from 'vitest';
import { disposeSoftwareBackends, softwareWebGpuBackend } from '../test/software-backend';
import { createDefaultWebGpuBackend } from './create-backend';
import { findGpu } from './node-gpu';
import { requestWebGpuDevice } from './request-device';
import { createWebGpuBackend, webGpuDevice } from './webgpu-backend';
import './register';

afterAll(disposeSoftwareBackends);

describe('webgpu backend errors and lifecycle', () => {
  it('registers itself as webgpu on import', () => {
    expect(listBackends()).toContain('webgpu');
  });

  it('names the wasm fallback when there is no adapter', async () => {
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    const error = await createDefaultWebGpuBackend(noAdapter).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WattformerError);
    expect((error as WattformerError).code).toBe('E_UNSUPPORTED');
    expect((error as Error).message).toMatch(
      /^backend-webgpu: init: expected a WebGPU adapter, got requestAdapter\(\) returned null.*\nhelp: use setBackend\('wasm'\)/,
    );
  });

  it('refuses work on a lost device with an error naming the fallback', async () => {
    const device = await requestWebGpuDevice(await findGpu());
    const backend = createWebGpuBackend(device);
    const x = backend.upload(Float32Array.from([1, 2]), 'f32');
    device.destroy();
    await device.lost;
    expect(() => backend.unary('exp', x, 2, 'f32')).toThrow(
      /backend-webgpu: exp: expected a live GPU device, got a lost device .*\nhelp: .*setBackend\('wasm'\)/,
    );
    await expect(backend.read(x, 'f32', 2)).rejects.toThrow(WattformerError);
    expect(() => backend.fill(2, 0, 'f32')).toThrow(
      /help: tensors on the lost device are gone: await setBackend\('webgpu'\) again for a new device, or use setBackend\('wasm'\), or setBackend\('auto'\)/,
    );
    backend.free(x);
    expect(backend.bytesInUse()).toBe(0);
  });

  it("gives a new device on the next setBackend('webgpu') once the registered one is lost", async () => {
    const first = await setBackend('webgpu');
    try {
      const kept = tensor([1, 2]);
      expect(await setBackend('webgpu')).toBe(first); // one instance while the device lives
      webGpuDevice(first)!.destroy(); // as a driver reset would, without dispose()
      await webGpuDevice(first)!.lost;
      await new Promise((resolve) => setTimeout(resolve, 0)); // the re-registration runs after lost resolves
      expect(() => kept.add(1)).toThrow(/^backend-webgpu: \w+: expected a live GPU device, got a lost device/);
      const second = await setBackend('webgpu');
      expect(second).not.toBe(first);
      expect(Array.from(await tensor([1, 2]).mul(3).data())).toEqual([3, 6]);
      second.dispose?.();
    } finally {
      await setBackend('cpu');
    }
  });

  it('counts live tensor bytes, not pooled buffers', async () => {
    const backend = await softwareWebGpuBackend();
    const a = backend.fill(10, 1, 'f32');
    const b = backend.upload(Int32Array.from([1, 2]), 'i32');
    expect(backend.bytesInUse()).toBe(48);
    backend.free(a);
    backend.free(b);
    expect(backend.bytesInUse()).toBe(0);
    const again = backend.fill(10, 1, 'f32');
    expect(backend.bytesInUse()).toBe(40);
    backend.free(again);
  });

  it("runs tensors after setBackend('webgpu') and reads them with await data()", async () => {
    const backend = await setBackend('webgpu');
    try {
      const doubled = tensor([1, 2, 3]).mul(2);
      expect(Array.from(await doubled.data())).toEqual([2, 4, 6]);
      expect(() => doubled.dataSync()).toThrow(/use await tensor.data\(\)/);
      doubled.dispose();
    } finally {
      await setBackend('cpu');
      backend.dispose?.();
    }
  });
});
