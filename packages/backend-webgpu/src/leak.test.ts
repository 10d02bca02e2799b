import { withBackend, memory, type Backend } from '@wattformer/core';
import { afterAll, describe, expect, it } from 'vitest';
import { disposeSoftwareBackends, softwareWebGpuBackend } from '../test/software-backend';
import { trainTinyBlock } from '../test/tiny-block';
import { webGpuMemory, type WebGpuStorage } from './webgpu-backend';

afterAll(disposeSoftwareBackends);

const STEPS = 500;

describe(`memory over ${STEPS} training steps: webgpu`, () => {
  it('keeps live tensors, tensor bytes and pooled GPU buffers flat, and the loss falls', async () => {
    const backend = (await softwareWebGpuBackend()) as Backend<WebGpuStorage>;
    const snapshots: string[] = [];
    const losses = await trainTinyBlock(backend, STEPS, () => {
      const { liveTensors, backendBytes, liveStorages } = withBackend(backend, () => memory());
      const { pooledBytes, pipelines } = webGpuMemory(backend);
      snapshots.push(JSON.stringify({ liveTensors, backendBytes, liveStorages, pooledBytes, pipelines }));
    });
    // Step 1 creates the cached causal mask and row offsets and fills the pool; nothing grows after it.
    expect(new Set(snapshots.slice(1)).size, [...new Set(snapshots)].join('\n')).toBe(1);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.5);
  });
});
