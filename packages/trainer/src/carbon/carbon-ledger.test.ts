import { setBackend, tensor } from '@wattformer/core';
import { NodeTracker } from '@wattformer/carbon-estimator/node';
import { gptLoss, initGptParameters, type GptConfig } from '@wattformer/model';
import { describe, expect, it } from 'vitest';
import { TokenBatches } from '../data/token-batches';
import { trainLoop, type TrainEvent } from '../loop/train-loop';
import { createOptimizer } from '../optim/optimizer';
import { CarbonLedger } from './carbon-ledger';

/** The real tracker with its injectable clock and CPU-time source: each reading = 1 s, 1 CPU-s. */
function steppedTracker() {
  const state = { ms: 1_700_000_000_000, cpu: 0 };
  const tracker = new NodeTracker({
    region: 'FR',
    nvidiaSmi: false,
    sysfsRoot: '/nonexistent-sysfs',
    ramTotalGb: 8,
    samplingIntervalMs: 3_600_000,
    clock: () => state.ms,
    cpuSeconds: () => state.cpu,
  });
  const advance = () => {
    state.ms += 1000;
    state.cpu += 1;
  };
  return { tracker, advance };
}

describe('CarbonLedger', () => {
  it('records totals, per step and per token with intervals, and the method', async () => {
    const { tracker, advance } = steppedTracker();
    await tracker.start();
    const ledger = new CarbonLedger(tracker);
    advance();
    const { entry: one } = await ledger.record(1, 100);
    advance();
    const { entry: two, overBudget } = await ledger.record(2, 200);
    expect(overBudget).toBeNull();
    expect(two.energyKWh).toBeCloseTo(2 * one.energyKWh, 12);
    expect(two.perToken.co2eKg).toBeCloseTo(two.co2eKg / 200, 15);
    expect(two.perStep.energyKWh).toBeCloseTo(two.energyKWh / 2, 15);
    expect(two.co2eKgLow).toBeLessThanOrEqual(two.co2eKg);
    expect(two.co2eKgHigh).toBeGreaterThanOrEqual(two.co2eKg);
    expect(two.method).toMatch(/^What was measured vs modelled: CPU: modelled/);
    await tracker.stop();
  });

  it('stops a training run at its CO2e budget', async () => {
    await setBackend('cpu');
    const unit = steppedTracker(); // the cost of one second of this tracker
    await unit.tracker.start();
    unit.advance();
    const oneSecondKg = (await new CarbonLedger(unit.tracker).record(1, 1)).entry.co2eKg;
    await unit.tracker.stop();
    const { tracker, advance } = steppedTracker();
    await tracker.start();
    // Every reading is one more second: step n reads n seconds' worth.
    const ledger = new CarbonLedger({ current: () => (advance(), tracker.current()) }, { co2eKg: oneSecondKg * 3.5 });
    const config: GptConfig = { vocabSize: 8, contextLength: 4, modelDim: 8, layers: 1, heads: 2, mlpDim: 8, tiedEmbeddings: true };
    const parameters = initGptParameters(config, 1);
    const events: TrainEvent[] = [];
    const result = await trainLoop({
      model: { parameters, loss: ({ tokens, targets }) => gptLoss(parameters, config, tensor(tokens, [2, 4], 'i32'), tensor(targets, [2, 4], 'i32')) },
      optimizer: createOptimizer(parameters, { kind: 'sgd', learningRate: 0.01 }),
      batches: new TokenBatches(
        Int32Array.from({ length: 50 }, (_, i) => i % 8),
        { batchSize: 2, contextLength: 4 },
      ),
      steps: 100,
      carbon: { ledger },
      onEvent: (event) => void events.push(event),
    });
    expect(result.stopReason).toBe('carbon-budget');
    expect(result.steps).toBe(4); // the 4 s reading is the first past 3.5 s worth
    expect(result.stopDetail).toMatch(/^CO2e .* kg reached the budget of /);
    expect(events.filter((e) => e.type === 'carbon').length).toBe(4);
    await tracker.stop();
  });

  it('refuses a non-positive budget', () => {
    expect(() => new CarbonLedger({ current: () => Promise.reject(new Error('unused')) }, { energyKWh: 0 })).toThrow(
      /^trainer: carbonBudget: expected energyKWh > 0, got 0/,
    );
  });
});
