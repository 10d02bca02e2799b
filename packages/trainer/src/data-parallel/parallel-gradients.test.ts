import { existsSync } from 'node:fs';
import * as core from '@wattformer/core';
import { gptLoss, initGptParameters, type GptConfig } from '@wattformer/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { TokenBatches } from '../data/token-batches';
import { trainLoop } from '../loop/train-loop';
import { createOptimizer } from '../optim/optimizer';
import { ParallelGptGradients } from './parallel-gradients';

// Workers run test/fixtures/replica-worker.mjs, which imports the built package (dist), as an app's
// worker does; the replicas use core's 'cpu' backend.
const workerUrl = new URL('../../test/fixtures/replica-worker.mjs', import.meta.url);
const dist = new URL('../../dist/index.js', import.meta.url);
const config: GptConfig = { vocabSize: 32, contextLength: 8, modelDim: 16, layers: 2, heads: 2, mlpDim: 32, tiedEmbeddings: true };
const stream = Int32Array.from({ length: 600 }, (_, i) => (i * 5 + (i >> 3)) % 32);

beforeAll(async () => {
  if (!existsSync(dist)) throw new Error('trainer test: expected dist/index.js, got nothing\nhelp: run `npm run build` first');
  await core.setBackend('cpu');
});

const flat = (parameters: ReadonlyMap<string, core.Tensor>) => [...parameters.values()].flatMap((p) => Array.from(p.dataSync()));

describe('ParallelGptGradients (worker_threads; the one data-parallel path)', () => {
  it('gives the loss and gradients of the whole batch, also when rows do not split evenly', async () => {
    const parameters = initGptParameters(config, 5);
    const list = [...parameters.values()];
    const parallel = await ParallelGptGradients.create({ config, parameters, replicas: 2, workerUrl });
    try {
      for (const B of [2, 3]) {
        const T = 8;
        const tokens = Int32Array.from({ length: B * T }, (_, i) => (i * 5 + B) % 32);
        const targets = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + 1) % 32);
        const expected = core.tidy(() => {
          const { value, grads } = core.valueAndGrad(
            () => gptLoss(parameters, config, core.tensor(tokens, [B, T], 'i32'), core.tensor(targets, [B, T], 'i32')),
            list,
          );
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

  it('#13 item 7: a trainLoop step through the data-parallel path equals a plain trainLoop step (AdamW, decay on rank ≥ 2 only)', async () => {
    const run = async (replicas: number, steps: number) => {
      const parameters = initGptParameters(config, 3);
      const parallel = await ParallelGptGradients.create({ config, parameters, replicas, workerUrl });
      try {
        expect(parallel.model.lossAndGradients === undefined).toBe(replicas === 1); // one replica: the plain loop
        const optimizer = createOptimizer(parameters, { kind: 'adamw', learningRate: 1e-2, beta1: 0.9, beta2: 0.95, weightDecay: 0.1 });
        const result = await trainLoop({
          model: parallel.model,
          optimizer,
          batches: new TokenBatches(stream, { batchSize: 4, contextLength: 8, seed: 2 }),
          steps,
          gradientClip: 1,
        });
        return { losses: result.losses, parameters: flat(parameters), biases: [...parameters].filter(([, p]) => p.rank < 2).map(([n]) => n) };
      } finally {
        parallel.dispose();
      }
    };
    const initial = flat(initGptParameters(config, 3));
    for (const steps of [1, 3]) {
      const [single, parallel] = [await run(1, steps), await run(3, steps)];
      single.losses.forEach((loss, i) => expect(Math.abs(loss - parallel.losses[i]!)).toBeLessThan(1e-5));
      let worst = 0;
      let moved = 0;
      single.parameters.forEach(
        (x, i) => ((worst = Math.max(worst, Math.abs(x - parallel.parameters[i]!))), (moved = Math.max(moved, Math.abs(x - initial[i]!)))),
      );
      // Gradients are summed in another order, and AdamW divides by √v, so tiny gradients carry
      // rounding differences of a few ulps into the update: far below the step itself (≈ 1e-2).
      expect(moved).toBeGreaterThan(5e-3);
      expect(worst).toBeLessThan(steps === 1 ? 1e-5 : 1e-4);
      expect(single.biases.length).toBeGreaterThan(0);
    }
  }, 120_000);

  it('refuses too few rows, a missing worker, and reports the error of a worker that fails', async () => {
    const parameters = initGptParameters(config, 1);
    const list = [...parameters.values()];
    await expect(ParallelGptGradients.create({ config, parameters, replicas: 2 })).rejects.toThrow(
      /^trainer: parallelGradients: expected workerUrl or createWorker for more than one replica, got neither\nhelp: write a worker module/,
    );
    await expect(ParallelGptGradients.create({ config, parameters, replicas: 0, workerUrl })).rejects.toThrow(/expected replicas to be an integer ≥ 1, got 0/);
    await expect(ParallelGptGradients.create({ config, parameters, replicas: 2, workerUrl, backend: 'no-such-backend' })).rejects.toThrow(/no-such-backend/);
    const parallel = await ParallelGptGradients.create({ config, parameters, replicas: 2, workerUrl });
    try {
      const one = new Int32Array(8);
      expect(() => parallel.lossAndGradients(list, { tokens: one, targets: one }, 1)).toThrow(/expected at least 2 rows \(one per replica\)/);
      // A disposed parameter is refused before the workers are told to step, so nothing hangs and
      // the next call works (the workers wait for the published version only once told to step).
      const two = Int32Array.from({ length: 16 }, (_, i) => i % 32);
      const dead = core.zerosLike(list[1]!);
      dead.dispose();
      expect(() => parallel.lossAndGradients([list[0]!, dead, ...list.slice(2)], { tokens: two, targets: two }, 2)).toThrow(
        /^trainer: parallelGradients: expected \d+ live parameter tensors, got a disposed tensor at position 1\nhelp: /,
      );
      expect(Number.isFinite(core.tidy(() => parallel.lossAndGradients(list, { tokens: two, targets: two }, 2).value))).toBe(true);
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

  it('defaults to one replica per core', async () => {
    const { availableParallelism } = await import('node:os');
    const parameters = initGptParameters(config, 2);
    const parallel = await ParallelGptGradients.create({ config, parameters, workerUrl });
    try {
      expect(parallel.replicas).toBe(availableParallelism());
    } finally {
      parallel.dispose();
    }
  }, 60_000);

  it('takes a createWorker factory instead of a URL', async () => {
    const { Worker } = await import('node:worker_threads');
    const parameters = initGptParameters(config, 2);
    let started = 0;
    const parallel = await ParallelGptGradients.create({ config, parameters, replicas: 3, createWorker: () => (started++, new Worker(workerUrl)) });
    try {
      expect(started).toBe(2);
      const tokens = Int32Array.from({ length: 24 }, (_, i) => i % 32);
      const got = core.tidy(() => parallel.model.lossAndGradients!({ tokens, targets: tokens }).value);
      const direct = core.tidy(() => gptLoss(parameters, config, core.tensor(tokens, [3, 8], 'i32'), core.tensor(tokens, [3, 8], 'i32')).itemSync());
      expect(Math.abs(got - direct)).toBeLessThan(1e-5);
    } finally {
      parallel.dispose();
    }
  }, 60_000);
});
