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

export type ReplicaRequest =
  | { type: 'init'; backend: string; backendModule?: string; init: ReplicaInit }
  | { type: 'step'; shard: ShardStep };

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

export async function serveReplica(port?: Port): Promise<void> {
  const channel = port ?? (await defaultPort());
  let replica: GptReplica | undefined;
  const handle = async (message: ReplicaRequest): Promise<void> => {
    try {
      if (message.type === 'init') {
        if (message.backendModule) await import(/* @vite-ignore */ message.backendModule);
        await setBackend(message.backend);
        replica = new GptReplica(message.init);
        channel.postMessage({ type: 'ready' });
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
