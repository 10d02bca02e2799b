import type { Backend } from '@wattformer/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeSoftwareBackends, softwareWebGpuBackend } from '../test/software-backend';
import { webGpuCounters, type WebGpuStorage } from './webgpu-backend';

afterAll(disposeSoftwareBackends);

/**
 * Uploads are copies recorded in the open command encoder, not queue writes that would overtake
 * it: a kernel recorded before the upload still reads its input's old contents when the upload
 * lands in that same (freed, pooled) buffer, and kernels, uploads and the read go in one submit.
 */
describe('one command encoder until a read', () => {
  let gpu: Backend<WebGpuStorage>;
  beforeAll(async () => {
    gpu = (await softwareWebGpuBackend()) as Backend<WebGpuStorage>;
  });

  it('orders an upload into a reused buffer after the kernels recorded before it, in one submit', async () => {
    const start = webGpuCounters(gpu);
    const x = gpu.upload(Float32Array.of(1, 2, 3, 4), 'f32');
    const negated = gpu.unary('neg', x, 4, 'f32');
    const reused = x.buffer;
    gpu.free(x);
    const z = gpu.upload(Float32Array.of(10, 20, 30, 40), 'f32');
    expect(z.buffer).toBe(reused); // the test only means something if the pool handed it back
    const sum = gpu.binary('add', negated, z, { outShape: [4], size: 4, aStrides: [1], bStrides: [1] }, 'f32');
    expect(webGpuCounters(gpu).submits).toBe(start.submits);
    expect(Array.from(await gpu.read(sum, 'f32', 4))).toEqual([9, 18, 27, 36]);
    expect(Array.from(await gpu.read(negated, 'f32', 4))).toEqual([-1, -2, -3, -4]);
    const end = webGpuCounters(gpu);
    expect(end.dispatches - start.dispatches).toBe(2);
    expect(end.submits - start.submits).toBe(2); // one per read; the second has only its copy
    for (const s of [negated, z, sum]) gpu.free(s);
  });

  it('refuses a backend it did not make', () => {
    expect(() => webGpuCounters({ name: 'cpu' } as Backend)).toThrow(/webGpuCounters: expected a backend made by createWebGpuBackend/);
  });
});
