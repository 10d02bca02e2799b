import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { generateAll, OUTPUTS, parseManifest, readKernels } from '../../../scripts/gen-kernels.mjs';
import { createFusedReferenceBackend } from './fused-reference/fused-reference-backend';

const ROOT = resolve(__dirname, '../../..');
type Kernel = { key: string; module: string; entries: { method: string }[] };
const generate = generateAll as (root?: string) => Record<string, string>;
const outputs = Object.values(OUTPUTS as Record<string, string>);

/** A scratch repository holding one fused kernel `scaleAdd` (its Rust file and both TS files). */
function sampleRoot(withWebGpuFile = true): string {
  const root = mkdtempSync(join(tmpdir(), 'gen-kernels-'));
  const dirs = ['crates/kernels/src', 'packages/backend-webgpu/src/kernels', 'packages/backend-conformance/src/fused-reference'];
  for (const dir of dirs) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(
    join(root, 'crates/kernels/src/scale_add.rs'),
    [
      '//! y = a·x + b (a sample kernel).',
      'crate::fused_abi! {',
      '    scaleAdd.forward(x: f32[n], b: f32[n], n: usize, a: f32) -> y: f32[n];',
      '    // the gradient of x and of b',
      '    scaleAdd.backward(dy: f32[n], n: usize, a: f32) -> { dx: f32[n], db: f32[n] };',
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(join(root, 'crates/kernels/src/plain.rs'), 'pub fn not_fused() {}\n');
  if (withWebGpuFile) writeFileSync(join(root, 'packages/backend-webgpu/src/kernels/scale-add.ts'), '');
  writeFileSync(join(root, 'packages/backend-conformance/src/fused-reference/scale-add.ts'), '');
  return root;
}

describe('fused-kernel glue: one source (the fused_abi! declarations in crates/kernels/src)', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it('writes all five outputs for a sample kernel from its declaration alone', () => {
    const root = sampleRoot();
    made.push(root);
    const files = generate(root);
    expect(Object.keys(files).sort()).toEqual([...outputs].sort());
    const text = (key: string) => files[(OUTPUTS as Record<string, string>)[key] as string] as string;
    // Rust: the module line (with #[path], resolved against crates/kernels/src) and no line for plain.rs.
    expect(text('mods')).toContain('#[path = "scale_add.rs"]\npub mod scale_add;\n');
    expect(text('mods')).not.toContain('plain');
    expect(text('bindings')).toContain('#[wasm_bindgen(js_name = scaleAddForward)]');
    expect(text('bindings')).toContain('pub fn scale_add_forward(x: usize, b: usize, n: usize, a: f32, y: usize) {');
    expect(text('bindings')).toContain('wattformer_kernels::scale_add::scale_add_backward(f32s(dy, n), n, a, f32s_mut(dx, n), f32s_mut(db, n));');
    // TypeScript: the wasm entries allocate the outputs and return one tensor or an object of them.
    expect(text('wasm')).toContain("Pick<Required<FusedKernels<WasmStorage>>, 'scaleAdd'>");
    expect(text('wasm')).toContain("const [y] = outputs('scaleAdd', [n]) as [WasmStorage];");
    expect(text('wasm')).toContain('kernels.scaleAddBackward(dy.ptr, n, a, dx.ptr, db.ptr);');
    expect(text('wasm')).toContain('return { dx, db };');
    expect(text('webgpu')).toContain("import { fused as scaleAdd } from './scale-add';");
    expect(text('webgpu')).toContain('return { scaleAdd: scaleAdd(gpu) };');
    expect(text('reference')).toContain('return { scaleAdd: scaleAdd(output) };');
  });

  it('refuses a kernel whose WebGPU file is missing, naming the file and the guide', () => {
    const root = sampleRoot(false);
    made.push(root);
    expect(() => generate(root)).toThrow(
      /packages\/backend-webgpu\/src\/kernels\/scale-add\.ts .*no such file\nhelp: add it: docs\/contributing\/adding-a-kernel\.md/,
    );
  });

  it('the outputs are build products: git-ignored and untracked, so adding a kernel edits none of them', () => {
    for (const path of outputs) {
      expect(execFileSync('git', ['check-ignore', '--no-index', path], { cwd: ROOT, encoding: 'utf8' }).trim(), `${path} must be in .gitignore`).toBe(path);
      expect(execFileSync('git', ['ls-files', '--', path], { cwd: ROOT, encoding: 'utf8' }).trim(), `${path} must not be committed`).toBe('');
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
        params: [
          { name: 'x', len: 'n * 2' },
          { name: 'n', scalar: 'usize' },
          { name: 'e', scalar: 'f32' },
        ],
        outputs: [
          { name: 'y', len: 'n' },
          { name: 'z', len: 'n' },
        ],
        object: true,
      },
    ]);
  });
});
