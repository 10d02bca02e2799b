import { memoryBytes } from '@wattformer/backend-wasm';
import { memory, setBackend, tensor } from '@wattformer/core';
import { gptLoss, initGptParameters, type GptConfig } from '@wattformer/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenBatches } from '../data/token-batches';
import { createOptimizer } from '../optim/optimizer';
import { trainLoop, type TrainableModel } from './train-loop';

const config: GptConfig = { vocabSize: 16, contextLength: 8, modelDim: 16, layers: 1, heads: 2, mlpDim: 32, tiedEmbeddings: true };
const stream = Int32Array.from({ length: 400 }, (_, i) => (i * 3 + (i >> 4)) % 16);
const STEPS = 400;

beforeAll(async () => {
  await setBackend('wasm');
});
afterAll(async () => {
  await setBackend('cpu');
});

describe('trainLoop does not leak', () => {
  it(`over ${STEPS} steps with accumulation, clipping and evaluation: live tensors, backend bytes and WebAssembly memory stay flat`, async () => {
    const parameters = initGptParameters(config, 3);
    const model: TrainableModel = {
      parameters,
      loss: ({ tokens, targets }) => {
        const B = tokens.length / config.contextLength;
        return gptLoss(parameters, config, tensor(tokens, [B, config.contextLength], 'i32'), tensor(targets, [B, config.contextLength], 'i32'));
      },
    };
    const optimizer = createOptimizer(model.parameters, { kind: 'adamw', learningRate: 3e-3 });
    const samples: { step: number; live: number; bytes: number; wasm: number }[] = [];
    const result = await trainLoop({
      model,
      optimizer,
      batches: new TokenBatches(stream, { batchSize: 2, contextLength: 8, seed: 5 }),
      steps: STEPS,
      accumulationSteps: 2,
      gradientClip: 1,
      evaluation: { batches: new TokenBatches(stream, { batchSize: 2, contextLength: 8, seed: 6 }), every: 50, iterations: 2 },
      onEvent: (event) => {
        if (event.type === 'step' && event.step % 50 === 0) {
          const info = memory();
          samples.push({ step: event.step, live: info.liveTensors, bytes: info.backendBytes, wasm: memoryBytes() });
        }
      },
    });
    expect(result.steps).toBe(STEPS);
    expect(samples).toHaveLength(STEPS / 50);
    expect(result.losses.at(-1)!).toBeLessThan(result.losses[0]!);
    const first = samples[0]!;
    for (const sample of samples) {
      // ≤: the FinalizationRegistry may free unrelated garbage between samples; a leak only grows.
      expect(sample.live, `step ${sample.step}`).toBeLessThanOrEqual(first.live);
      expect(sample.bytes, `step ${sample.step}`).toBeLessThanOrEqual(first.bytes);
      expect(sample.wasm, `step ${sample.step}`).toBe(first.wasm);
    }
  }, 120_000);
});
