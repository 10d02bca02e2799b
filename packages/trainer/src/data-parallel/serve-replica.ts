/**
 * The worker side of a data-parallel replica (`ParallelGptGradients`): answers {type:'init'} with
 * {type:'ready'}, computes each {type:'step'} into shared memory (no reply), and reports failures
 * as {type:'error', message}. The app writes the worker module, because only the app picks a
 * backend; in Node and in browsers alike it is two lines:
 *
 *   import '@wattformer/backend-<name>'; // registers the backend in this worker
 *   import { serveReplica } from '@wattformer/trainer';
 *   serveReplica();
 */
import { setBackend } from '@wattformer/core';
import { GradientReplica, type GradientReplicaInit, type GradientShard } from './gradient-replica';

/**
 * A request `serveReplica` answers: set up a replica (backend and initial state) or compute one step's gradients for a shard of the batch.
 */
export type ReplicaRequest = { type: 'init'; backend: string; init: GradientReplicaInit } | { type: 'step'; shard: GradientShard };

interface Port {
  postMessage(message: unknown): void;
  on?(event: 'message', listener: (message: ReplicaRequest) => void): void;
  addEventListener?(event: 'message', listener: (event: { data: ReplicaRequest }) => void): void;
}

async function defaultPort(): Promise<Port> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const { parentPort } = await import('node:worker_threads');
    if (parentPort) return parentPort as unknown as Port;
  }
  return globalThis as unknown as Port;
}

/**
 * Runs a data-parallel replica in a worker: answers requests from `DataParallelGpt` or `ParallelGptGradients` on `port` (default: this worker's `parentPort` or `self`). Import the backend first.
 */
export async function serveReplica(port?: Port): Promise<void> {
  const channel = port ?? (await defaultPort());
  let replica: GradientReplica | undefined;
  const handle = async (message: ReplicaRequest): Promise<void> => {
    try {
      if (message.type === 'init') {
        await setBackend(message.backend);
        replica = new GradientReplica(message.init);
        channel.postMessage({ type: 'ready' });
      } else {
        if (!replica) throw new Error('trainer: replica: expected init before step, got step');
        replica.step(message.shard); // the result is in shared memory; replica 0 reads it
      }
    } catch (error) {
      channel.postMessage({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  };
  if (channel.on) channel.on('message', (message) => void handle(message));
  else channel.addEventListener?.('message', (event) => void handle(event.data));
}
