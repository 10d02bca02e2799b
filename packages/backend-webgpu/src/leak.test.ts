import { describeLeakCheck } from '@wattformer/backend-conformance/vitest';
import type { Backend } from '@wattformer/core';
import { afterAll } from 'vitest';
import { disposeSoftwareBackends, softwareWebGpuBackend } from '../test/software-backend';
import { webGpuMemory, type WebGpuStorage } from './webgpu-backend';

afterAll(disposeSoftwareBackends);

// The shared leak test (500 steps: SwiftShader is slow): live tensors and tensor bytes flat, and
// pooled GPU bytes and cached pipelines flat too (step 1 fills the pool and the caches).
let backend: Backend<WebGpuStorage>;
describeLeakCheck('webgpu', async () => (backend = (await softwareWebGpuBackend()) as Backend<WebGpuStorage>), {
  steps: 500,
  probe: () => webGpuMemory(backend),
  timeoutMs: 170_000,
});
