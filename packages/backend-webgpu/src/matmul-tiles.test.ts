import { createCpuBackend, type Backend, type MatmulDims, type TypedArray } from '@wattformer/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeSoftwareBackends, softwareWebGpuBackend } from '../test/software-backend';
import { GpuRuntime } from './gpu-runtime';
import { chooseMatmulTile, LARGE_TILE, matmulGroups, matmulShader, matmulVariant, MEDIUM_TILE, SMALL_TILE, TALL_TILE, type MatmulTile } from './kernels/matmul';
import { webGpuDevice } from './webgpu-backend';

afterAll(disposeSoftwareBackends);

const values = (count: number, seed: number) => Float32Array.from({ length: count }, (_, i) => Math.sin(i * 0.37 + seed));

/**
 * Every compiled variant of the register-tiled matmul (each of the three tiles × transposes × vec4
 * or scalar loads and stores) against the cpu oracle, on shapes that cross every tile edge, K not
 * a multiple of the tile depth, and batches: through the backend (the tile it chooses) and
 * dispatched directly with each tile.
 */
describe('register-tiled webgpu matmul', () => {
  let gpu: Backend;
  let runtime: GpuRuntime;
  const cpu = createCpuBackend() as Backend;
  beforeAll(async () => {
    gpu = await softwareWebGpuBackend();
    runtime = new GpuRuntime(webGpuDevice(gpu)!);
  });

  /** One product with a given tile, straight through the runtime. */
  async function withTile(tile: MatmulTile, a: Float32Array, b: Float32Array, d: MatmulDims): Promise<Float32Array> {
    const [x, y, out] = [runtime.upload(a, 'f32', 'a'), runtime.upload(b, 'f32', 'b'), runtime.allocate(d.batch * d.m * d.n, 'c')];
    runtime.dispatch(
      matmulShader(matmulVariant(d, false, tile)),
      'main',
      [
        { buffer: x.buffer, access: 'read' },
        { buffer: y.buffer, access: 'read' },
        { buffer: out.buffer, access: 'write' },
      ],
      [d.m, d.n, d.k, 0],
      matmulGroups(tile, d, d.batch),
    );
    const result = (await runtime.read(out, 'f32', d.batch * d.m * d.n)) as Float32Array;
    for (const s of [x, y, out]) runtime.free(s);
    return result;
  }

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
    const want = await run(cpu);
    const worst = (got: Float32Array | TypedArray) => {
      let w = 0;
      for (let i = 0; i < size; i++) w = Math.max(w, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
      return w;
    };
    expect(worst(await run(gpu)), JSON.stringify({ ...d, variant: matmulVariant(d, false) })).toBeLessThan(1e-5);
    for (const tile of [SMALL_TILE, MEDIUM_TILE, TALL_TILE, LARGE_TILE]) {
      expect(worst(await withTile(tile, a, b, d)), JSON.stringify({ ...d, variant: matmulVariant(d, false, tile) })).toBeLessThan(1e-5);
    }
  }

  it('chooses tiles by shape: 64×64 for very big products, 64×32 from 64 rows, 32×32 below, 16×16 for thin ones', () => {
    expect(chooseMatmulTile({ batch: 1, m: 2048, n: 2048 })).toBe(LARGE_TILE);
    expect(chooseMatmulTile({ batch: 16, m: 512, n: 512 })).toBe(LARGE_TILE);
    expect(chooseMatmulTile({ batch: 1, m: 1024, n: 1024 })).toBe(TALL_TILE);
    expect(chooseMatmulTile({ batch: 1, m: 128, n: 128 })).toBe(TALL_TILE);
    expect(chooseMatmulTile({ batch: 1, m: 48, n: 128 })).toBe(MEDIUM_TILE);
    expect(chooseMatmulTile({ batch: 8, m: 32, n: 64 })).toBe(MEDIUM_TILE);
    expect(chooseMatmulTile({ batch: 8, m: 64, n: 16 })).toBe(SMALL_TILE);
    expect(chooseMatmulTile({ batch: 1, m: 3, n: 500 })).toBe(SMALL_TILE);
  });

  for (const [m, n, k, batch] of [
    [130, 131, 37, 1], // ragged edges of every tile, scalar B and C (N odd)
    [132, 136, 40, 1], // vec4 loads and stores
    [37, 44, 70, 2], // K past two depth steps, batches
    [9, 12, 5, 3], // K < 4
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
