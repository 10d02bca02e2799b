import type { Backend } from './backend';
import { createCpuBackend } from './cpu/cpu-backend';
import { WattformerError } from './errors';
import { coreState, type EngineState } from './state';

/**
 * One backend allocation shared by every tensor that views it (reshape shares storage).
 * Reference-counted: the storage is freed when the last tensor on it is disposed or collected.
 */
export interface DataHandle {
  readonly storage: object;
  readonly backend: Backend;
  refs: number;
}

/** What the FinalizationRegistry holds for a tensor: mutable, because AdamW swaps storage. */
export interface HandleBox {
  handle: DataHandle | null;
}

/** A tensor as the engine sees it; `Tensor` implements this. */
export interface Tracked {
  readonly id: number;
  readonly box: HandleBox;
}

/**
 * Process-wide state: the active backend, live-tensor accounting, the scope stack and the
 * grad mode. Kept in one object so tests and the registry can reason about it in one place;
 * shared by every copy of core in the process (ESM and CJS builds), see `state.ts`.
 */
export const engine: EngineState = coreState.engine;

/** Releases backend memory of tensors nobody disposed: the safe default for casual use. */
const finalizer = new FinalizationRegistry<HandleBox>((box) => {
  if (box.handle === null) return;
  releaseHandle(box.handle);
  box.handle = null;
  engine.liveTensors -= 1;
});

export function newHandle(backend: Backend, storage: object): DataHandle {
  engine.liveStorages += 1;
  return { storage, backend, refs: 0 };
}

export function retainHandle(handle: DataHandle): DataHandle {
  handle.refs += 1;
  return handle;
}

export function releaseHandle(handle: DataHandle): void {
  handle.refs -= 1;
  if (handle.refs === 0) {
    engine.liveStorages -= 1;
    handle.backend.free(handle.storage);
  }
}

/** Called by the Tensor constructor: count it, put it in the innermost scope, watch for GC. */
export function trackTensor(tensor: Tracked): void {
  engine.liveTensors += 1;
  engine.scopes[engine.scopes.length - 1]?.add(tensor);
  finalizer.register(tensor, tensor.box, tensor);
}

/** Frees a tensor's claim on its storage now. Idempotent. */
export function disposeTracked(tensor: Tracked): void {
  const handle = tensor.box.handle;
  if (handle === null) return;
  tensor.box.handle = null;
  finalizer.unregister(tensor);
  releaseHandle(handle);
  engine.liveTensors -= 1;
  for (const scope of engine.scopes) scope.delete(tensor);
}

/** Removes a tensor from every open scope so no `tidy` frees it. */
export function untrack(tensor: Tracked): void {
  for (const scope of engine.scopes) scope.delete(tensor);
}

/** The backend ops run on; refuses while a `setBackend` is still pending. */
export function activeBackend(op: string): Backend {
  if (engine.pending !== null) {
    throw new WattformerError('E_NOT_INITIALIZED', {
      packageName: 'core',
      op,
      expected: `backend '${engine.pending}' to be ready`,
      got: 'an initialisation still in progress',
      help: `await setBackend('${engine.pending}') before running ops`,
    });
  }
  if (engine.backend === null) {
    // Lazy default so casual use needs no setup.
    engine.backend = defaultCpuBackend();
    engine.backendName = 'cpu';
  }
  return engine.backend;
}

/** The one cpu backend instance of this process (the oracle), shared by every copy of core. */
export function defaultCpuBackend(): Backend {
  coreState.cpu ??= createCpuBackend();
  return coreState.cpu;
}
