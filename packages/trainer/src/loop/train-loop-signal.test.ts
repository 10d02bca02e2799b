import { setBackend, tensor, type Tensor } from '@wattformer/core';
import { gptLoss, initGptParameters, type GptConfig } from '@wattformer/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { TokenBatches } from '../data/token-batches';
import { createOptimizer, type Optimizer } from '../optim/optimizer';
import { trainLoop, type TrainableModel, type TrainEvent, type TrainLoopOptions } from './train-loop';

// trainLoop({ signal }) (issue #13 item 6): an abort stops the run between steps (or between
// accumulation micro-batches), returns normally with stopReason 'aborted', and leaves parameters,
// optimizer and batch position such that resuming gives exactly the uninterrupted run.
const config: GptConfig = { vocabSize: 16, contextLength: 8, modelDim: 16, layers: 1, heads: 2, mlpDim: 32, tiedEmbeddings: true };
const stream = Int32Array.from({ length: 400 }, (_, i) => (i * 3 + (i >> 4)) % 16);
const STEPS = 8;

interface Run {
  model: TrainableModel & { calls: number; onLoss?: (call: number) => void };
  optimizer: Optimizer;
  batches: TokenBatches;
}

function setup(): Run {
  const parameters = initGptParameters(config, 11);
  const model: Run['model'] = {
    parameters,
    calls: 0,
    loss({ tokens, targets }) {
      model.onLoss?.(++model.calls);
      const B = tokens.length / config.contextLength;
      return gptLoss(parameters, config, tensor(tokens, [B, 8], 'i32'), tensor(targets, [B, 8], 'i32'));
    },
  };
  const optimizer = createOptimizer(parameters, { kind: 'adamw', learningRate: 1e-2, weightDecay: 0.1 });
  return { model, optimizer, batches: new TokenBatches(stream, { batchSize: 2, contextLength: 8, seed: 4 }) };
}

const snapshot = (parameters: ReadonlyMap<string, Tensor>) => [...parameters.values()].map((p) => Array.from(p.dataSync()));

function options(run: Run, extra: Partial<TrainLoopOptions> = {}): TrainLoopOptions {
  return {
    model: run.model,
    optimizer: run.optimizer,
    batches: run.batches,
    steps: STEPS,
    gradientClip: 1,
    schedule: { kind: 'cosine', learningRate: 1e-2, warmupSteps: 2, totalSteps: STEPS, minLearningRate: 1e-3 },
    ...extra,
  };
}

beforeAll(async () => {
  await setBackend('cpu');
});

describe('trainLoop({ signal })', () => {
  it('stops after the step during which abort() was called, returns normally, and resuming gives the uninterrupted run', async () => {
    const reference = setup();
    const afterThree: number[][][] = [];
    const whole = await trainLoop(
      options(reference, { onEvent: (e) => void (e.type === 'step' && e.step === 3 && afterThree.push(snapshot(reference.model.parameters))) }),
    );

    const run = setup();
    const controller = new AbortController();
    const events: TrainEvent[] = [];
    const first = await trainLoop(
      options(run, {
        signal: controller.signal,
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'step' && e.step === 3) controller.abort('SIGINT');
        },
      }),
    );
    expect(first).toMatchObject({ steps: 3, stopReason: 'aborted', stopDetail: 'SIGINT' });
    expect(first.losses).toEqual(whole.losses.slice(0, 3));
    expect(events.at(-1)).toEqual({ type: 'stop', step: 3, reason: 'aborted', detail: 'SIGINT' });
    expect(snapshot(run.model.parameters)).toEqual(afterThree[0]); // never half-updated
    expect(run.optimizer.step).toBe(3);

    const rest = await trainLoop(options(run, { startStep: first.steps }));
    expect(rest.stopReason).toBe('steps');
    expect([...first.losses, ...rest.losses]).toEqual(whole.losses);
    expect(snapshot(run.model.parameters)).toEqual(snapshot(reference.model.parameters));
  });

  it('abandons a step caught between accumulation micro-batches: parameters and batch position stay at the last finished step', async () => {
    const accumulate = { accumulationSteps: 3 };
    const reference = setup();
    const afterTwo: number[][][] = [];
    const whole = await trainLoop(
      options(reference, { ...accumulate, onEvent: (e) => void (e.type === 'step' && e.step === 2 && afterTwo.push(snapshot(reference.model.parameters))) }),
    );

    const run = setup();
    const controller = new AbortController();
    // Call 7 is step 3's first micro-batch: the abort lands inside it, before micro-batch 2.
    run.model.onLoss = (call) => (call === 7 ? controller.abort() : undefined);
    const position = { before: undefined as unknown };
    const stepEvents: number[] = [];
    const first = await trainLoop(
      options(run, {
        ...accumulate,
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'step') {
            stepEvents.push(e.step);
            position.before = run.batches.state();
          }
        },
      }),
    );
    expect(first).toMatchObject({ steps: 2, stopReason: 'aborted' });
    expect(first.stopDetail).toBeUndefined(); // abort() without a reason: the default AbortError is not a detail
    expect(stepEvents).toEqual([1, 2]);
    expect(run.model.calls).toBe(7); // micro-batches 2 and 3 of step 3 never ran
    expect(run.batches.state()).toEqual(position.before); // rewound to where step 3 began
    expect(snapshot(run.model.parameters)).toEqual(afterTwo[0]);
    expect(run.optimizer.step).toBe(2);

    run.model.onLoss = undefined;
    const rest = await trainLoop(options(run, { ...accumulate, startStep: first.steps }));
    expect([...first.losses, ...rest.losses]).toEqual(whole.losses);
    expect(snapshot(run.model.parameters)).toEqual(snapshot(reference.model.parameters));
  });

  it("does nothing with an already aborted signal, and skips the aborted step's evaluation", async () => {
    const run = setup();
    const before = snapshot(run.model.parameters);
    const events: TrainEvent[] = [];
    const result = await trainLoop(options(run, { signal: AbortSignal.abort(new Error('page closed')), onEvent: (e) => void events.push(e) }));
    expect(result).toMatchObject({ steps: 0, stopReason: 'aborted', stopDetail: 'page closed', losses: [] });
    expect(events).toEqual([{ type: 'stop', step: 0, reason: 'aborted', detail: 'page closed' }]);
    expect(snapshot(run.model.parameters)).toEqual(before);

    const controller = new AbortController();
    const evaluated = await trainLoop(
      options(setup(), {
        signal: controller.signal,
        evaluation: { batches: new TokenBatches(stream, { batchSize: 2, contextLength: 8, seed: 9 }), every: 1, iterations: 1 },
        onEvent: (e) => void (e.type === 'step' && e.step === 2 && controller.abort()),
      }),
    );
    expect(evaluated.steps).toBe(2);
    expect(evaluated.evaluations.map((e) => e.step)).toEqual([1]);
  });

  it('lets a timer fire during a run whose reads never leave the microtask queue (AbortSignal.timeout as a time budget)', async () => {
    const run = setup();
    const result = await trainLoop({ model: run.model, optimizer: run.optimizer, batches: run.batches, steps: 1_000_000, signal: AbortSignal.timeout(100) });
    expect(result.stopReason).toBe('aborted');
    expect(result.steps).toBeGreaterThan(0);
    expect(result.steps).toBeLessThan(1_000_000);
    expect(result.stopDetail).toMatch(/timeout|aborted/i);
  });
});
