/**
 * Data-parallel GPT training on every core of one machine, the one data-parallel path of the
 * trainer (the CLI's `--workers`, the examples and browser apps): loss and gradients of each
 * batch computed on several threads, for `trainLoop`, which keeps the one optimizer.
 *
 * The calling thread (replica 0) owns the parameters and the optimizer state; workers are
 * stateless: before each call replica 0 publishes its parameters into a SharedArrayBuffer, every
 * replica computes the gradients of its rows, and one all-reduce gives the whole batch's mean.
 * So clipping, weight decay (rank ≥ 2 parameters only), accumulation, the NaN check, the abort
 * signal, checkpoints and resume are the single-thread loop's, unchanged, and a checkpoint
 * written with any number of workers resumes with any other.
 *
 * The trainer names no backend: the app passes `workerUrl` (or `createWorker`), a worker module
 * that imports its backend and calls `serveReplica()`, in Node as in browsers. The call blocks in
 * Atomics.wait: run it on Node's main thread or in a worker, not on a browser's main thread.
 * Without SharedArrayBuffer (a page that is not cross-origin isolated) the default is one replica
 * (plain single-thread training) and an explicit request for more is refused with the fix named.
 */
import { getBackendName, setBackend, tensor, type Tensor } from '@wattformer/core';
import { gptLoss, type GptConfig, type GptParameters } from '@wattformer/model';
import type { TokenBatch } from '../data/token-batches';
import { trainerError } from '../errors';
import type { TrainableModel } from '../loop/train-loop';
import { GradientReplica, PARAMETER_CONTROL_INTS, type GradientShard } from './gradient-replica';
import { missingWorker, spawnReplicaWorker, type Reply, type ReplicaWorker, type ReplicaWorkerSource } from './replica-workers';
import { createSharedGradients } from './shared-gradients';

export interface ParallelGradientsOptions extends ReplicaWorkerSource {
  readonly config: GptConfig;
  /** The parameters replica 0 trains (their names and shapes define the shared layout). */
  readonly parameters: ReadonlyMap<string, Tensor>;
  /**
   * Replicas (threads), ≥ 1; the batch of each call needs at least this many rows. Default: the
   * number of cores (`navigator.hardwareConcurrency`) where SharedArrayBuffer exists, else 1.
   */
  readonly replicas?: number;
  /** Backend of every replica, e.g. the name your backend package registers; default: the calling thread's. */
  readonly backend?: string;
}

/** Every core where threads can share memory; one (plain single-threaded training) elsewhere. */
async function defaultReplicas(): Promise<number> {
  if (typeof SharedArrayBuffer === 'undefined') {
    console.warn('trainer: parallelGradients: SharedArrayBuffer is unavailable (page not cross-origin isolated); training on 1 core');
    return 1;
  }
  let cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  if (cores === undefined && typeof process !== 'undefined' && process.versions?.node) cores = (await import('node:os')).availableParallelism(); // Node 20 has no navigator
  return Math.max(1, cores ?? 1);
}

/**
 * Data-parallel gradients for any training loop: splits each batch's rows over replicas (this thread plus workers), sums their gradients in shared memory and returns the mean, so the caller's optimizer stays in charge.
 */
export class ParallelGptGradients {
  readonly replicas: number;
  readonly config: GptConfig;
  readonly parameters: ReadonlyMap<string, Tensor>;
  readonly #local: GradientReplica;
  readonly #workers: ReplicaWorker[];
  readonly #errors: Promise<Error>[];

  private constructor(options: ParallelGradientsOptions, replicas: number, local: GradientReplica, workers: ReplicaWorker[], errors: Promise<Error>[]) {
    this.replicas = replicas;
    this.config = options.config;
    this.parameters = options.parameters;
    this.#local = local;
    this.#workers = workers;
    this.#errors = errors;
  }

  /** Starts `replicas − 1` workers that copy `parameters`; call from a thread already on `backend`. */
  static async create(options: ParallelGradientsOptions): Promise<ParallelGptGradients> {
    const replicas = options.replicas ?? (await defaultReplicas());
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw trainerError('E_ARGUMENT', 'parallelGradients', 'replicas to be an integer ≥ 1', String(replicas));
    }
    if (replicas > 1 && typeof SharedArrayBuffer === 'undefined') {
      throw trainerError(
        'E_UNSUPPORTED',
        'parallelGradients',
        'SharedArrayBuffer for more than one replica',
        'none (the page is not cross-origin isolated)',
        'serve with COOP/COEP headers, or use replicas: 1',
      );
    }
    if (replicas > 1 && options.workerUrl === undefined && options.createWorker === undefined) throw missingWorker();
    const backend = options.backend ?? getBackendName();
    if (getBackendName() !== backend) await setBackend(backend);
    const names = [...options.parameters.keys()];
    const shapes = names.map((name) => [...options.parameters.get(name)!.shape]);
    const count = shapes.reduce((n, shape) => n + shape.reduce((a, b) => a * b, 1), 0);
    const bytes = PARAMETER_CONTROL_INTS * 4 + count * 4;
    const common = {
      config: options.config,
      names,
      shapes,
      parameters: replicas > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes),
      gradients: createSharedGradients(replicas, count + 1),
    };
    const workers: ReplicaWorker[] = [];
    const ready: Promise<void>[] = [];
    const errors: Promise<Error>[] = [];
    try {
      for (let index = 1; index < replicas; index++) {
        let onReady!: () => void;
        let onError!: (error: Error) => void;
        const readyPromise = new Promise<void>((resolve) => (onReady = resolve));
        // A worker's first error: rejects `ready` during start-up, and explains a failed step later.
        const errorPromise = new Promise<Error>((resolve) => (onError = resolve));
        ready.push(Promise.race([readyPromise, errorPromise.then((error) => Promise.reject(error))]));
        errors.push(errorPromise);
        const onReply = (reply: Reply) => (reply.type === 'error' ? onError(new Error(reply.message)) : reply.type === 'ready' ? onReady() : undefined);
        const worker = await spawnReplicaWorker(options, onReply);
        workers.push(worker);
        worker.postMessage({ type: 'init', backend, init: { ...common, index } });
      }
      await Promise.all(ready);
    } catch (error) {
      workers.forEach((w) => w.terminate());
      throw error;
    }
    return new ParallelGptGradients(options, replicas, new GradientReplica({ ...common, index: 0 }), workers, errors);
  }

  /**
   * The model for `trainLoop`: `loss` (evaluation) on this thread, and with more than one replica
   * `lossAndGradients` on every replica. Batches are rows of `config.contextLength` tokens.
   */
  get model(): TrainableModel {
    const { config } = this;
    const parameters = this.parameters as GptParameters;
    const T = config.contextLength;
    const list = [...parameters.values()];
    return {
      parameters,
      loss: ({ tokens, targets }) =>
        gptLoss(parameters, config, tensor(tokens, [tokens.length / T, T], 'i32'), tensor(targets, [targets.length / T, T], 'i32')),
      ...(this.replicas > 1 ? { lossAndGradients: (batch: TokenBatch) => this.lossAndGradients(list, batch, batch.tokens.length / T) } : {}),
    };
  }

  /**
   * Mean loss and gradients (in `parameters` order, as fresh tensors) of a batch of B rows of
   * T tokens, split into `replicas` blocks of rows. Synchronous: it blocks until every replica
   * is done; if a worker fails it throws, and `explain()` gives that worker's own error.
   */
  lossAndGradients(parameters: readonly Tensor[], batch: TokenBatch, rows: number): { value: number; grads: Tensor[] } {
    const n = this.replicas;
    if (!Number.isInteger(rows) || rows < n || batch.tokens.length % rows !== 0 || batch.targets.length !== batch.tokens.length) {
      throw trainerError(
        'E_SHAPE',
        'parallelGradients',
        `at least ${n} rows (one per replica) and tokens and targets of equal length`,
        `${rows} rows, ${batch.tokens.length} tokens, ${batch.targets.length} targets`,
        `use a batch of ≥ ${n} rows or fewer replicas (--workers)`,
      );
    }
    const T = batch.tokens.length / rows;
    const dead = parameters.findIndex((p) => p.isDisposed);
    if (dead >= 0 || parameters.length !== this.parameters.size) {
      throw trainerError(
        'E_ARGUMENT',
        'parallelGradients',
        `${this.parameters.size} live parameter tensors`,
        dead >= 0 ? `a disposed tensor at position ${dead}` : `${parameters.length} tensors`,
        'pass the parameters the ParallelGptGradients was created with',
      );
    }
    // The workers are told the version first and wait for it, so their wake-up overlaps the copy.
    const version = this.#local.nextVersion();
    const shard = (index: number): GradientShard => {
      // Row blocks as even as possible: the first rows % n replicas take one more row.
      const base = Math.floor(rows / n);
      const extra = rows % n;
      const start = index * base + Math.min(index, extra);
      const count = base + (index < extra ? 1 : 0);
      return {
        tokens: batch.tokens.slice(start * T, (start + count) * T),
        targets: batch.targets.slice(start * T, (start + count) * T),
        rows: count,
        weight: (count * n) / rows,
        version,
      };
    };
    this.#workers.forEach((worker, i) => worker.postMessage({ type: 'step', shard: shard(i + 1) }));
    this.#local.publish(parameters);
    const mean = this.#local.step(shard(0), parameters);
    let offset = 0;
    const grads = parameters.map((p) => tensor(mean.subarray(offset, (offset += p.size)), p.shape));
    return { value: mean[mean.length - 1]!, grads };
  }

  /**
   * The root cause of a failed `lossAndGradients`: the error a worker reported (waiting up to
   * `waitMs` for its message), or `error` itself when the failure was not a worker's.
   */
  async explain(error: unknown, waitMs = 2000): Promise<unknown> {
    if (!/a failed replica/.test(String(error))) return error;
    let resolveTimeout!: (value: undefined) => void;
    const timeout = new Promise<undefined>((resolve) => (resolveTimeout = resolve));
    const timer = setTimeout(() => resolveTimeout(undefined), waitMs);
    try {
      return (await Promise.race([...this.#errors, timeout])) ?? error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops the worker replicas; the instance is unusable afterwards. */
  dispose(): void {
    this.#workers.forEach((w) => w.terminate());
  }
}
