import { defineConfig } from 'vitest/config';
import { useSoftwareVulkan } from './test/vulkan-environment';

// Set before the test workers are forked, so they inherit the driver (see vulkan-environment.ts).
const driver = useSoftwareVulkan();

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    env: { WATTFORMER_WEBGPU_DRIVER: process.env.WATTFORMER_WEBGPU_DRIVER ?? driver },
  },
});
