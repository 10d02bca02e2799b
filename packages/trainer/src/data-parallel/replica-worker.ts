/**
 * Worker entry of a data-parallel replica (Node worker_threads or a browser module Worker).
 * Messages in: {type:'init', backend, backendModule, init} then {type:'step', shard};
 * messages out: {type:'ready'}, {type:'done', loss} or {type:'error', message}.
 */
import { setBackend } from '@wattformer/core';
import { GptReplica, type ReplicaInit, type ShardStep } from './gpt-replica';

type Incoming =
  | { type: 'init'; backend: string; backendModule?: string; init: ReplicaInit }
  | { type: 'step'; shard: ShardStep };

interface Port {
  postMessage(message: unknown): void;
  on?(event: 'message', listener: (message: Incoming) => void): void;
  addEventListener?(event: 'message', listener: (event: { data: Incoming }) => void): void;
}

async function port(): Promise<Port> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const { parentPort } = await import('node:worker_threads');
    if (parentPort) return parentPort as unknown as Port;
  }
  return globalThis as unknown as Port;
}

const channel = await port();
let replica: GptReplica | undefined;

async function handle(message: Incoming): Promise<void> {
  try {
    if (message.type === 'init') {
      if (message.backendModule) await import(message.backendModule);
      await setBackend(message.backend);
      replica = new GptReplica(message.init);
      channel.postMessage({ type: 'ready' });
    } else {
      if (!replica) throw new Error('trainer: replica: expected init before step, got step');
      channel.postMessage({ type: 'done', loss: replica.step(message.shard) });
    }
  } catch (error) {
    channel.postMessage({ type: 'error', message: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
}

if (channel.on) channel.on('message', (message) => void handle(message));
else channel.addEventListener?.('message', (event) => void handle(event.data));
