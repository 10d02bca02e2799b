/**
 * The worker side of a data-parallel replica: answers {type:'init'} with {type:'ready'} and each
 * {type:'step'} with {type:'done', loss}, or {type:'error', message}. Node's default worker
 * (replica-worker.ts) calls it; in a browser, write a two-line worker that imports your backend
 * and calls it, and pass its URL as `workerUrl`:
 *
 *   import '@wattformer/backend-wasm';
 *   import { serveReplica } from '@wattformer/trainer';
 *   serveReplica();
 */
import { setBackend } from '@wattformer/core';
import { GptReplica, type ReplicaInit, type ShardStep } from './gpt-replica';
import { GradientReplica, type GradientReplicaInit, type GradientShard } from './gradient-replica';

/** `init`/`step` serve `DataParallelGpt`; `gradient-init`/`gradient-step` serve `ParallelGptGradients` (no reply on success). */
export type ReplicaRequest =
  | { type: 'init'; backend: string; backendModule?: string; init: ReplicaInit }
  | { type: 'step'; shard: ShardStep }
  | { type: 'gradient-init'; backend: string; backendModule?: string; init: GradientReplicaInit }
  | { type: 'gradient-step'; shard: GradientShard };

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
  let replica: GptReplica | undefined;
  let gradientReplica: GradientReplica | undefined;
  const handle = async (message: ReplicaRequest): Promise<void> => {
    try {
      if (message.type === 'init' || message.type === 'gradient-init') {
        if (message.backendModule) await import(/* @vite-ignore */ message.backendModule);
        await setBackend(message.backend);
        if (message.type === 'init') replica = new GptReplica(message.init);
        else gradientReplica = new GradientReplica(message.init);
        channel.postMessage({ type: 'ready' });
      } else if (message.type === 'gradient-step') {
        if (!gradientReplica) throw new Error('trainer: replica: expected gradient-init before gradient-step, got gradient-step');
        gradientReplica.step(message.shard); // the result is in shared memory; replica 0 reads it
      } else {
        if (!replica) throw new Error('trainer: replica: expected init before step, got step');
        channel.postMessage({ type: 'done', loss: replica.step(message.shard) });
      }
    } catch (error) {
      channel.postMessage({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  };
  if (channel.on) channel.on('message', (message) => void handle(message));
  else channel.addEventListener?.('message', (event) => void handle(event.data));
}
