import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Chooses SwiftShader's Vulkan ICD unless VK_ICD_FILENAMES is set: CI passes no environment.
    globalSetup: ['./test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
