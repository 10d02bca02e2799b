import { describe, expect, it, vi } from 'vitest';

// An app that copied only kernels_bg.wasm (the one file older releases had): the relaxed file's
// URL points nowhere. Only wasmBuildUrl is replaced; detection and loading are the real ones.
vi.mock('./wasm-build', async (importOriginal) => {
  const real = await importOriginal<typeof import('./wasm-build')>();
  return {
    ...real,
    wasmBuildUrl: (build: 'simd128' | 'relaxed') =>
      build === 'relaxed' ? new URL('../wasm/no-such-relaxed-build.wasm', import.meta.url) : real.wasmBuildUrl(build),
  };
});

describe('a missing relaxed file', () => {
  it('auto falls back to the simd128 build', async () => {
    vi.stubEnv('WATTFORMER_WASM_BUILD', 'auto');
    const { initKernels } = await import('./wasm-module');
    const { kernels, build } = await initKernels();
    expect(build).toBe('simd128');
    expect(kernels.relaxedSimdEnabled()).toBe(false);
    vi.unstubAllEnvs();
  });
});
