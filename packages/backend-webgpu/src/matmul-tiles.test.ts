import { createCpuBackend, type Backend, type MatmulDims } from '@wattformer/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeSoftwareBackends, softwareWebGpuBackend } from '../test/software-backend';
import { chooseMatmulTile, LARGE_TILE, matmulVariant, MEDIUM_TILE, SMALL_TILE } from './kernels/matmul';

afterAll(disposeSoftwareBackends);

const values = (count: number, seed: number) => Float32Array.from({ length: count }, (_, i) => Math.sin(i * 0.37 + seed));

/**
 * Every compiled variant of the register-tiled matmul (tile × transposes × vec4 or scalar loads and
 * stores) against the cpu oracle, on shapes that cross every tile edge, K not a multiple of the
 * tile depth, and batches.
 */
describe('register-tiled webgpu matmul', () => {
  let gpu: Backend;
  const cpu = createCpuBackend() as Backend;
  beforeAll(async () => {
    gpu = await softwareWebGpuBackend();
  });

  async function check(d: MatmulDims): Promise<void> {
    const aSize = d.batch * d.m * d.k;
    const bSize = d.batch * d.k * d.n;
    const a = values(aSize, 1);
    const b = values(bSize, 2);
    const size = d.batch * d.m * d.n;
    const run = async (k: Backend) => {
      const [x, y] = [k.upload(a, 'f32'), k.upload(b, 'f32')];
      const out = k.matmul(x, y, d);
      const result = await k.read(out, 'f32', size);
      for (const s of [x, y, out]) k.free(s);
      return result;
    };
    const [got, want] = [await run(gpu), await run(cpu)];
    const label = JSON.stringify({ ...d, variant: matmulVariant(d, false) });
    let worst = 0;
    for (let i = 0; i < size; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
    expect(worst, label).toBeLessThan(1e-5);
  }

  it('chooses tiles by shape: 64×64 for big products, 32×32 for middling, 16×16 for thin ones', () => {
    expect(chooseMatmulTile({ batch: 1, m: 512, n: 512 })).toBe(LARGE_TILE);
    expect(chooseMatmulTile({ batch: 1, m: 128, n: 128 })).toBe(MEDIUM_TILE);
    expect(chooseMatmulTile({ batch: 8, m: 32, n: 64 })).toBe(MEDIUM_TILE);
    expect(chooseMatmulTile({ batch: 8, m: 64, n: 16 })).toBe(SMALL_TILE);
    expect(chooseMatmulTile({ batch: 1, m: 3, n: 500 })).toBe(SMALL_TILE);
  });

  for (const [m, n, k, batch] of [
    [130, 131, 37, 1], // large tile, ragged edges, scalar B and C (N odd)
    [132, 136, 40, 1], // large tile, vec4 everywhere
    [37, 44, 70, 2], // medium tile, K past one depth step
    [9, 12, 5, 3], // small tile, K < 4
    [5, 3, 1, 2], // one step of K
  ] as const) {
    for (const [transposeA, transposeB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`[${batch},${m},${k}]${transposeA ? 'ᵀ' : ''}·[${batch},${k},${n}]${transposeB ? 'ᵀ' : ''}`, async () => {
        await check({ batch, m, n, k, transposeA, transposeB, outShape: [batch, m, n] });
      });
    }
  }
});
