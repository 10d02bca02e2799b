import { describe, expect, it } from 'vitest';
import { claimCoreState, CORE_STATE_KEY, CORE_STATE_LAYOUT } from './state';
import { setBackend, WattformerError } from './index';

describe('the process-wide core state', () => {
  it('lives on globalThis under Symbol.for, so every copy of core finds the same object', () => {
    const state = (globalThis as Record<symbol, unknown>)[Symbol.for('wattformer.core.state')];
    expect(CORE_STATE_KEY).toBe(Symbol.for('wattformer.core.state'));
    expect(claimCoreState()).toBe(state);
    expect(claimCoreState().layout).toBe(CORE_STATE_LAYOUT);
  });

  it('is created by the first copy and joined by the next, whose version is recorded', () => {
    const fakeGlobal: Record<PropertyKey, unknown> = {};
    const first = claimCoreState(fakeGlobal);
    expect(claimCoreState(fakeGlobal)).toBe(first);
    expect(first.versions).toHaveLength(1);
    expect(first.factories.size).toBe(0);
  });

  it('refuses a state of another layout (an incompatible version) instead of splitting silently', () => {
    for (const stamp of [{ layout: 2, versions: ['1.0.0'] }, 'junk', null, { versions: [] }]) {
      const fakeGlobal: Record<PropertyKey, unknown> = { [CORE_STATE_KEY]: stamp };
      expect(() => claimCoreState(fakeGlobal)).toThrow(WattformerError);
      expect(() => claimCoreState(fakeGlobal)).toThrow(
        /^core: load: expected one shared state of layout 1 \(this is @wattformer\/core .+\), got .+ already in this process\nhelp: two incompatible versions/,
      );
    }
  });

  it('setBackend for a known backend whose package was not imported names the package', async () => {
    await expect(setBackend('wasm')).rejects.toThrow(
      /^core: setBackend: expected backend to be one of the registered 'cpu', 'auto', got 'wasm', whose package was not imported\nhelp: import '@wattformer\/backend-wasm' \(importing it registers 'wasm'\), then await setBackend\('wasm'\)$/,
    );
    await expect(setBackend('webgpu')).rejects.toThrow(/help: import '@wattformer\/backend-webgpu'/);
    await expect(setBackend('toString')).rejects.toThrow(/^core: setBackend: expected backend to be one of 'cpu', 'auto', got 'toString'$/);
  });
});
