/**
 * One Start: AdamW steps on random windows of the text, each step's loss read back with
 * `await item()` (WebGPU has no synchronous read, so the trainer's `trainLoop`, which reads
 * with `itemSync`, cannot drive it), a validation loss on the first and last step and every
 * `evalEvery` steps, samples, and the BrowserTracker counting the time spent computing.
 */
import { clipGradNorm, noGrad, tensor, tidy, valueAndGrad } from '@wattformer/core';
import { gptLoss } from '@wattformer/model';
import { BrowserTracker, toEstimateJson } from '@wattformer/carbon-estimator/browser';
import { createOptimizer, learningRateAt, splitTokens, TokenBatches, type Optimizer, type TokenBatch } from '@wattformer/trainer';
import { studioError } from '../errors';
import type { FromWorker, TrainSettings } from '../protocol';
import { sampleText } from './sample-text';
import type { StudioModel } from './studio-model';

const VALIDATION_BATCHES = 2;

export class TrainingRun {
  private stopRequested = false;
  private readonly train: TokenBatches;
  private readonly validation: TokenBatches;
  private readonly tracker: BrowserTracker;

  constructor(
    private readonly model: StudioModel,
    private readonly optimizer: Optimizer,
    private readonly settings: TrainSettings,
    private readonly post: (message: FromWorker) => void,
  ) {
    const ids = Int32Array.from(model.tokenizer.encode(settings.text));
    const T = model.config.contextLength;
    if (ids.length < 4 * (T + 1)) {
      throw studioError('start', `a text of at least ${4 * (T + 1)} characters`, `${ids.length}`, 'paste a longer text or use the bundled Shakespeare');
    }
    const { train, validation } = splitTokens(ids, 0.1);
    const seed = model.step + 1;
    this.train = new TokenBatches(train, { batchSize: settings.batchSize, contextLength: T, seed });
    this.validation = new TokenBatches(validation.length > T + 1 ? validation : train, { batchSize: settings.batchSize, contextLength: T, seed: seed + 1 });
    const deviceMemoryGb = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
    this.tracker = new BrowserTracker({
      projectName: 'wattformer browser studio',
      region: settings.region,
      cpu: { threads: navigator.hardwareConcurrency },
      ...(deviceMemoryGb ? { deviceMemoryGb } : {}),
    });
  }

  static optimizerFor(model: StudioModel, learningRate: number): Optimizer {
    return createOptimizer(model.parameters, { kind: 'adamw', learningRate, beta1: 0.9, beta2: 0.99, weightDecay: 0.01 });
  }

  requestStop(): void {
    this.stopRequested = true;
  }

  async run(): Promise<void> {
    const { model, settings } = this;
    const parameters = [...model.parameters.values()];
    const B = settings.batchSize;
    const T = model.config.contextLength;
    const schedule = { kind: 'cosine' as const, learningRate: settings.learningRate, warmupSteps: 10, totalSteps: model.step + settings.steps, minLearningRate: settings.learningRate / 10 };
    const lossOf = (batch: TokenBatch) => gptLoss(model.parameters, model.config, tensor(batch.tokens, [B, T], 'i32'), tensor(batch.targets, [B, T], 'i32'));
    this.tracker.start();
    let tokens = 0;
    let computeSeconds = 0;
    let lastYield = performance.now();
    const first = model.step + 1;
    const last = model.step + settings.steps;
    try {
      while (model.step < last && !this.stopRequested) {
        const batch = this.train.next();
        const learningRate = learningRateAt(schedule, model.step);
        const t0 = performance.now();
        this.tracker.begin();
        const lossTensor = tidy(() => {
          const { value, grads } = valueAndGrad(() => lossOf(batch), parameters);
          this.optimizer.update(clipGradNorm(grads, 1).grads, learningRate);
          return value;
        });
        const loss = await lossTensor.item();
        lossTensor.dispose();
        let validationLoss: number | undefined;
        model.step++;
        if (model.step % settings.evalEvery === 0 || model.step === first || model.step === last) validationLoss = await this.evaluate(lossOf);
        this.tracker.end();
        computeSeconds += (performance.now() - t0) / 1000;
        tokens += B * T;
        if (!Number.isFinite(loss)) {
          throw studioError('train', 'a finite loss', `${loss} at step ${model.step}`, 'lower the learning rate and start a new model');
        }
        const cost = toEstimateJson(this.tracker.current().report);
        this.post({
          type: 'progress',
          step: model.step,
          loss,
          ...(validationLoss === undefined ? {} : { validationLoss }),
          tokensPerSecond: tokens / computeSeconds,
          tokens,
          energyWh: cost.energyKWh * 1000,
          energyWhLow: cost.energyKWhLow * 1000,
          energyWhHigh: cost.energyKWhHigh * 1000,
          co2eGrams: cost.co2eKg * 1000,
          co2eGramsLow: cost.co2eKgLow * 1000,
          co2eGramsHigh: cost.co2eKgHigh * 1000,
        });
        if (settings.sampleEvery > 0 && model.step % settings.sampleEvery === 0) {
          this.post({ type: 'sample', step: model.step, text: await this.tracker.measure(() => sampleText(model, model.covers('\n') ? '\n' : model.tokenizer.vocab[0]!, 120, 0.8, model.step)) });
        }
        // Let 'stop' and 'generate' messages in: on wasm a step never leaves the task otherwise.
        if (performance.now() - lastYield > 50) {
          await new Promise((done) => setTimeout(done, 0));
          lastYield = performance.now();
        }
      }
    } finally {
      this.tracker.stop();
    }
    this.post({ type: 'stopped', step: model.step, reason: this.stopRequested ? 'requested' : 'steps' });
  }

  private async evaluate(lossOf: (batch: TokenBatch) => ReturnType<typeof gptLoss>): Promise<number> {
    let total = 0;
    for (let i = 0; i < VALIDATION_BATCHES; i++) {
      const t = tidy(() => noGrad(() => lossOf(this.validation.next())));
      total += await t.item();
      t.dispose();
    }
    return total / VALIDATION_BATCHES;
  }
}
