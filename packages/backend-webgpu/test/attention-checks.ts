import { compare, createFusedReferenceBackend, TOLERANCES, type Tolerance } from '@wattformer/backend-conformance';
import type { AttentionPlan, Backend } from '@wattformer/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attentionRoute } from '../src/kernels/attention-dispatch';
import { chooseFlashTiles } from '../src/kernels/attention-flash';
import type { WebGpuStorage } from '../src/gpu-runtime';
import { webGpuMemory } from '../src/webgpu-backend';
import { disposeSoftwareBackends, softwareWebGpuBackend } from './software-backend';

const values = (n: number, seed: number, amplitude = 1): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.37 + seed) * amplitude);

interface Case {
  readonly label: string;
  readonly plan: AttentionPlan;
  /** Key mask [B, Tk] (1 real, 0 padding), or none. */
  readonly mask?: (b: number, j: number) => number;
  readonly amplitude?: number;
}

const plan = (B: number, H: number, Tq: number, Tk: number, D: number, causal: boolean): AttentionPlan => ({
  B,
  H,
  Tq,
  Tk,
  D,
  causal,
  scale: 1 / Math.sqrt(D),
});

/** Every output of the fused attention forward and backward on `b`, read back. */
async function runAttention(b: Backend, c: Case): Promise<Float32Array[]> {
  const { B, H, Tq, Tk, D } = c.plan;
  const amplitude = c.amplitude ?? 1;
  const up = (v: Float32Array) => b.upload(v, 'f32');
  const [q, k, v, dOut] = [
    up(values(B * Tq * H * D, 1, amplitude)),
    up(values(B * Tk * H * D, 2, amplitude)),
    up(values(B * Tk * H * D, 3, amplitude)),
    up(values(B * Tq * H * D, 4)),
  ];
  const mask = c.mask ? up(Float32Array.from({ length: B * Tk }, (_, i) => c.mask!(Math.floor(i / Tk), i % Tk))) : null;
  const f = b.fused!.attention!;
  const { out, stats } = f.forward(q, k, v, mask, c.plan);
  const { dq, dk, dv } = f.backward(q, k, v, mask, out, stats, dOut, c.plan);
  const sizes = [B * Tq * H * D, B * H * Tq, B * Tq * H * D, B * Tk * H * D, B * Tk * H * D];
  const outputs = [out, stats, dq, dk, dv];
  const read = await Promise.all(outputs.map((o, i) => b.read(o, 'f32', sizes[i]!)));
  for (const s of [q, k, v, dOut, ...(mask ? [mask] : []), ...outputs]) b.free(s);
  return read as Float32Array[];
}

const NAMES = ['out', 'stats', 'dq', 'dk', 'dv'];

/**
 * The tiled attention kernels (and the per-row fallback for heads over 128) against the fused
 * reference (f64 sums) on this process's adapter (`driver` names it): forward outputs at the fused
 * forward tolerance, gradients at the fused gradient tolerance, as the conformance suite compares
 * them. Run by `src/attention.test.ts` (SwiftShader) and `src/attention-lavapipe.test.ts`; `large`
 * adds the T 1,024 / 2,048 memory check (the pool's bytes do not depend on the driver).
 */
export function describeAttentionChecks(driver: string, options: { readonly large: boolean }): void {
  afterAll(disposeSoftwareBackends);
  describe(`webgpu attention kernels on ${driver}`, () => {
    let gpu: Backend;
    const reference = createFusedReferenceBackend() as Backend;
    beforeAll(async () => {
      gpu = await softwareWebGpuBackend();
    });

    const check = async (c: Case, on = gpu): Promise<void> => {
      const [got, want] = await Promise.all([runAttention(on, c), runAttention(reference, c)]);
      got.forEach((g, i) => {
        const tolerance: Tolerance = i < 2 ? TOLERANCES.fused.forward : TOLERANCES.fused.gradient;
        const r = compare(g, want[i]!, tolerance);
        expect(r.passed, `${c.label} ${NAMES[i]}: worst [${r.worstIndex}] got ${g[r.worstIndex]}, expected ${want[i]![r.worstIndex]}`).toBe(true);
      });
    };

    it('chooses tiles by head dim and routes heads over 128 to the per-row kernels', () => {
      expect([32, 64, 128].map((D) => chooseFlashTiles(D).keys)).toEqual([64, 32, 16]);
      expect(chooseFlashTiles(8)).toEqual({ D: 8, rows: 64, keys: 64 });
      expect([8, 6, 128, 129].map((D) => attentionRoute({ D }))).toEqual(['flash', 'flash', 'flash', 'rows']);
    });

    it('causal with a key mask over 70 keys (D 8, values ±3)', async () => {
      await check({ label: 'causal+mask T70', plan: plan(2, 2, 70, 70, 8, true), mask: (b, j) => (b === 0 || j < 60 ? 1 : 0), amplitude: 3 });
    });

    it('one token, causal and not', async () => {
      for (const causal of [true, false]) await check({ label: `T1 causal ${causal}`, plan: plan(2, 2, 1, 1, 32, causal) });
    });

    it('T not a multiple of any tile, D 32 / 64 / 128, causal and not', async () => {
      for (const D of [32, 64, 128]) {
        for (const causal of [true, false]) await check({ label: `T100 D${D} causal ${causal}`, plan: plan(1, 2, 100, 100, D, causal) });
      }
    }, 300_000); // three head dims: three sets of shaders to compile

    it('head dims that are not a multiple of 4 (scalar registers) and a head over 128 (per-row fallback)', async () => {
      await check({ label: 'D6 causal', plan: plan(2, 3, 37, 37, 6, true), mask: (b, j) => (b === 1 && j > 30 ? 0 : 1) });
      await check({ label: 'D136 causal', plan: plan(1, 1, 9, 9, 136, true) });
    });

    it('cross attention: Tq ≠ Tk, with and without causal and key mask', async () => {
      await check({ label: 'Tq20 Tk70 causal', plan: plan(2, 2, 20, 70, 16, true) });
      await check({ label: 'Tq70 Tk20 mask', plan: plan(2, 2, 70, 20, 16, false), mask: (b, j) => (b === 1 && j >= 15 ? 0 : 1) });
    });

    /**
     * Memory linear in T: every buffer a forward + backward creates (inputs, outputs, scratch) goes
     * back to a fresh backend's pool when freed, so the pooled bytes are all it allocated. Doubling
     * T must at most double them (a [T, T] score buffer would quadruple them), and at T 2048 they
     * stay under the size of one [T, T] f32 score matrix (16 MiB). The T 2048 run is also checked
     * against the reference.
     */
    it.runIf(options.large)(
      'allocates buffers linear in T, never [T, T]; T 2048 matches the reference',
      async () => {
        const pooled = async (T: number): Promise<number> => {
          const backend = await softwareWebGpuBackend();
          const c = { label: `T${T}`, plan: plan(1, 1, T, T, 32, true) };
          if (T === 2048) await check(c, backend);
          else await runAttention(backend, c);
          expect(backend.bytesInUse()).toBe(0);
          return webGpuMemory(backend as Backend<WebGpuStorage>).pooledBytes;
        };
        const small = await pooled(1024);
        const large = await pooled(2048);
        expect(large).toBeGreaterThan(0);
        expect(large / small).toBeLessThanOrEqual(2.01);
        expect(large).toBeLessThan(2048 * 2048 * 4);
      },
      300_000,
    );
  });
}
