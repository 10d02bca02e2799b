import { add, clipGradNorm, dispose, mul, scalar, sqrt, sum, tidy, valueAndGrad, type Tensor } from '@wattformer/core';
import type { CarbonLedger, LedgerEntry } from '../carbon/carbon-ledger';
import type { TokenBatch } from '../data/token-batches';
import { trainerError } from '../errors';
import { learningRateAt, type LrSchedule } from '../lr-schedule';
import type { Optimizer } from '../optim/optimizer';

/** What the loop needs from a model: its parameters and a scalar loss on a batch. */
export interface TrainableModel {
  readonly parameters: ReadonlyMap<string, Tensor>;
  /** Scalar loss for the batch; called inside a `tidy`. */
  loss(batch: TokenBatch): Tensor;
  /**
   * Optional: the batch's loss and gradients (in `parameters` order) computed elsewhere, e.g. on
   * several cores (`ParallelGptGradients`); called inside a `tidy` instead of `valueAndGrad(loss)`.
   */
  lossAndGradients?(batch: TokenBatch): { value: number; grads: Tensor[] };
}

/** Where `trainLoop` and `evaluate` get batches (e.g. `TokenBatches`). */
export interface BatchSource {
  /** The next training batch. */
  next(): TokenBatch;
  /**
   * Optional position save/restore (`TokenBatches` has both): when a step is abandoned between
   * accumulation micro-batches on abort, the loop rewinds the source so a resumed run sees the
   * same batches as an uninterrupted one.
   */
  state?(): unknown;
  /** Moves the source back to a saved `state()` (for resuming). */
  restore?(state: unknown): void;
}

/**
 * An event `trainLoop` reports: a step (loss, learning rate, gradient norm, throughput), an evaluation, or a carbon ledger entry.
 */
export type TrainEvent =
  | {
      readonly type: 'step';
      readonly step: number;
      readonly loss: number;
      readonly learningRate: number;
      readonly gradNorm: number;
      readonly tokens: number;
      readonly seconds: number;
    }
  | { readonly type: 'eval'; readonly step: number; readonly loss: number; readonly perplexity: number }
  | { readonly type: 'carbon'; readonly step: number; readonly entry: LedgerEntry }
  | { readonly type: 'stop'; readonly step: number; readonly reason: StopReason; readonly detail?: string };

/** `aborted`: the `signal` fired (Ctrl-C, a Stop button); the parameters are those of the last finished step. */
export type StopReason = 'steps' | 'early-stopping' | 'requested' | 'carbon-budget' | 'aborted';

/**
 * Options of `trainLoop`: model, optimizer, batches, steps, schedule, clipping, evaluation, early stopping, carbon budget and callbacks.
 */
export interface TrainLoopOptions {
  readonly model: TrainableModel;
  readonly optimizer: Optimizer;
  readonly batches: BatchSource;
  readonly steps: number;
  /** Steps already done (resuming from a checkpoint): the loop runs steps startStep+1 … steps. */
  readonly startStep?: number;
  /** Default: constant at the optimizer's learning rate. */
  readonly schedule?: LrSchedule;
  /** Global gradient-norm clip (e.g. 1.0); none by default. */
  readonly gradientClip?: number;
  /** Micro-batches per update; gradients are averaged over them. Default 1. */
  readonly accumulationSteps?: number;
  readonly evaluation?: { readonly batches: BatchSource; readonly every: number; readonly iterations: number };
  /** Stop when the evaluation loss has not improved by minDelta for `patience` evaluations. */
  readonly earlyStopping?: { readonly patience: number; readonly minDelta?: number };
  /** Reads the run's cost every `every` steps (default 1); stops when the ledger's budget is reached. */
  readonly carbon?: { readonly ledger: CarbonLedger; readonly every?: number };
  /** Awaited after every event; return 'stop' to end the run (budgets, checkpoints on signals). */
  readonly onEvent?: (event: TrainEvent) => void | 'stop' | Promise<void | 'stop'>;
  /**
   * Stops the run cleanly (Node and browsers): checked before every step and between
   * accumulation micro-batches. A step whose update has begun is finished (its events are
   * emitted, so a checkpoint written then is complete); one caught between micro-batches is
   * abandoned (its gradients dropped, the batch source rewound when it has `state`/`restore`).
   * That step's evaluation is skipped. With a signal the loop yields to the event loop at least
   * every 50 ms (between steps), so a timer (`AbortSignal.timeout`) or a SIGINT handler can fire
   * even when every read resolves at once (wasm, cpu). The loop then emits `stop` with reason `aborted` and
   * returns normally, so the caller can checkpoint `result.steps` and resume later to the same
   * result as an uninterrupted run.
   */
  readonly signal?: AbortSignal;
}

/** What `trainLoop` returns: steps run, losses, evaluations and why it stopped. */
export interface TrainResult {
  readonly steps: number;
  readonly losses: number[];
  readonly evaluations: { step: number; loss: number }[];
  readonly stopReason: StopReason;
  readonly stopDetail?: string;
}

/**
 * Mean loss over `iterations` batches. Losses are summed on the backend and read once with
 * `await item()`, so it works on backends without synchronous reads (WebGPU).
 */
export async function evaluate(model: TrainableModel, batches: BatchSource, iterations: number): Promise<number> {
  let total = scalar(0);
  for (let i = 0; i < iterations; i++) {
    const previous = total;
    total = tidy(() => add(previous, model.loss(batches.next())));
    dispose(previous);
  }
  try {
    return (await total.item()) / iterations;
  } finally {
    dispose(total);
  }
}

function localLossAndGradients(model: TrainableModel, batch: TokenBatch, parameters: Tensor[]): { value: Tensor; grads: Tensor[] } {
  return valueAndGrad(() => model.loss(batch), parameters);
}

/** L2 norm over all gradients (what clipGradNorm reports), when no clipping is asked for. */
function globalNorm(grads: readonly Tensor[]): Tensor {
  let squares = scalar(0);
  for (const g of grads) squares = add(squares, sum(mul(g, g)));
  return sqrt(squares);
}

/** With a `signal`, the loop lets timers and handlers run at least this often (ms). */
const YIELD_EVERY_MS = 50;

const yieldToEventLoop = () => new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** The abort reason as text, unless it is the platform's default AbortError. */
function abortDetail(signal: AbortSignal): string | undefined {
  const reason: unknown = signal.reason;
  if (reason === undefined || (reason instanceof Error && reason.name === 'AbortError')) return undefined;
  return reason instanceof Error ? reason.message : String(reason);
}

function positive(name: string, value: number | undefined, integer = true): void {
  if (value !== undefined && (!(value > 0) || (integer && !Number.isInteger(value)))) {
    throw trainerError('E_ARGUMENT', 'train', `${name} to be a positive ${integer ? 'integer' : 'number'}`, String(value));
  }
}

/**
 * The training loop: per step, gradients of the mean loss over `accumulationSteps` micro-batches
 * (each in its own `tidy`), global-norm clipping, a finiteness check, then the optimizer update.
 * A NaN or infinite loss or gradient stops the run with `E_NON_FINITE` before the update, so the
 * parameters keep their last good values. Deterministic for a seeded model and batch source.
 */
export async function trainLoop(options: TrainLoopOptions): Promise<TrainResult> {
  const { model, optimizer, batches, steps } = options;
  positive('steps', steps);
  positive('accumulationSteps', options.accumulationSteps);
  positive('gradientClip', options.gradientClip, false);
  const accumulation = options.accumulationSteps ?? 1;
  const parameters = [...model.parameters.values()];
  const losses: number[] = [];
  const evaluations: { step: number; loss: number }[] = [];
  let best = Infinity;
  let sinceBest = 0;
  const started = performance.now();
  let tokens = 0;
  const emit = async (event: TrainEvent) => (await options.onEvent?.(event)) === 'stop';
  const signal = options.signal;
  const aborted = (step: number) => finish(step, 'aborted', abortDetail(signal!));
  const finish = async (step: number, reason: StopReason, detail?: string): Promise<TrainResult> => {
    await emit({ type: 'stop', step, reason, ...(detail ? { detail } : {}) });
    return { steps: step, losses, evaluations, stopReason: reason, ...(detail ? { stopDetail: detail } : {}) };
  };

  const startStep = options.startStep ?? 0;
  if (!Number.isInteger(startStep) || startStep < 0 || startStep > steps) {
    throw trainerError('E_ARGUMENT', 'train', `startStep in [0, steps = ${steps}]`, String(startStep));
  }
  let lastYield = performance.now();
  for (let step = startStep + 1; step <= steps; step++) {
    if (signal && performance.now() - lastYield > YIELD_EVERY_MS) {
      // A step on wasm/cpu never leaves the microtask queue, so without this a timer
      // (AbortSignal.timeout) or a signal handler (Ctrl-C) could not fire until the run ends.
      await yieldToEventLoop();
      lastYield = performance.now();
    }
    if (signal?.aborted) return aborted(step - 1);
    const learningRate = options.schedule ? learningRateAt(options.schedule, step - 1) : optimizer.options.learningRate;
    // Gradients first (synchronous, in a tidy); the loss and norm are read with `await item()`
    // (backends such as WebGPU have no synchronous read), then the update runs only if both are
    // finite. The step's tensors are freed whether or not it succeeds.
    const position = accumulation > 1 && signal ? { batches: batches.state?.(), tokens } : undefined;
    const pending = tidy(() => {
      let sum: Tensor[] | undefined;
      let lossSum: Tensor | undefined;
      for (let micro = 0; micro < accumulation; micro++) {
        if (micro > 0 && signal?.aborted) return undefined; // abandoned: the tidy frees this step's tensors
        const batch = batches.next();
        tokens += batch.tokens.length;
        const result = tidy(() => {
          const { value, grads } = model.lossAndGradients?.(batch) ?? localLossAndGradients(model, batch, parameters);
          const loss = typeof value === 'number' ? scalar(value) : value;
          return { loss: lossSum ? add(lossSum, loss) : loss, grads: sum ? grads.map((g, i) => g.add(sum![i]!)) : grads };
        });
        lossSum = result.loss;
        sum = result.grads;
      }
      const mean = accumulation > 1 ? sum!.map((g) => g.mul(1 / accumulation)) : sum!;
      const clipped = options.gradientClip ? clipGradNorm(mean, options.gradientClip) : { grads: mean, norm: globalNorm(mean) };
      return { loss: accumulation > 1 ? mul(lossSum!, 1 / accumulation) : lossSum!, norm: clipped.norm, grads: clipped.grads };
    });
    if (pending === undefined) {
      if (position?.batches !== undefined) batches.restore?.(position.batches);
      if (position) tokens = position.tokens;
      return aborted(step - 1);
    }
    let loss: number;
    let gradNorm: number;
    try {
      [loss, gradNorm] = await Promise.all([pending.loss.item(), pending.norm.item()]);
      if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
        throw trainerError(
          'E_NON_FINITE',
          'train',
          'a finite loss and gradient norm',
          `loss ${loss}, gradient norm ${gradNorm} at step ${step}`,
          'parameters keep their values from the step before; lower the learning rate or clip gradients (gradientClip: 1)',
        );
      }
      tidy(() => optimizer.update(pending.grads, learningRate));
    } finally {
      dispose(pending);
    }
    losses.push(loss);
    const seconds = (performance.now() - started) / 1000;
    if (await emit({ type: 'step', step, loss, learningRate, gradNorm, tokens, seconds })) return finish(step, 'requested');
    const carbon = options.carbon;
    if (carbon && step % (carbon.every ?? 1) === 0) {
      const { entry, overBudget } = await carbon.ledger.record(step, tokens);
      if (await emit({ type: 'carbon', step, entry })) return finish(step, 'requested');
      if (overBudget) return finish(step, 'carbon-budget', overBudget);
    }
    const evaluation = options.evaluation;
    if (evaluation && !signal?.aborted && (step % evaluation.every === 0 || step === steps)) {
      const value = await evaluate(model, evaluation.batches, evaluation.iterations);
      evaluations.push({ step, loss: value });
      if (await emit({ type: 'eval', step, loss: value, perplexity: Math.exp(value) })) return finish(step, 'requested');
      if (value < best - (options.earlyStopping?.minDelta ?? 0)) {
        best = value;
        sinceBest = 0;
      } else if (options.earlyStopping && ++sinceBest >= options.earlyStopping.patience) {
        return finish(step, 'early-stopping');
      }
    }
  }
  return finish(steps, 'steps');
}
