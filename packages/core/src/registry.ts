import type { Backend, BackendFactory } from './backend';
import { activeBackend, defaultCpuBackend, engine } from './engine';
import { WattformerError, unknownChoiceError } from './errors';

/**
 * Backend registry. `cpu` is built in; backend packages call `registerBackend(name, factory)`
 * when imported and users pick one with `await setBackend(name)`. Instances are created once.
 */
const factories = new Map<string, BackendFactory>([['cpu', defaultCpuBackend]]);
const instances = new Map<string, Backend>();

export function registerBackend(name: string, factory: BackendFactory): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new WattformerError('E_ARGUMENT', {
      packageName: 'core',
      op: 'registerBackend',
      expected: 'a non-empty backend name',
      got: JSON.stringify(name),
    });
  }
  factories.set(name, factory);
  instances.delete(name);
}

export function listBackends(): string[] {
  return [...factories.keys()];
}

/**
 * Makes `name` the backend of every op from now on. While it initialises, ops throw
 * `E_NOT_INITIALIZED`; if it fails, the previous backend stays active. Tensors keep the backend
 * they were made on.
 */
export async function setBackend(name: string): Promise<Backend> {
  const factory = factories.get(name);
  if (factory === undefined) {
    throw unknownChoiceError('core', 'setBackend', 'backend', String(name), listBackends());
  }
  let instance = instances.get(name);
  if (instance === undefined) {
    engine.pending = name;
    try {
      instance = await factory();
    } finally {
      engine.pending = null;
    }
    instances.set(name, instance);
  }
  engine.backend = instance;
  engine.backendName = name;
  return instance;
}

/** The active backend (cpu until `setBackend` picks another). */
export function getBackend(): Backend {
  return activeBackend('getBackend');
}

export function getBackendName(): string {
  activeBackend('getBackendName');
  return engine.backendName ?? 'cpu';
}

/**
 * Runs `fn` with `backend` active, then restores the previous one. For tests and the conformance
 * suite, which compare a backend with the cpu oracle in one process. Synchronous on purpose:
 * tensors made inside keep their backend, so read them after it returns.
 */
export function withBackend<T>(backend: Backend, fn: () => T): T {
  const previous = { backend: engine.backend, name: engine.backendName };
  engine.backend = backend;
  engine.backendName = backend.name;
  try {
    const result = fn();
    if (result instanceof Promise) {
      throw new WattformerError('E_ARGUMENT', {
        packageName: 'core',
        op: 'withBackend',
        expected: 'a synchronous function',
        got: 'a function returning a Promise',
        help: 'run the ops inside, await tensor.data() after withBackend returns',
      });
    }
    return result;
  } finally {
    engine.backend = previous.backend;
    engine.backendName = previous.name;
  }
}
