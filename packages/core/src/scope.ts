import { disposeTracked, engine, untrack, type Tracked } from './engine';
import { WattformerError } from './errors';
import { Tensor } from './tensor';

/** Tensors inside a returned value: a tensor, or arrays / plain objects / Maps holding them. */
function collectTensors(value: unknown, found: Set<Tensor>, depth = 0): void {
  if (depth > 8 || value === null || typeof value !== 'object') return;
  if (value instanceof Tensor) {
    found.add(value);
    return;
  }
  const children = Array.isArray(value) ? value : value instanceof Map ? [...value.values()] : Object.values(value);
  for (const child of children) collectTensors(child, found, depth + 1);
}

/**
 * Runs `fn` and frees every tensor created inside it except the ones it returns (which move to
 * the enclosing scope) and the ones it `keep()`s. The trainer wraps each step in one; parameters
 * and optimizer state are made outside and survive. `fn` must be synchronous.
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Tracked>();
  engine.scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    engine.scopes.pop();
    for (const tensor of scope) disposeTracked(tensor);
    throw error;
  }
  engine.scopes.pop();
  if (result instanceof Promise) {
    for (const tensor of scope) disposeTracked(tensor);
    throw new WattformerError('E_ARGUMENT', {
      packageName: 'core',
      op: 'tidy',
      expected: 'a synchronous function',
      got: 'a function returning a Promise',
      help: 'await outside the scope: tidy(() => step()), then await loss.data()',
    });
  }
  const returned = new Set<Tensor>();
  collectTensors(result, returned);
  const parent = engine.scopes[engine.scopes.length - 1];
  for (const tensor of scope) {
    if (returned.has(tensor as Tensor)) parent?.add(tensor);
    else disposeTracked(tensor);
  }
  return result;
}

/** Keeps a tensor alive past every enclosing `tidy` (it is then freed by GC or `dispose`). */
export function keep<T extends Tensor>(tensor: T): T {
  untrack(tensor);
  return tensor;
}

/** Disposes tensors now; accepts anything `tidy` can return. */
export function dispose(value: unknown): void {
  const found = new Set<Tensor>();
  collectTensors(value, found);
  for (const tensor of found) tensor.dispose();
}

/** What `memory()` reports. */
export interface MemoryInfo {
  /** Tensors not yet disposed or collected. */
  readonly liveTensors: number;
  /** Backend allocations those tensors hold (reshape shares one). */
  readonly liveStorages: number;
  /** Bytes the active backend holds for tensors. */
  readonly backendBytes: number;
  readonly backend: string;
}

/** Live tensor and storage counts and the active backend's bytes in use, for finding leaks. */
export function memory(): MemoryInfo {
  const backend = engine.backend;
  return {
    liveTensors: engine.liveTensors,
    liveStorages: engine.liveStorages,
    backendBytes: backend?.bytesInUse() ?? 0,
    backend: engine.backendName ?? 'cpu',
  };
}
