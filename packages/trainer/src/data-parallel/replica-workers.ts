/**
 * Starting replica workers. The trainer names no backend: the caller gives the worker, a module
 * that imports its backend and calls `serveReplica()` (see serve-replica.ts), either as a URL
 * (`worker_threads` in Node, a module Worker in browsers) or as a factory for full control
 * (bundlers that want `new Worker(new URL('./replica.ts', import.meta.url), { type: 'module' })`
 * written literally, or Node workers with `execArgv`).
 */
import { trainerError } from '../errors';

/** What the trainer needs from a worker: Node's `Worker` and the browser's `Worker` both fit. */
export interface ReplicaWorker {
  /** Sends a message to the worker. */
  postMessage(message: unknown): void;
  /** Stops the worker. */
  terminate(): unknown;
  /** Node's worker_threads. */
  // biome-ignore lint/suspicious/noExplicitAny: Node's worker_threads overloads take (...args: any[])
  on?(event: 'message' | 'error', listener: (...args: any[]) => void): unknown;
  /** Browsers. */
  // biome-ignore lint/suspicious/noExplicitAny: the DOM's listener takes an Event
  addEventListener?(event: 'message' | 'error', listener: (event: any) => void): unknown;
}

/** The worker module: its URL, or a factory that starts one worker running it. */
export interface ReplicaWorkerSource {
  /** Module URL of a worker that imports a backend and calls `serveReplica()`. */
  readonly workerUrl?: URL | string;
  /** Starts one such worker (used instead of `workerUrl`). */
  readonly createWorker?: () => ReplicaWorker | Promise<ReplicaWorker>;
}

export type Reply = { type: 'ready' } | { type: 'error'; message: string };

const WORKER_HELP =
  "write a worker module with two lines, `import '<your backend package>'; import { serveReplica } from '@wattformer/trainer'; serveReplica();`, and pass workerUrl: new URL('./replica-worker.js', import.meta.url)";

export const missingWorker = () =>
  trainerError('E_ARGUMENT', 'parallelGradients', 'workerUrl or createWorker for more than one replica', 'neither', WORKER_HELP);

/** Starts one replica worker and routes its replies (and crashes, as error replies) to `onReply`. */
export async function spawnReplicaWorker(source: ReplicaWorkerSource, onReply: (reply: Reply) => void): Promise<ReplicaWorker> {
  let worker: ReplicaWorker;
  if (source.createWorker) {
    worker = await source.createWorker();
  } else if (source.workerUrl === undefined) {
    throw missingWorker();
  } else if (typeof process !== 'undefined' && process.versions?.node) {
    const { Worker } = await import('node:worker_threads');
    worker = new Worker(source.workerUrl) as unknown as ReplicaWorker;
  } else {
    worker = new Worker(source.workerUrl, { type: 'module' }) as unknown as ReplicaWorker;
  }
  const fail = (error: unknown) => onReply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  if (worker.on) {
    worker.on('message', (reply: Reply) => onReply(reply));
    worker.on('error', fail);
  } else if (worker.addEventListener) {
    worker.addEventListener('message', (event: MessageEvent<Reply>) => onReply(event.data));
    worker.addEventListener('error', (event: ErrorEvent) => fail(event.message || 'the replica worker failed to load (check its URL)'));
  } else {
    throw trainerError('E_ARGUMENT', 'parallelGradients', 'createWorker to return a Worker (with on() or addEventListener())', typeof worker, WORKER_HELP);
  }
  return worker;
}
