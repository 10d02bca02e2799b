import { describe, expect, it, vi } from 'vitest';

vi.mock('./wasm-build', async (importOriginal) => {
  const real = await importOriginal<typeof import('./wasm-build')>();
  return {
    ...real,
    wasmBuildUrl: (build: 'simd128' | 'relaxed') =>
      build === 'relaxed' ? new URL('../wasm/no-such-relaxed-build.wasm', import.meta.url) : real.wasmBuildUrl(build),
  };
});

describe('a missing relaxed file when relaxed is named', () => {
  it('fails instead of silently running the other build', async () => {
    const { initWasm } = await import('./wasm-module');
    await expect(initWasm({ build: 'relaxed' })).rejects.toThrow(/no-such-relaxed-build\.wasm|ENOENT/);
  });

  it('an unknown build name rejects the promise (no synchronous throw)', async () => {
    const { initWasm } = await import('./wasm-module');
    const pending = initWasm({ build: 'avx' as 'auto' }); // as plain JavaScript could pass
    await expect(pending).rejects.toThrow(/backend-wasm: init: expected build 'simd128', 'relaxed' or 'auto', got "avx"/);
  });
});
