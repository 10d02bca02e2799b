import { inspect } from 'node:util';
import { argMax, tensor, withBackend, type Backend } from '@wattformer/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { disposeSoftwareBackends, softwareWebGpuBackend } from '../test/software-backend';

afterAll(disposeSoftwareBackends);

describe('reading and printing tensors on WebGPU (asynchronous reads)', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await softwareWebGpuBackend();
  });

  it('array() and print() wait for the device; toString() and inspect say how to see values', async () => {
    const t = withBackend(backend, () =>
      tensor([
        [1, -2],
        [3, 4],
      ]),
    );
    const best = withBackend(backend, () => argMax(t, 1));
    expect(await t.array()).toEqual([
      [1, -2],
      [3, 4],
    ]);
    expect(await best.array()).toEqual([0, 1]);
    expect(() => t.arraySync()).toThrow(/^core: dataSync: expected a backend that reads synchronously, got backend 'webgpu'\nhelp: use await tensor.data\(\)/);
    expect(String(t)).toBe('Tensor(f32 [2,2], on webgpu: await t.print() or t.array() for values)');
    expect(inspect(t)).toBe(String(t));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await t.print();
      expect(log).toHaveBeenCalledWith('Tensor(f32 [2,2])\n  [[ 1, -2],\n   [ 3,  4]]');
    } finally {
      log.mockRestore();
    }
  });
});
