import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Workers run the built replica (dist/replica-worker.js), so this test uses the built package.
const dist = new URL('../../dist/index.js', import.meta.url);

describe('DataParallelGpt (2 replicas in worker_threads, wasm backend)', () => {
  it('trains like one replica on the whole batch: same losses and parameters within float rounding', async () => {
    if (!existsSync(dist)) throw new Error('trainer test: expected dist/index.js, got nothing\nhelp: run `npm run build` first');
    const { DataParallelGpt } = (await import(dist.href)) as typeof import('../index');
    const options = {
      config: { vocabSize: 32, contextLength: 8, modelDim: 16, layers: 2, heads: 2, mlpDim: 32, tiedEmbeddings: true },
      seed: 3,
      optimizer: { learningRate: 1e-2, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1 },
      backend: 'wasm',
      backendModule: '@wattformer/backend-wasm',
    };
    const [B, T] = [4, 8];
    const tokens = Int32Array.from({ length: B * T }, (_, i) => (i * 5 + 1) % 32);
    const targets = Int32Array.from({ length: B * T }, (_, i) => (i * 5 + 6) % 32);
    const single = await DataParallelGpt.create({ ...options, replicas: 1 });
    const parallel = await DataParallelGpt.create({ ...options, replicas: 2 });
    try {
      for (let step = 1; step <= 3; step++) {
        const [a, b] = [await single.step(tokens, targets, B, step), await parallel.step(tokens, targets, B, step)];
        expect(Math.abs(a - b)).toBeLessThan(1e-5); // mean of two shard means = the batch mean
      }
      let worst = 0;
      for (const [name, p] of single.parameters) {
        const [x, y] = [p.dataSync(), parallel.parameters.get(name)!.dataSync()];
        for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
      }
      // Gradients are summed in another order, and AdamW divides by √v, so tiny gradients carry
      // rounding differences of a few ulps into the update: 1e-4 is far below any real step (1e-2).
      expect(worst).toBeLessThan(1e-4);
    } finally {
      single.dispose();
      parallel.dispose();
    }
  }, 60_000);

  it('refuses a batch that does not split evenly', async () => {
    const { DataParallelGpt } = (await import(dist.href)) as typeof import('../index');
    const dp = await DataParallelGpt.create({
      config: { vocabSize: 8, contextLength: 4, modelDim: 8, layers: 1, heads: 2, mlpDim: 8, tiedEmbeddings: true },
      seed: 1,
      optimizer: { learningRate: 1e-3, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0 },
      backend: 'wasm',
      backendModule: '@wattformer/backend-wasm',
      replicas: 2,
    });
    try {
      await expect(dp.step(new Int32Array(12), new Int32Array(12), 3, 1)).rejects.toThrow(/expected a batch divisible by 2 replicas/);
      // A token id out of range only in the worker's half: the worker's step fails, and instead of
      // waiting forever at the gradient barrier the call rejects with the worker's error.
      const tokens = new Int32Array(16);
      tokens[12] = 99;
      await expect(dp.step(tokens, new Int32Array(16), 4, 1)).rejects.toThrow(/expected indices in \[0, 8\), got 99/);
    } finally {
      dp.dispose();
    }
  }, 60_000);
});
