import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';
import { describe, expect, it } from 'vitest';
import { wasmBuildUrl } from './wasm-build';
import { defaultWasmUrl } from './wasm-source';

const bytes = readFileSync(fileURLToPath(defaultWasmUrl()));
const relaxedBytes = readFileSync(fileURLToPath(wasmBuildUrl('relaxed')));

/** Decodes LLVM's `target_features` custom section: count, then (prefix, name) pairs. */
function targetFeatures(module: WebAssembly.Module): string[] {
  const [section] = WebAssembly.Module.customSections(module, 'target_features');
  if (!section) return [];
  const data = new Uint8Array(section);
  let offset = 0;
  const leb = (): number => {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = data[offset++]!;
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const count = leb();
  const features: string[] = [];
  for (let i = 0; i < count; i++) {
    const prefix = String.fromCharCode(data[offset++]!);
    const length = leb();
    features.push(prefix + new TextDecoder().decode(data.subarray(offset, offset + length)));
    offset += length;
  }
  return features;
}

describe('the built kernels .wasm', () => {
  it('declares the simd128 target feature', () => {
    const features = targetFeatures(new WebAssembly.Module(bytes));
    expect(features).toContain('+simd128');
  });

  it('contains SIMD instructions in the matmul micro-kernel', async () => {
    const wabt = await wabtInit();
    const text = wabt.readWasm(bytes, { simd: true }).toText({});
    const count = (instruction: string) => text.split(instruction).length - 1;
    expect(count('f32x4.mul')).toBeGreaterThanOrEqual(8); // MR·NR/4 = 8 accumulators
    expect(count('f32x4.add')).toBeGreaterThanOrEqual(8);
    expect(count('v128.load32_splat')).toBeGreaterThanOrEqual(4);
  });

  it('the default (simd128) build has no relaxed instruction, so engines without them run it', async () => {
    const wabt = await wabtInit();
    const text = wabt.readWasm(bytes, { simd: true, relaxed_simd: true }).toText({});
    expect(targetFeatures(new WebAssembly.Module(bytes))).not.toContain('+relaxed-simd');
    expect(text.split('f32x4.relaxed_madd').length - 1).toBe(0);
  });

  it('the relaxed build declares relaxed-simd and fuses the micro-kernel multiply-adds', async () => {
    expect(targetFeatures(new WebAssembly.Module(relaxedBytes))).toEqual(expect.arrayContaining(['+simd128', '+relaxed-simd']));
    const wabt = await wabtInit();
    const text = wabt.readWasm(relaxedBytes, { simd: true, relaxed_simd: true }).toText({});
    expect(text.split('f32x4.relaxed_madd').length - 1).toBeGreaterThanOrEqual(8); // MR·NR/4 accumulators
  });

  it('both builds export the same functions (one JS glue drives either)', () => {
    const names = (b: typeof bytes) =>
      WebAssembly.Module.exports(new WebAssembly.Module(b))
        .map((e) => `${e.kind}:${e.name}`)
        .sort();
    expect(names(relaxedBytes)).toEqual(names(bytes));
  });
});
