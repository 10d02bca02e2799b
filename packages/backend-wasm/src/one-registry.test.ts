import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The two builds of @wattformer/core in one Node process: the app `require`s the CJS build, the
 * backend (imported as ESM, as bundlers and `import()` do) registers into the ESM build. They must
 * share one registry and engine, so `setBackend('wasm')` in the CJS copy finds the backend.
 * Runs a real child process against the built dist files (this package's tests build first).
 */
const packageRoot = fileURLToPath(new URL('..', import.meta.url));

function runNode(script: string, type: 'commonjs' | 'module' = 'commonjs'): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [`--input-type=${type}`, '-e', script], { cwd: packageRoot, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('one registry per process (CJS require + ESM import)', () => {
  it("require('@wattformer/core') then import('@wattformer/backend-wasm'): setBackend('wasm') works", () => {
    const { status, stdout, stderr } = runNode(`
      const core = require('@wattformer/core');
      if (!require.resolve('@wattformer/core').endsWith('.cjs')) throw new Error('expected the CJS build of core');
      (async () => {
        const wasm = await import('@wattformer/backend-wasm');
        const backend = await core.setBackend('wasm');
        const t = core.tensor([[1, 2], [3, 4]]).matmul(core.tensor([[1], [1]])).add(0.5);
        const error = (() => { try { core.tensor('abc'); } catch (e) { return e; } })();
        console.log(JSON.stringify({
          name: core.getBackendName(),
          backend: backend.name,
          tensorBackend: t.backend.name,
          values: Array.from(await t.data()),
          listed: core.listBackends(),
          coreErrorIsCore: error instanceof core.WattformerError,
          live: core.memory().liveTensors > 0,
        }));
      })().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
    `);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      name: 'wasm',
      backend: 'wasm',
      tensorBackend: 'wasm',
      values: [3.5, 7.5],
      listed: ['cpu', 'wasm'],
      coreErrorIsCore: true,
      live: true,
    });
  });

  it("the other way round: import('@wattformer/core') as ESM, require('@wattformer/backend-wasm') as CJS", () => {
    const { status, stdout, stderr } = runNode(
      `
      import { createRequire } from 'node:module';
      import * as core from '@wattformer/core';
      const require = createRequire(process.cwd() + '/');
      if (!require.resolve('@wattformer/backend-wasm').endsWith('.cjs')) throw new Error('expected the CJS build of backend-wasm');
      require('@wattformer/backend-wasm');
      await core.setBackend('wasm');
      console.log(JSON.stringify({ name: core.getBackendName(), values: core.tensor([1, 2]).mul(3).arraySync() }));
    `,
      'module',
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ name: 'wasm', values: [3, 6] });
  });

  it('an ESM import of core and a CJS require of core see one engine, one seed stream and one error class', () => {
    const { status, stdout, stderr } = runNode(`
      const cjs = require('@wattformer/core');
      (async () => {
        const esm = await import('@wattformer/core');
        if (esm.tensor === cjs.tensor) throw new Error('expected two copies of core (ESM and CJS)');
        esm.setSeed(7);
        const a = cjs.rand([4]);
        cjs.setSeed(7);
        const b = esm.rand([4]);
        const made = esm.tensor([1, 2]);
        const before = cjs.memory().liveTensors;
        esm.tensor([3]);
        const error = (() => { try { esm.tensor([1, 'x']); } catch (e) { return e; } })();
        console.log(JSON.stringify({
          sameSeedStream: Array.from(a.dataSync()).join() === Array.from(b.dataSync()).join(),
          counted: cjs.memory().liveTensors === before + 1,
          crossInstanceof: made instanceof cjs.Tensor && error instanceof cjs.WattformerError,
          crossOp: Array.from(cjs.add(made, 1).dataSync()),
        }));
      })().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
    `);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ sameSeedStream: true, counted: true, crossInstanceof: true, crossOp: [2, 3] });
  });

  it('refuses to share the state with an incompatible copy of core, with a clear error', () => {
    const { status, stderr } = runNode(`
      globalThis[Symbol.for('wattformer.core.state')] = { layout: 999, versions: ['9.9.9'] };
      require('@wattformer/core');
    `);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(
      /core: load: expected one shared state of layout 1 \(this is @wattformer\/core [^)]+\), got state layout 999 from @wattformer\/core 9\.9\.9 already in this process\nhelp: two incompatible versions of @wattformer\/core are loaded/,
    );
  });
});
