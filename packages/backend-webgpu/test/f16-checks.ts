import { matmulDims, type Backend, type MatmulDims } from '@wattformer/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultWebGpuBackend } from '../src/create-backend';
import { findGpu } from '../src/node-gpu';
import { webGpuInfo, type WebGpuStorage } from '../src/webgpu-backend';
import { disposeSoftwareBackends, softwareWebGpuBackend } from './software-backend';

/** Deterministic values in [-2, 2) (an LCG), so runs compare bit for bit. */
function values(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 4 - 2;
  });
}

/** Row-major [m, k] · [k, n] products' Σ|a|·|b| per output: the scale of f16's rounding error. */
function absoluteProducts(a: Float32Array, b: Float32Array, d: MatmulDims): Float64Array {
  const out = new Float64Array(d.batch * d.m * d.n);
  for (let p = 0; p < d.batch; p++)
    for (let i = 0; i < d.m; i++)
      for (let j = 0; j < d.n; j++) {
        let sum = 0;
        for (let q = 0; q < d.k; q++) {
          const av = a[p * d.m * d.k + (d.transposeA ? q * d.m + i : i * d.k + q)]!;
          const bv = b[p * d.k * d.n + (d.transposeB ? j * d.k + q : q * d.n + j)]!;
          sum += Math.abs(av * bv);
        }
        out[(p * d.m + i) * d.n + j] = sum;
      }
  return out;
}

async function matmulOn(backend: Backend<WebGpuStorage>, a: Float32Array, b: Float32Array, d: MatmulDims): Promise<Float32Array> {
  const [x, y] = [backend.upload(a, 'f32'), backend.upload(b, 'f32')];
  const out = backend.matmul(x, y, d);
  const result = (await backend.read(out, 'f32', d.batch * d.m * d.n)) as Float32Array;
  for (const s of [x, y, out]) backend.free(s);
  return result;
}

// Odd sizes cross tile edges and the four-term f16 dot products' K steps.
const SHAPES: [string, number[], number[], { transposeA?: boolean; transposeB?: boolean }][] = [
  ['[37,45]·[45,29]', [37, 45], [45, 29], {}],
  ['[2,19,70]ᵀ·[2,19,33]', [2, 19, 70], [2, 19, 33], { transposeA: true }],
  ['[21,64]·[17,64]ᵀ', [21, 64], [17, 64], { transposeB: true }],
];

/**
 * The f16 checks on this process's adapter: `'off'` never uses f16; `'auto'` uses it exactly
 * when the adapter has `shader-f16`, and then matmul stays within f16 rounding of the f32 path
 * (and differs from it, so the f16 kernel ran); without the feature it equals f32 bit for bit.
 * `requireFeature` makes an adapter without `shader-f16` a failure (the lavapipe run).
 */
export function describeF16Checks(driver: string, requireFeature: boolean): void {
  describe(`shader-f16 (f16: 'auto') on ${driver}`, () => {
    let f32: Backend<WebGpuStorage>;
    let auto: Backend<WebGpuStorage>;
    let adapterHasF16: boolean;

    beforeAll(async () => {
      adapterHasF16 = (await (await findGpu()).requestAdapter())?.features.has('shader-f16') ?? false;
      f32 = (await softwareWebGpuBackend()) as Backend<WebGpuStorage>;
      auto = await createDefaultWebGpuBackend(undefined, { f16: 'auto' });
      console.log(`f16 test: adapter ${adapterHasF16 ? 'has' : 'lacks'} shader-f16 (${driver})`);
    });

    afterAll(() => {
      auto?.dispose?.();
      disposeSoftwareBackends();
    });

    if (requireFeature) {
      it('has an adapter with shader-f16', () => {
        expect(adapterHasF16).toBe(true);
      });
    }

    it("stays f32 by default ('off'), without requesting the feature", () => {
      expect(webGpuInfo(f32)).toEqual({ f16: false, features: expect.not.arrayContaining(['shader-f16']) });
    });

    it('uses f16 exactly when the adapter has shader-f16', () => {
      expect(webGpuInfo(auto).f16).toBe(adapterHasF16);
      expect(webGpuInfo(auto).features.includes('shader-f16')).toBe(adapterHasF16);
    });

    for (const [name, aShape, bShape, options] of SHAPES) {
      it(`matmul ${name}: within f16 rounding of f32 with the feature, equal to f32 without`, async () => {
        const d = matmulDims(aShape, bShape, options);
        const a = values(
          aShape.reduce((x, y) => x * y, 1),
          1,
        );
        const b = values(
          bShape.reduce((x, y) => x * y, 1),
          2,
        );
        const [exact, half] = [await matmulOn(f32, a, b, d), await matmulOn(auto, a, b, d)];
        if (!webGpuInfo(auto).f16) {
          expect(half).toEqual(exact);
          return;
        }
        // Inputs rounded to f16 (2u), the product and three additions of each four-term f16 dot
        // (about 4u): 6u·Σ|a·b| with u = 2^-11, plus f32 accumulation, well inside 8u.
        const scale = absoluteProducts(a, b, d);
        const worst = Math.max(...Array.from(half, (h, i) => Math.abs(h - exact[i]!) / scale[i]!));
        console.log(`f16 matmul ${name}: worst |f16 − f32| / Σ|a·b| = ${worst.toExponential(2)} (bound ${(8 * 2 ** -11).toExponential(2)})`);
        expect(worst).toBeLessThan(8 * 2 ** -11);
        // The f16 kernel really ran: rounding to 11 bits changes results.
        expect(Array.from(half).some((h, i) => h !== exact[i])).toBe(true);
      });
    }
  });
}
