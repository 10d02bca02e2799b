import { setBackend, tensor, type Tensor } from '@wattformer/core';
import { gptLoss, initGptParameters, type GptConfig } from '@wattformer/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { TokenBatches } from '../data/token-batches';
import { createOptimizer } from '../optim/optimizer';
import { trainLoop, type TrainableModel, type TrainEvent } from './train-loop';

const config: GptConfig = { vocabSize: 16, contextLength: 8, modelDim: 16, layers: 1, heads: 2, mlpDim: 32, tiedEmbeddings: true };
// A learnable stream: a repeating pattern over 16 symbols.
const stream = Int32Array.from({ length: 400 }, (_, i) => (i * 3 + (i >> 4)) % 16);

function gpt(seed = 1): TrainableModel {
  const parameters = initGptParameters(config, seed);
  return {
    parameters,
    loss: ({ tokens, targets }) => {
      const B = tokens.length / config.contextLength;
      return gptLoss(parameters, config, tensor(tokens, [B, config.contextLength], 'i32'), tensor(targets, [B, config.contextLength], 'i32'));
    },
  };
}

const snapshot = (parameters: ReadonlyMap<string, Tensor>) => [...parameters.values()].map((p) => Array.from(p.dataSync()));

beforeAll(async () => {
  await setBackend('cpu');
});

describe('trainLoop', () => {
  it('lowers the loss and reports steps and evaluations', async () => {
    const model = gpt();
    const events: TrainEvent[] = [];
    const result = await trainLoop({
      model,
      optimizer: createOptimizer(model.parameters, { kind: 'adamw', learningRate: 1e-2, weightDecay: 0 }),
      batches: new TokenBatches(stream, { batchSize: 4, contextLength: 8, seed: 1 }),
      steps: 40,
      gradientClip: 1,
      schedule: { kind: 'cosine', learningRate: 1e-2, warmupSteps: 5, totalSteps: 40, minLearningRate: 1e-3 },
      evaluation: { batches: new TokenBatches(stream, { batchSize: 4, contextLength: 8, seed: 2 }), every: 20, iterations: 2 },
      onEvent: (event) => void events.push(event),
    });
    expect(result.stopReason).toBe('steps');
    expect(result.losses.length).toBe(40);
    expect(result.losses.slice(-5).reduce((a, b) => a + b) / 5).toBeLessThan(result.losses[0]! * 0.7);
    expect(events.filter((e) => e.type === 'eval').map((e) => e.step)).toEqual([20, 40]);
    const steps = events.filter((e) => e.type === 'step');
    expect(steps[0]).toMatchObject({ step: 1, tokens: 32 });
    expect((steps[0] as { learningRate: number }).learningRate).toBeCloseTo(2e-3, 10);
  });

  it('is deterministic: same seeds, same loss curve', async () => {
    const run = async () => {
      const model = gpt(7);
      const optimizer = createOptimizer(model.parameters, { kind: 'adamw', learningRate: 5e-3 });
      return (await trainLoop({ model, optimizer, batches: new TokenBatches(stream, { batchSize: 2, contextLength: 8, seed: 3 }), steps: 6 })).losses;
    };
    expect(await run()).toEqual(await run());
  });

  it('averages gradients over accumulation micro-batches like one larger batch', async () => {
    const whole = gpt(5);
    const split = gpt(5);
    const sgd = (model: TrainableModel) => createOptimizer(model.parameters, { kind: 'sgd', learningRate: 0.1 });
    await trainLoop({
      model: whole,
      optimizer: sgd(whole),
      batches: new TokenBatches(stream, { batchSize: 4, contextLength: 8, order: 'sequential' }),
      steps: 1,
    });
    await trainLoop({
      model: split,
      optimizer: sgd(split),
      batches: new TokenBatches(stream, { batchSize: 2, contextLength: 8, order: 'sequential' }),
      steps: 1,
      accumulationSteps: 2,
    });
    const [a, b] = [snapshot(whole.parameters).flat(), snapshot(split.parameters).flat()];
    expect(Math.max(...a.map((x, i) => Math.abs(x - b[i]!)))).toBeLessThan(1e-6);
  });

  it('stops on a non-finite loss with a clear error and leaves the parameters as they were', async () => {
    const model = gpt();
    let bad = false;
    const poisoned: TrainableModel = { parameters: model.parameters, loss: (batch) => (bad ? model.loss(batch).mul(Number.NaN) : model.loss(batch)) };
    const optimizer = createOptimizer(model.parameters, { kind: 'adamw', learningRate: 1e-2 });
    const batches = new TokenBatches(stream, { batchSize: 2, contextLength: 8 });
    await trainLoop({ model: poisoned, optimizer, batches, steps: 2 });
    const before = snapshot(model.parameters);
    bad = true;
    await expect(trainLoop({ model: poisoned, optimizer, batches, steps: 1 })).rejects.toThrow(
      /^trainer: train: expected a finite loss and gradient norm, got loss NaN, gradient norm NaN at step 1\nhelp: parameters keep their values/,
    );
    expect(snapshot(model.parameters)).toEqual(before);
  });

  it('stops early when evaluation stops improving, or when a callback asks', async () => {
    const model = gpt();
    const optimizer = createOptimizer(model.parameters, { kind: 'sgd', learningRate: 1e-9 });
    const fixed = new TokenBatches(stream, { batchSize: 2, contextLength: 8 }).next();
    const early = await trainLoop({
      model,
      optimizer,
      batches: new TokenBatches(stream, { batchSize: 2, contextLength: 8 }),
      steps: 50,
      evaluation: { batches: { next: () => fixed }, every: 1, iterations: 1 }, // one batch: only the model changes
      earlyStopping: { patience: 2, minDelta: 1e-3 },
    });
    expect(early).toMatchObject({ stopReason: 'early-stopping', steps: 3 });
    const asked = await trainLoop({
      model,
      optimizer,
      batches: new TokenBatches(stream, { batchSize: 2, contextLength: 8 }),
      steps: 50,
      onEvent: (e) => (e.type === 'step' && e.step === 4 ? 'stop' : undefined),
    });
    expect(asked).toMatchObject({ stopReason: 'requested', steps: 4 });
  });

  it('refuses bad settings', async () => {
    const model = gpt();
    const optimizer = createOptimizer(model.parameters, { kind: 'sgd', learningRate: 0.1 });
    const batches = new TokenBatches(stream, { batchSize: 2, contextLength: 8 });
    await expect(trainLoop({ model, optimizer, batches, steps: 0 })).rejects.toThrow(/^trainer: train: expected steps to be a positive integer, got 0/);
    await expect(trainLoop({ model, optimizer, batches, steps: 1, gradientClip: -1 })).rejects.toThrow(/gradientClip to be a positive number, got -1/);
  });
});
