/**
 * Data-parallel GPT training on every core of one machine: replica 0 runs in the calling thread,
 * replicas 1..n-1 in workers, each on its slice of the batch; gradients are averaged through a
 * SharedArrayBuffer (see shared-gradients.ts). The calling thread blocks in the gradient barrier,
 * so in a browser call this from a Web Worker in a cross-origin-isolated page; where
 * SharedArrayBuffer is unavailable, use one replica (plain single-threaded training).
 */
import { getBackendName, listBackends, setBackend, WattformerError } from '@wattformer/core';
import type { GptConfig } from '@wattformer/model';
import { GptReplica, type AdamWSettings } from './gpt-replica';
import { createSharedGradients } from './shared-gradients';

/**
 * Options of `DataParallelGpt.create`: model config, seed, AdamW settings, replica count, backend and worker URL.
 */
export interface DataParallelOptions {
  readonly config: GptConfig;
  readonly seed: number;
  readonly optimizer: AdamWSettings;
  /** Number of replicas (threads), ≥ 1; defaults to the number of cores. */
  readonly replicas?: number;
  /** Backend every replica uses, e.g. 'wasm'; it becomes the active backend of the calling thread too. */
  readonly backend: string;
  /** Module that registers the backend when imported in a worker, e.g. '@wattformer/backend-wasm'. */
  readonly backendModule?: string;
  /**
   * Worker script of replicas 1..n−1. Default: the package's own (Node). In browsers pass a module
   * worker that imports the backend and calls `serveReplica()` (see serve-replica.ts).
   */
  readonly workerUrl?: URL | string;
}

export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

export type Reply = { type: 'ready' } | { type: 'done'; loss: number } | { type: 'error'; message: string };

/** Every core where threads can share memory; one (plain single-threaded training) elsewhere. */
function defaultReplicas(): number {
  if (typeof SharedArrayBuffer === 'undefined') {
    console.warn('trainer: dataParallel: SharedArrayBuffer is unavailable (page not cross-origin isolated); training on 1 core');
    return 1;
  }
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.max(1, cores ?? 1);
}

/** Starts one replica worker (Node: the package's own worker_threads script unless `workerUrl`). */
export async function spawnReplicaWorker(onReply: (reply: Reply) => void, workerUrl: URL | string | undefined): Promise<WorkerLike> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(workerUrl ?? new URL('./replica-worker.js', import.meta.url));
    worker.on('message', onReply);
    worker.on('error', (error) => onReply({ type: 'error', message: String(error) }));
    return worker;
  }
  if (workerUrl === undefined) {
    throw new WattformerError('E_ARGUMENT', {
      packageName: 'trainer',
      op: 'dataParallel',
      expected: 'a workerUrl in browsers',
      got: 'none',
      help: "pass new URL('./replica.js', import.meta.url) for a module worker that imports your backend and calls serveReplica()",
    });
  }
  const worker = new Worker(workerUrl, { type: 'module' });
  worker.addEventListener('message', (event: MessageEvent<Reply>) => onReply(event.data));
  return worker;
}

/**
 * Data-parallel GPT training on several threads: each replica computes gradients on its rows, gradients are averaged over shared memory, and every replica applies the same AdamW step.
 */
export class DataParallelGpt {
  readonly replicas: number;
  readonly #local: GptReplica;
  readonly #workers: WorkerLike[];
  readonly #pending: ((reply: Reply) => void)[];

  private constructor(replicas: number, local: GptReplica, workers: WorkerLike[], pending: ((reply: Reply) => void)[]) {
    this.replicas = replicas;
    this.#local = local;
    this.#workers = workers;
    this.#pending = pending;
  }

  /**
   * Starts the replicas (one on this thread, the others in workers), each with the same initial parameters from `seed`.
   */
  static async create(options: DataParallelOptions): Promise<DataParallelGpt> {
    const replicas = options.replicas ?? defaultReplicas();
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw new WattformerError('E_ARGUMENT', { packageName: 'trainer', op: 'dataParallel', expected: 'replicas ≥ 1', got: String(replicas) });
    }
    if (replicas > 1 && typeof SharedArrayBuffer === 'undefined') {
      throw new WattformerError('E_UNSUPPORTED', {
        packageName: 'trainer',
        op: 'dataParallel',
        expected: 'SharedArrayBuffer for more than one replica',
        got: 'none (the page is not cross-origin isolated)',
        help: 'serve with COOP/COEP headers, or use replicas: 1',
      });
    }
    // Replica 0 runs here, on the same backend as the workers (this also makes it the active one).
    if (!listBackends().includes(options.backend) && options.backendModule) {
      await import(/* @vite-ignore */ options.backendModule);
    }
    if (getBackendName() !== options.backend) await setBackend(options.backend);
    const gradients = createSharedGradients(replicas, GptReplica.parameterCount(options.config));
    const common = { config: options.config, seed: options.seed, optimizer: options.optimizer, gradients };
    const pending: ((reply: Reply) => void)[] = [];
    const workers: WorkerLike[] = [];
    const ready: Promise<void>[] = [];
    for (let index = 1; index < replicas; index++) {
      let resolveReady!: () => void;
      let rejectReady!: (error: Error) => void;
      ready.push(new Promise((resolve, reject) => ((resolveReady = resolve), (rejectReady = reject))));
      pending[index - 1] = (reply) => (reply.type === 'error' ? rejectReady(new Error(reply.message)) : resolveReady());
      const worker = await spawnReplicaWorker((reply) => pending[index - 1]?.(reply), options.workerUrl);
      worker.postMessage({ type: 'init', backend: options.backend, backendModule: options.backendModule, init: { ...common, index } });
      workers.push(worker);
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      workers.forEach((w) => w.terminate());
      throw error;
    }
    return new DataParallelGpt(replicas, new GptReplica({ ...common, index: 0 }), workers, pending);
  }

  /**
   * One optimizer step on a batch i32 [B, T] split into `replicas` equal row blocks
   * (B must divide evenly). Returns the mean of the replicas' losses.
   */
  async step(tokens: Int32Array, targets: Int32Array, batch: number, step: number, learningRate?: number): Promise<number> {
    if (batch % this.replicas !== 0 || tokens.length !== targets.length || tokens.length % batch !== 0) {
      throw new WattformerError('E_SHAPE', {
        packageName: 'trainer',
        op: 'dataParallel.step',
        expected: `a batch divisible by ${this.replicas} replicas, tokens and targets of equal length`,
        got: `batch ${batch}, ${tokens.length} tokens, ${targets.length} targets`,
      });
    }
    const rows = batch / this.replicas;
    const T = tokens.length / batch;
    const shard = (index: number) => ({
      tokens: tokens.slice(index * rows * T, (index + 1) * rows * T),
      targets: targets.slice(index * rows * T, (index + 1) * rows * T),
      rows,
      step,
      ...(learningRate === undefined ? {} : { learningRate }),
    });
    const remote = this.#workers.map((worker, i) => {
      const done = new Promise<number>((resolve, reject) => {
        this.#pending[i] = (reply) => (reply.type === 'done' ? resolve(reply.loss) : reply.type === 'error' ? reject(new Error(reply.message)) : undefined);
      });
      worker.postMessage({ type: 'step', shard: shard(i + 1) });
      return done;
    });
    let local: number;
    try {
      local = this.#local.step(shard(0));
    } catch (error) {
      // A failing replica releases the others; report the root cause (the first remote error if
      // the local replica only saw that another one failed).
      const settled = await Promise.allSettled(remote);
      const remoteFailure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      throw remoteFailure && /a failed replica/.test(String(error)) ? remoteFailure.reason : error;
    }
    const losses = [local, ...(await Promise.all(remote))];
    return losses.reduce((a, b) => a + b, 0) / losses.length;
  }

  /** Replica 0's parameters (identical on every replica). */
  get parameters() {
    return this.#local.parameters;
  }

  /** Stops the worker replicas; the instance is unusable afterwards. */
  dispose(): void {
    this.#workers.forEach((w) => w.terminate());
  }
}
