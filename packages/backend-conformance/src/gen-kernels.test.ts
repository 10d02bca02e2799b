import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { generateAll, parseManifest, readKernels } from '../../../scripts/gen-kernels.mjs';
import { createFusedReferenceBackend } from './fused-reference/fused-reference-backend';

const ROOT = resolve(__dirname, '../../..');
type Kernel = { key: string; module: string; entries: { method: string }[] };

describe('fused-kernel glue: one source (the fused_abi! declarations in crates/kernels/src)', () => {
  it('every committed generated file is what scripts/gen-kernels.mjs writes from the Rust sources now', () => {
    const files = (generateAll as () => Record<string, string>)();
    expect(Object.keys(files)).toHaveLength(5);
    for (const [path, text] of Object.entries(files)) {
      expect(readFileSync(resolve(ROOT, path), 'utf8'), `${path} is stale: run node scripts/gen-kernels.mjs`).toBe(text);
    }
  });

  it('finds the declared kernels, forward and backward, and the reference backend provides each', () => {
    const kernels = (readKernels as () => Kernel[])();
    expect(kernels.map((k) => k.key)).toContain('biasGelu');
    const fused = createFusedReferenceBackend().fused as Record<string, object>;
    for (const k of kernels) {
      expect(k.entries.map((e) => e.method).sort()).toEqual(['backward', 'forward']);
      expect(Object.keys(fused[k.key] ?? {}).sort()).toEqual(['backward', 'forward']);
    }
  });

  it('refuses a malformed declaration with a message naming the file', () => {
    const parse = parseManifest as (block: string, file: string) => unknown;
    expect(() => parse('biasGelu.forward(x: f32[rows]) -> y: f32[rows];', 'x.rs')).toThrow(/lengths naming scalar parameters of x\.rs biasGelu\.forward/);
    expect(() => parse('biasGelu.forward(x: f64[n], n: usize) -> y: f32[n];', 'x.rs')).toThrow(/name: f32\[len\]/);
    expect(() => parse('biasGelu.forward(x: f32[n], n: usize);', 'x.rs')).toThrow(/key\.method\(params\) -> outputs;/);
    expect(parse('k.forward(x: f32[n * 2], n: usize, e: f32) -> { y: f32[n], z: f32[n] };', 'x.rs')).toEqual([
      {
        key: 'k',
        method: 'forward',
        params: [{ name: 'x', len: 'n * 2' }, { name: 'n', scalar: 'usize' }, { name: 'e', scalar: 'f32' }],
        outputs: [{ name: 'y', len: 'n' }, { name: 'z', len: 'n' }],
        object: true,
      },
    ]);
  });
});
