import { defineConfig } from 'vitest/config';

// Every test here spawns the real `wattformer` bin (training, generation, WebGPU on SwiftShader),
// which takes seconds on a busy 2-core machine: the default 5 s limit is a flake, not a check.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
