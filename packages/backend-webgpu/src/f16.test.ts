import { describe, expect, it } from 'vitest';
import { describeF16Checks } from '../test/f16-checks';
import { createDefaultWebGpuBackend } from './create-backend';

// SwiftShader under vitest (no shader-f16: 'auto' must equal f32); f16-lavapipe.test.ts runs the
// same checks on an adapter that has the feature.
describeF16Checks(process.env.WATTFORMER_WEBGPU_DRIVER ?? "this process's Vulkan driver", false);

describe('the f16 option', () => {
  it("refuses a value other than 'auto' or 'off' before requesting a device", async () => {
    await expect(createDefaultWebGpuBackend(undefined, { f16: 'on' as 'auto' })).rejects.toThrow(
      /^backend-webgpu: createDefaultWebGpuBackend: expected f16 to be one of 'auto', 'off', got 'on'$/,
    );
  });
});
