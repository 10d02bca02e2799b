/**
 * One Start, driven by the trainer's `trainLoop` (which reads each step's loss and gradient norm
 * with `await item()`, so it runs on WebGPU too): AdamW on random windows of the text with a
 * warmup + cosine schedule and gradient clip 1, continuing from the model's step; a validation
 * loss on the first step (the trainer's `evaluate()`), on the last and every `evalEvery` steps
 * (the loop's `evaluation`); a progress post per step and samples from `onEvent`, which also
 * yields to the message loop so 'stop' and 'generate' get in. Stop aborts the run's
 * AbortController, whose signal `trainLoop` checks between steps. The BrowserTracker counts the time
 * spent computing (steps, evaluation, samples), not the time spent posting or yielding.
 */
import { tensor, WattformerError } from '@wattformer/core';
import { gptLoss } from '@wattformer/model';
import { BrowserTracker, toEstimateJson } from '@wattformer/carbon-estimator/browser';
import {
  createOptimizer,
  evaluate,
  splitTokens,
  TokenBatches,
  trainLoop,
  type Optimizer,
  type TokenBatch,
  type TrainableModel,
  type TrainEvent,
} from '@wattformer/trainer';
import { studioError } from '../errors';
import type { FromWorker, ProgressEvent, TrainSettings } from '../protocol';
import { sampleText } from './sample-text';
import type { StudioModel } from './studio-model';

const VALIDATION_BATCHES = 2;
/** Longest stretch of training (ms) before the worker lets queued messages in. */
const YIELD_EVERY_MS = 50;

type StepEvent = Extract<TrainEvent, { type: 'step' }>;

export class TrainingRun {
  /** Stop: aborted by `requestStop()`; the loop ends after the step in progress. */
  private readonly stop = new AbortController();
  private readonly train: TokenBatches;
  private readonly validation: TokenBatches;
  private readonly tracker: BrowserTracker;
  /** Compute time of this Start (ms) in closed spans, and the open span's start. */
  private computeMs = 0;
  private openSince: number | undefined;
  private lastYield = 0;

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
    this.stop.abort();
  }

  async run(): Promise<void> {
    const { model, settings } = this;
    const B = settings.batchSize;
    const T = model.config.contextLength;
    const trainable: TrainableModel = {
      parameters: model.parameters,
      loss: (batch: TokenBatch) => gptLoss(model.parameters, model.config, tensor(batch.tokens, [B, T], 'i32'), tensor(batch.targets, [B, T], 'i32')),
    };
    const first = model.step + 1;
    const last = model.step + settings.steps;
    const evaluatedByLoop = (step: number) => step % settings.evalEvery === 0 || step === last;
    /** A step whose validation loss the loop computes next: its progress waits for the 'eval' event. */
    let waiting: StepEvent | undefined;

    this.tracker.start();
    this.lastYield = performance.now();
    this.resume();
    try {
      const result = await trainLoop({
        model: trainable,
        optimizer: this.optimizer,
        batches: this.train,
        startStep: model.step,
        steps: last,
        schedule: { kind: 'cosine', learningRate: settings.learningRate, warmupSteps: 10, totalSteps: last, minLearningRate: settings.learningRate / 10 },
        gradientClip: 1,
        evaluation: { batches: this.validation, every: settings.evalEvery, iterations: VALIDATION_BATCHES },
        // Stop: the loop ends after the step in progress (stopReason 'aborted').
        signal: this.stop.signal,
        onEvent: async (event) => {
          this.pause();
          if (event.type === 'stop') return;
          if (event.type === 'step') {
            model.step = event.step;
            if (evaluatedByLoop(event.step)) {
              waiting = event;
              this.resume();
              return;
            }
            let validationLoss: number | undefined;
            if (event.step === first) {
              this.resume(); // the e2e test (and the chart) want a validation point at the start
              validationLoss = await evaluate(trainable, this.validation, VALIDATION_BATCHES);
              this.pause();
            }
            return this.report(event, validationLoss);
          }
          if (event.type === 'eval' && waiting?.step === event.step) {
            const step = waiting;
            waiting = undefined;
            return this.report(step, event.loss);
          }
          this.resume();
          return;
        },
      });
      this.post({ type: 'stopped', step: result.steps, reason: result.stopReason === 'steps' ? 'steps' : 'requested' });
    } catch (error) {
      if (error instanceof WattformerError && error.code === 'E_NON_FINITE') {
        throw studioError(
          'train',
          'a finite loss and gradient norm',
          error.got,
          `the model keeps its values from step ${model.step}; lower the learning rate and start a new model`,
        );
      }
      throw error;
    } finally {
      this.pause();
      this.tracker.stop();
    }
  }

  /** Posts a step's progress (and sample), yields now and then; resumes the compute span unless stopping. */
  private async report(event: StepEvent, validationLoss: number | undefined): Promise<void> {
    const { model, settings } = this;
    const cost = toEstimateJson(this.tracker.current().report);
    const progress: ProgressEvent = {
      type: 'progress',
      step: event.step,
      loss: event.loss,
      ...(validationLoss === undefined ? {} : { validationLoss }),
      tokensPerSecond: event.tokens / (this.computeMs / 1000),
      tokens: event.tokens,
      energyWh: cost.energyKWh * 1000,
      energyWhLow: cost.energyKWhLow * 1000,
      energyWhHigh: cost.energyKWhHigh * 1000,
      co2eGrams: cost.co2eKg * 1000,
      co2eGramsLow: cost.co2eKgLow * 1000,
      co2eGramsHigh: cost.co2eKgHigh * 1000,
    };
    this.post(progress);
    if (settings.sampleEvery > 0 && event.step % settings.sampleEvery === 0) {
      // Generating counts as compute (tracker.measure); posting it does not.
      const text = await this.tracker.measure(() => sampleText(model, model.covers('\n') ? '\n' : model.tokenizer.decode([0]), 120, 0.8, event.step));
      this.post({ type: 'sample', step: event.step, text });
    }
    // Let 'stop' and 'generate' messages in: on wasm a step never leaves the task otherwise.
    if (performance.now() - this.lastYield > YIELD_EVERY_MS) {
      await new Promise((done) => setTimeout(done, 0));
      this.lastYield = performance.now();
    }
    if (!this.stop.signal.aborted) this.resume();
  }

  /** Opens a span of compute time (tracker and tokens/s). */
  private resume(): void {
    this.openSince ??= performance.now();
    this.tracker.begin();
  }

  /** Closes the open span of compute time, if any. */
  private pause(): void {
    if (this.openSince !== undefined) this.computeMs += performance.now() - this.openSince;
    this.openSince = undefined;
    this.tracker.end();
  }
}
