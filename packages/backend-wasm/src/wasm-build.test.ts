import { afterEach, describe, expect, it, vi } from 'vitest';
import { wasmBuild } from './info';
import { chooseWasmBuild, isAutoBuild, isInitOptions, RELAXED_SIMD_PROBE, relaxedSimdSupported } from './wasm-build';
import { initKernels, initWasm } from './wasm-module';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('choosing the kernel build', () => {
  it('the probe is well formed: only its relaxed instruction decides whether it validates', () => {
    const at = RELAXED_SIMD_PROBE.indexOf(0xfd) - 2; // local.get 2, then the 3-byte opcode
    const withOpcode = (bytes: number[]) => {
      const probe = RELAXED_SIMD_PROBE.slice();
      probe.set(bytes, at);
      return probe;
    };
    // local.get 0, local.get 1, nop, nop, f32x4.add: plain simd128, valid on every SIMD engine.
    expect(WebAssembly.validate(withOpcode([0x01, 0x01, 0xfd, 0xe4, 0x01]))).toBe(true);
    // An opcode no engine knows (0xfd 0xfff): refused, so validate() is no constant true.
    expect(WebAssembly.validate(withOpcode([0x20, 0x02, 0xfd, 0xff, 0x1f]))).toBe(false);
    expect(WebAssembly.validate(RELAXED_SIMD_PROBE)).toBe(relaxedSimdSupported());
  });

  it('Node >= 22 runs relaxed SIMD, so auto picks the relaxed build here', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22);
    expect(relaxedSimdSupported()).toBe(true);
    vi.stubEnv('WATTFORMER_WASM_BUILD', '');
    expect(chooseWasmBuild()).toBe('relaxed');
    expect(chooseWasmBuild('auto')).toBe('relaxed');
  });

  it('an explicit build wins over WATTFORMER_WASM_BUILD, which wins over detection', () => {
    vi.stubEnv('WATTFORMER_WASM_BUILD', 'simd128');
    expect(chooseWasmBuild()).toBe('simd128');
    expect(chooseWasmBuild('relaxed')).toBe('relaxed');
  });

  it('refuses an unknown build name with the package error format', () => {
    vi.stubEnv('WATTFORMER_WASM_BUILD', 'avx512');
    expect(() => chooseWasmBuild()).toThrow(/backend-wasm: init: expected build 'simd128', 'relaxed' or 'auto' in WATTFORMER_WASM_BUILD, got "avx512"\nhelp: /);
    // @ts-expect-error -- a build name outside the union, as plain JavaScript could pass
    expect(() => chooseWasmBuild('fast')).toThrow(/got "fast"/);
  });

  it('tells options from sources', () => {
    expect(isInitOptions({ build: 'relaxed' })).toBe(true);
    expect(isInitOptions(new Uint8Array(8))).toBe(false);
    expect(isInitOptions(new ArrayBuffer(8))).toBe(false);
    expect(isInitOptions(new URL('file:///x.wasm'))).toBe(false);
    expect(isInitOptions('x.wasm')).toBe(false);
    expect(isInitOptions(undefined)).toBe(false);
  });

  it('loads the build the environment names, reports it, and refuses another one later', async () => {
    const named = process.env.WATTFORMER_WASM_BUILD === 'simd128' ? 'simd128' : 'relaxed';
    const other = named === 'simd128' ? 'relaxed' : 'simd128';
    await initWasm({ build: named });
    expect(wasmBuild()).toBe(named);
    await expect(initWasm({ build: other })).rejects.toThrow(/expected build '.*' \(the one already loaded in this process\), got build '/);
    await expect(initKernels()).resolves.toBeDefined(); // no explicit build: the loaded one
  });
});

describe('auto falls back when the relaxed file is missing', () => {
  it('is auto only without an explicit build or environment choice', () => {
    vi.stubEnv('WATTFORMER_WASM_BUILD', '');
    expect(isAutoBuild()).toBe(true);
    expect(isAutoBuild('auto')).toBe(true);
    expect(isAutoBuild('relaxed')).toBe(false);
    vi.stubEnv('WATTFORMER_WASM_BUILD', 'relaxed');
    expect(isAutoBuild()).toBe(false);
  });
});
