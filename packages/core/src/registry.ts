import type { Backend, BackendFactory } from './backend';
import { activeBackend, defaultCpuBackend, engine } from './engine';
import { WattformerError, unknownChoiceError } from './errors';
import { coreState } from './state';

/**
 * Backend registry. `cpu` is built in; backend packages call `registerBackend(name, factory)`
 * when imported and users pick one with `await setBackend(name)`. Instances are created once.
 */
const factories: Map<string, BackendFactory> = coreState.factories;
const instances: Map<string, Backend> = coreState.instances;
if (!factories.has('cpu')) factories.set('cpu', defaultCpuBackend);

/** The name `setBackend` resolves to the best registered backend that starts; never registrable. */
export const AUTO_BACKEND = 'auto';

/**
 * The order `setBackend('auto')` tries backends in, best first. Like TF.js's backend priority,
 * but fixed and visible: a backend is tried only when its package was imported (registered).
 */
export const AUTO_PRIORITY: readonly string[] = ['webgpu', 'wasm', 'cpu'];

/** Backends wattformer ships in their own packages: `setBackend` names the one to import. */
const KNOWN_BACKEND_PACKAGES: Readonly<Record<string, string>> = {
  wasm: '@wattformer/backend-wasm',
  webgpu: '@wattformer/backend-webgpu',
};

/** Options of `setBackend`. */
export interface SetBackendOptions {
  /**
   * Receives the one line `setBackend('auto')` writes about its choice: which backend it picked
   * and why each better one was passed over. Default: `console.info`.
   */
  readonly log?: (line: string) => void;
}

/**
 * Makes a backend available to `setBackend(name)`; `factory` runs (once) when it is first selected. Backend packages call this when imported.
 */
export function registerBackend(name: string, factory: BackendFactory): void {
  if (typeof name !== 'string' || name.length === 0 || name === AUTO_BACKEND) {
    throw new WattformerError('E_ARGUMENT', {
      packageName: 'core',
      op: 'registerBackend',
      expected: `a non-empty backend name other than '${AUTO_BACKEND}'`,
      got: JSON.stringify(name),
      help: `'${AUTO_BACKEND}' is reserved: setBackend('${AUTO_BACKEND}') picks among the registered backends`,
    });
  }
  factories.set(name, factory);
  instances.delete(name);
}

/** Names of every registered backend (registered, not necessarily initialised or usable here). */
export function listBackends(): string[] {
  return [...factories.keys()];
}

/**
 * Makes `name` the backend of every op from now on. While it initialises, ops throw
 * `E_NOT_INITIALIZED`; if it fails, the previous backend stays active. Tensors keep the backend
 * they were made on.
 *
 * `'auto'` tries {@link AUTO_PRIORITY} in order (webgpu, then wasm, then cpu), skipping backends
 * whose package was not imported and those whose factory throws (no WebGPU adapter, say), logs
 * one line saying what it chose and why (`options.log`, default `console.info`) and returns the
 * chosen backend; `getBackendName()` then reports its real name.
 */
export async function setBackend(name: string, options: SetBackendOptions = {}): Promise<Backend> {
  if (name === AUTO_BACKEND) return setBestBackend(options.log ?? ((line) => console.info(line)));
  const factory = factories.get(name);
  if (factory === undefined) {
    const packageName = KNOWN_BACKEND_PACKAGES[name];
    if (typeof name === 'string' && packageName !== undefined && Object.hasOwn(KNOWN_BACKEND_PACKAGES, name)) {
      throw new WattformerError('E_UNKNOWN_CHOICE', {
        packageName: 'core',
        op: 'setBackend',
        expected: `backend to be one of the registered ${[...listBackends(), AUTO_BACKEND].map((n) => `'${n}'`).join(', ')}`,
        got: `'${name}', whose package was not imported`,
        help: `import '${packageName}' (importing it registers '${name}'), then await setBackend('${name}')`,
      });
    }
    throw unknownChoiceError('core', 'setBackend', 'backend', String(name), [...listBackends(), AUTO_BACKEND]);
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

async function setBestBackend(log: (line: string) => void): Promise<Backend> {
  const passedOver: string[] = [];
  for (const candidate of AUTO_PRIORITY) {
    if (!factories.has(candidate)) {
      passedOver.push(`${candidate}: not registered (import '${KNOWN_BACKEND_PACKAGES[candidate] ?? candidate}')`);
      continue;
    }
    try {
      const backend = await setBackend(candidate);
      const why = passedOver.length === 0 ? 'the first choice' : `fell back: ${passedOver.join('; ')}`;
      log(`core: setBackend('auto'): using '${candidate}' (${why})`);
      return backend;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      passedOver.push(`${candidate}: ${message.split('\n')[0]}`);
    }
  }
  // Reached only when cpu's factory was replaced by one that fails.
  throw new WattformerError('E_UNSUPPORTED', {
    packageName: 'core',
    op: 'setBackend',
    expected: `one of ${AUTO_PRIORITY.map((n) => `'${n}'`).join(', ')} to start`,
    got: passedOver.join('; '),
    help: "import '@wattformer/backend-wasm' and call setBackend('wasm')",
  });
}

/** The active backend (cpu until `setBackend` picks another). */
export function getBackend(): Backend {
  return activeBackend('getBackend');
}

/** Name of the active backend (`'cpu'` until `setBackend` picks another). */
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
