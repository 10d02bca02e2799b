import { compare, createFusedReferenceBackend, TOLERANCES } from '@wattformer/backend-conformance';
import type { Backend, TypedArray } from '@wattformer/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeSoftwareBackends, softwareWebGpuBackend } from '../test/software-backend';

afterAll(disposeSoftwareBackends);

/**
 * Fused kernels on rows wider than a workgroup (64 lanes) and sequences longer than the
 * conformance cases, against the fused reference kernels (f64 accumulation).
 */
describe('webgpu fused kernels on wide rows', () => {
  let gpu: Backend;
  const reference = createFusedReferenceBackend() as Backend;
  beforeAll(async () => {
    gpu = await softwareWebGpuBackend();
  });
  const values = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.37 + seed) * 3);
  const expectClose = (got: TypedArray, want: TypedArray, label: string): void => {
    const c = compare(got, want, TOLERANCES.fused.forward);
    expect(c.passed, `${label}: worst [${c.worstIndex}] got ${got[c.worstIndex]}, expected ${want[c.worstIndex]}`).toBe(true);
  };
  /** Runs `kernel` on both backends with the same host inputs and compares every output. */
  const check = async (label: string, inputs: (Float32Array | Int32Array)[], kernel: (b: Backend, s: object[]) => object[], sizes: number[]): Promise<void> => {
    const outputs = await Promise.all(
      [gpu, reference].map(async (b) => {
        const storages = inputs.map((v) => b.upload(v, v instanceof Int32Array ? 'i32' : 'f32'));
        const outs = kernel(b, storages);
        return Promise.all(outs.map((o, i) => b.read(o, 'f32', sizes[i]!)));
      }),
    );
    outputs[0]!.forEach((got, i) => expectClose(got, outputs[1]![i]!, `${label} output ${i}`));
  };
  const [rows, cols] = [5, 150];

  it('softmax and log-softmax, forward and backward', async () => {
    for (const name of ['softmax', 'logSoftmax'] as const) {
      await check(
        name,
        [values(rows * cols, 1), values(rows * cols, 2)],
        (b, [x, dy]) => {
          const f = b.fused![name]!;
          const y = f.forward(x!, rows, cols);
          return [y, f.backward(y, dy!, rows, cols)];
        },
        [rows * cols, rows * cols],
      );
    }
  });

  it('layer norm, forward and backward', async () => {
    await check(
      'layerNorm',
      [values(rows * cols, 3), values(cols, 4), values(cols, 5), values(rows * cols, 6)],
      (b, [x, g, beta, dy]) => {
        const f = b.fused!.layerNorm!;
        const { y, mean, rstd } = f.forward(x!, g!, beta!, rows, cols, 1e-5);
        const { dx, dgamma, dbeta } = f.backward(dy!, x!, g!, mean, rstd, rows, cols);
        return [y, mean, rstd, dx, dgamma, dbeta];
      },
      [rows * cols, rows, rows, rows * cols, cols, cols],
    );
  });

  it('softmax cross-entropy with an ignored row', async () => {
    const targets = Int32Array.from([3, 149, -100, 0, 77]);
    await check(
      'softmaxCrossEntropy',
      [values(rows * cols, 7), targets, Float32Array.of(1.5)],
      (b, [x, t, dLoss]) => {
        const f = b.fused!.softmaxCrossEntropy!;
        const { loss, probabilities } = f.forward(x!, t!, rows, cols, -100);
        return [loss, probabilities, f.backward(probabilities, t!, dLoss!, rows, cols, -100)];
      },
      [1, rows * cols, rows * cols],
    );
  });
});
