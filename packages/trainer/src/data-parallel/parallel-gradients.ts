/**
 * Loss and gradients of a GPT batch computed on several cores, for a loop that keeps its own
 * optimizer (`TrainableModel.lossAndGradients` in train-loop.ts; the CLI's `--workers`).
 *
 * Unlike `DataParallelGpt`, where every replica applies its own copy of AdamW, here the calling
 * thread (replica 0) owns the parameters and the optimizer state; workers are stateless: before
 * each call replica 0 publishes its parameters into a SharedArrayBuffer, every replica computes
 * the gradients of its rows, and one all-reduce gives the whole batch's mean. So clipping, weight
 * decay groups, accumulation, the NaN check, checkpoints and resume are the single-core loop's,
 * unchanged, and a checkpoint written with any number of workers resumes with any other.
 * The call blocks in Atomics.wait (Node's main thread or a worker; not a browser's main thread).
 */
import { getBackendName, listBackends, setBackend, tensor, type Tensor } from '@wattformer/core';
import type { GptConfig } from '@wattformer/model';
import type { TokenBatch } from '../data/token-batches';
import { trainerError } from '../errors';
import { spawnReplicaWorker, type Reply, type WorkerLike } from './data-parallel';
import { GradientReplica, PARAMETER_CONTROL_INTS, type GradientShard } from './gradient-replica';
import { createSharedGradients } from './shared-gradients';

/**
 * Options of `ParallelGptGradients.create`: config, parameters to mirror, replica count, backend and worker URL.
 */
export interface ParallelGradientsOptions {
  readonly config: GptConfig;
  /** The parameters replica 0 trains (their names and shapes define the shared layout). */
  readonly parameters: ReadonlyMap<string, Tensor>;
  /** Replicas (threads), ≥ 2; the batch of each call needs at least this many rows. */
  readonly replicas: number;
  /** Backend of every replica, e.g. 'wasm'; the calling thread must already use it. */
  readonly backend: string;
  /** Module that registers the backend when imported in a worker, e.g. '@wattformer/backend-wasm'. */
  readonly backendModule?: string;
  /** Worker script (see `DataParallelOptions.workerUrl`); default: the package's own, in Node. */
  readonly workerUrl?: URL | string;
}

/**
 * Data-parallel gradients for any training loop: splits each batch's rows over replicas (this thread plus workers), sums their gradients in shared memory and returns the mean, so the caller's optimizer stays in charge.
 */
export class ParallelGptGradients {
  readonly replicas: number;
  readonly #local: GradientReplica;
  readonly #workers: WorkerLike[];
  readonly #errors: Promise<Error>[];

  private constructor(replicas: number, local: GradientReplica, workers: WorkerLike[], errors: Promise<Error>[]) {
    this.replicas = replicas;
    this.#local = local;
    this.#workers = workers;
    this.#errors = errors;
  }

  /** Starts `replicas − 1` workers that copy `parameters`; call from a thread already on `backend`. */
  static async create(options: ParallelGradientsOptions): Promise<ParallelGptGradients> {
    const { replicas } = options;
    if (!Number.isInteger(replicas) || replicas < 2) {
      throw trainerError('E_ARGUMENT', 'parallelGradients', 'replicas to be an integer ≥ 2', String(replicas), 'with one core, compute gradients with valueAndGrad directly');
    }
    if (typeof SharedArrayBuffer === 'undefined') {
      throw trainerError('E_UNSUPPORTED', 'parallelGradients', 'SharedArrayBuffer', 'none (the page is not cross-origin isolated)', 'serve with COOP/COEP headers, or train on one core');
    }
    if (!listBackends().includes(options.backend) && options.backendModule) await import(/* @vite-ignore */ options.backendModule);
    if (getBackendName() !== options.backend) await setBackend(options.backend);
    const names = [...options.parameters.keys()];
    const shapes = names.map((name) => [...options.parameters.get(name)!.shape]);
    const count = shapes.reduce((n, shape) => n + shape.reduce((a, b) => a * b, 1), 0);
    const common = {
      config: options.config,
      names,
      shapes,
      parameters: new SharedArrayBuffer(PARAMETER_CONTROL_INTS * 4 + count * 4),
      gradients: createSharedGradients(replicas, count + 1),
    };
    const workers: WorkerLike[] = [];
    const ready: Promise<void>[] = [];
    const errors: Promise<Error>[] = [];
    for (let index = 1; index < replicas; index++) {
      let onReady!: () => void;
      let onError!: (error: Error) => void;
      const readyPromise = new Promise<void>((resolve) => (onReady = resolve));
      // A worker's first error: rejects `ready` during start-up, and explains a failed step later.
      const errorPromise = new Promise<Error>((resolve) => (onError = resolve));
      ready.push(Promise.race([readyPromise, errorPromise.then((error) => Promise.reject(error))]));
      errors.push(errorPromise);
      const onReply = (reply: Reply) => (reply.type === 'error' ? onError(new Error(reply.message)) : reply.type === 'ready' ? onReady() : undefined);
      const worker = await spawnReplicaWorker(onReply, options.workerUrl);
      worker.postMessage({ type: 'gradient-init', backend: options.backend, backendModule: options.backendModule, init: { ...common, index } });
      workers.push(worker);
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      workers.forEach((w) => w.terminate());
      throw error;
    }
    return new ParallelGptGradients(replicas, new GradientReplica({ ...common, index: 0 }), workers, errors);
  }

  /**
   * Mean loss and gradients (in `parameters` order, as fresh tensors) of a batch of B rows of
   * T tokens, split into `replicas` blocks of rows. Synchronous: it blocks until every replica
   * is done; if a worker fails it throws, and `explain()` gives that worker's own error.
   */
  lossAndGradients(parameters: readonly Tensor[], batch: TokenBatch, rows: number): { value: number; grads: Tensor[] } {
    const n = this.replicas;
    if (!Number.isInteger(rows) || rows < n || batch.tokens.length % rows !== 0 || batch.targets.length !== batch.tokens.length) {
      throw trainerError('E_SHAPE', 'parallelGradients', `at least ${n} rows (one per replica) and tokens and targets of equal length`, `${rows} rows, ${batch.tokens.length} tokens, ${batch.targets.length} targets`, `use --batch ≥ ${n} or fewer --workers`);
    }
    const T = batch.tokens.length / rows;
    const version = this.#local.publish(parameters);
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
    this.#workers.forEach((worker, i) => worker.postMessage({ type: 'gradient-step', shard: shard(i + 1) }));
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
