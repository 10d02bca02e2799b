import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Workers run the built replica (dist/replica-worker.js), so this test uses the built package.
const dist = new URL('../../dist/index.js', import.meta.url);
const config = { vocabSize: 32, contextLength: 8, modelDim: 16, layers: 2, heads: 2, mlpDim: 32, tiedEmbeddings: true };

describe('ParallelGptGradients (worker_threads, wasm backend)', () => {
  it('gives the loss and gradients of the whole batch, also when rows do not split evenly', async () => {
    if (!existsSync(dist)) throw new Error('trainer test: expected dist/index.js, got nothing\nhelp: run `npm run build` first');
    const { ParallelGptGradients } = (await import(dist.href)) as typeof import('../index');
    const core = await import('@wattformer/core');
    const { gptLoss, initGptParameters } = await import('@wattformer/model');
    await import('@wattformer/backend-wasm');
    await core.setBackend('wasm');
    const parameters = initGptParameters(config, 5);
    const list = [...parameters.values()];
    const parallel = await ParallelGptGradients.create({ config, parameters, replicas: 2, backend: 'wasm', backendModule: '@wattformer/backend-wasm' });
    try {
      for (const B of [2, 3]) {
        const T = 8;
        const tokens = Int32Array.from({ length: B * T }, (_, i) => (i * 5 + B) % 32);
        const targets = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + 1) % 32);
        const expected = core.tidy(() => {
          const { value, grads } = core.valueAndGrad(() => gptLoss(parameters, config, core.tensor(tokens, [B, T], 'i32'), core.tensor(targets, [B, T], 'i32')), list);
          return { value: value.itemSync(), grads: grads.map((g) => g.dataSync() as Float32Array) };
        });
        const got = core.tidy(() => {
          const { value, grads } = parallel.lossAndGradients(list, { tokens, targets }, B);
          return { value, grads: grads.map((g) => g.dataSync() as Float32Array) };
        });
        expect(Math.abs(got.value - expected.value)).toBeLessThan(1e-5);
        let worst = 0;
        got.grads.forEach((g, i) => g.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - expected.grads[i]![j]!)))));
        expect(worst).toBeLessThan(1e-5);
      }
      // The workers read the parameters of each call: after a change here, they see it.
      core.assign(list[0]!, core.zerosLike(list[0]!));
      const tokens = Int32Array.from({ length: 16 }, (_, i) => i % 32);
      const after = core.tidy(() => parallel.lossAndGradients(list, { tokens, targets: tokens }, 2).value);
      const direct = core.tidy(() => gptLoss(parameters, config, core.tensor(tokens, [2, 8], 'i32'), core.tensor(tokens, [2, 8], 'i32')).itemSync());
      expect(Math.abs(after - direct)).toBeLessThan(1e-5);
    } finally {
      parallel.dispose();
    }
  }, 60_000);

  it('refuses too few rows, and reports the error of a worker that fails', async () => {
    const { ParallelGptGradients } = (await import(dist.href)) as typeof import('../index');
    const { initGptParameters } = await import('@wattformer/model');
    const parameters = initGptParameters(config, 1);
    const list = [...parameters.values()];
    const parallel = await ParallelGptGradients.create({ config, parameters, replicas: 2, backend: 'wasm', backendModule: '@wattformer/backend-wasm' });
    try {
      const one = new Int32Array(8);
      expect(() => parallel.lossAndGradients(list, { tokens: one, targets: one }, 1)).toThrow(/expected at least 2 rows \(one per replica\)/);
      // A token id out of range only in the worker's row: the barrier releases this thread, and
      // explain() turns the generic failure into the worker's own error.
      const tokens = new Int32Array(16);
      tokens[12] = 99;
      let failure: unknown;
      try {
        parallel.lossAndGradients(list, { tokens, targets: new Int32Array(16) }, 2);
      } catch (error) {
        failure = error;
      }
      expect(String(failure)).toMatch(/a failed replica/);
      expect(String(await parallel.explain(failure))).toMatch(/expected indices in \[0, 32\), got 99/);
    } finally {
      parallel.dispose();
    }
  }, 60_000);
});
