import type { Backend, BackendFactory } from './backend';
import type { Tracked } from './engine';
import { WattformerError } from './errors';
import { version as CORE_VERSION } from '../package.json';

/**
 * The one process-wide state of `@wattformer/core`, shared by every copy of the package loaded
 * in this process (its ESM and CJS builds, or two installs of the same version): the backend
 * registry, the engine (active backend, live-tensor counts, scope stack, grad mode) and the
 * global random stream. Without this, `require('@wattformer/core')` and an ESM
 * `import '@wattformer/backend-wasm'` would each see their own registry, and `setBackend('wasm')`
 * in the CJS copy would not find the backend the ESM copy registered.
 *
 * It lives on `globalThis` under `Symbol.for('wattformer.core.state')`. `layout` stamps its shape:
 * a copy whose layout differs refuses to load (two incompatible versions would split the state
 * silently otherwise); copies with the same layout share it whatever their version.
 */
export const CORE_STATE_KEY: unique symbol = Symbol.for('wattformer.core.state') as never;

/** Bump when a field below changes meaning or shape. */
export const CORE_STATE_LAYOUT = 1;

export interface EngineState {
  backend: Backend | null;
  backendName: string | null;
  /** Name of a backend whose `setBackend` has not resolved yet; ops refuse to run meanwhile. */
  pending: string | null;
  liveTensors: number;
  liveStorages: number;
  nextTensorId: number;
  scopes: Set<Tracked>[];
  gradEnabled: boolean;
}

export interface CoreState {
  readonly layout: number;
  /** Version of the copy that created the state, then of every copy that joined it. */
  readonly versions: string[];
  readonly engine: EngineState;
  readonly factories: Map<string, BackendFactory>;
  readonly instances: Map<string, Backend>;
  readonly random: { seed: number; counter: number };
  /** The process's one cpu backend instance (the oracle), made on first use. */
  cpu: Backend | null;
}

function createState(): CoreState {
  return {
    layout: CORE_STATE_LAYOUT,
    versions: [CORE_VERSION],
    engine: {
      backend: null,
      backendName: null,
      pending: null,
      liveTensors: 0,
      liveStorages: 0,
      nextTensorId: 0,
      scopes: [],
      gradEnabled: true,
    },
    factories: new Map(),
    instances: new Map(),
    random: { seed: 0, counter: 0 },
    cpu: null,
  };
}

function describeStamp(value: unknown): string {
  if (value === null || typeof value !== 'object') return `a ${value === null ? 'null' : typeof value} value`;
  const { layout, versions } = value as { layout?: unknown; versions?: unknown };
  const from = Array.isArray(versions) ? ` from @wattformer/core ${versions.map(String).join(', ')}` : '';
  return `state layout ${JSON.stringify(layout)}${from}`;
}

/**
 * The shared state, created by the first copy to load; later copies check its layout stamp and
 * join it. Exported for tests and for the copies themselves; not part of the public API.
 */
export function claimCoreState(global: Record<PropertyKey, unknown> = globalThis as never): CoreState {
  const existing = global[CORE_STATE_KEY];
  if (existing === undefined) {
    const state = createState();
    Object.defineProperty(global, CORE_STATE_KEY, { value: state, configurable: false, enumerable: false, writable: false });
    return state;
  }
  if (existing === null || typeof existing !== 'object' || (existing as { layout?: unknown }).layout !== CORE_STATE_LAYOUT) {
    throw new WattformerError('E_UNSUPPORTED', {
      packageName: 'core',
      op: 'load',
      expected: `one shared state of layout ${CORE_STATE_LAYOUT} (this is @wattformer/core ${CORE_VERSION})`,
      got: `${describeStamp(existing)} already in this process`,
      help: 'two incompatible versions of @wattformer/core are loaded: install one version (npm ls @wattformer/core; npm dedupe)',
    });
  }
  const state = existing as CoreState;
  if (!state.versions.includes(CORE_VERSION)) state.versions.push(CORE_VERSION);
  return state;
}

export const coreState: CoreState = claimCoreState();
