import { createCpuBackend, type Backend } from '@wattformer/core';
import { describe, expect, it } from 'vitest';
import { createFusedReferenceBackend } from './fused-reference/fused-reference-backend';
import { runConformance } from './run-conformance';

/** Wraps every kernel (and every fused kernel) of a backend to record which ones ran. */
function instrument(backend: Backend): { backend: Backend; called: Set<string> } {
  const called = new Set<string>();
  const wrap = <T extends object>(target: T, prefix: string): T =>
    new Proxy(target, {
      get(object, key, receiver) {
        const value = Reflect.get(object, key, receiver) as unknown;
        const name = `${prefix}${String(key)}`;
        if (typeof value === 'function') {
          return (...args: unknown[]) => {
            called.add(name);
            return (value as (...a: unknown[]) => unknown).apply(object, args);
          };
        }
        if (value !== null && typeof value === 'object' && (key === 'fused' || prefix === 'fused.')) {
          return wrap(value as object, `${name}.`);
        }
        return value;
      },
    });
  return { backend: wrap(backend, ''), called };
}

const PRIMITIVES = [
  'upload',
  'read',
  'free',
  'fill',
  'unary',
  'binary',
  'matmul',
  'reduce',
  'copyStrided',
  'pad',
  'gather',
  'scatterAdd',
  'cast',
  'randomUniform',
];
/**
 * Every fused entry point, derived from the keys of the reference backend's `fused` object, which
 * is typed `Required<FusedKernels>`: a kernel added to core's `FusedKernels` fails to compile
 * until the reference has it, and then lands in this list with no hand edit.
 */
function fusedEntryPoints(): string[] {
  const fused = createFusedReferenceBackend().fused as Record<string, unknown>;
  return Object.entries(fused).flatMap(([key, value]) =>
    typeof value === 'function' ? [`fused.${key}`] : Object.keys(value as object).map((method) => `fused.${key}.${method}`),
  );
}
const FUSED = fusedEntryPoints();

describe('the suite exercises the whole Backend interface', () => {
  it('calls every required primitive on a plain backend', async () => {
    const { backend, called } = instrument(createCpuBackend());
    const report = await runConformance(backend);
    expect(report.failures).toEqual([]);
    expect(PRIMITIVES.filter((name) => !called.has(name))).toEqual([]);
  });

  it('calls every fused kernel, forward and backward, when a backend provides them', async () => {
    const { backend, called } = instrument(createFusedReferenceBackend());
    const report = await runConformance(backend);
    expect(report.failures).toEqual([]);
    expect(FUSED.filter((name) => !called.has(name))).toEqual([]);
  });

  it('derives the fused list from every FusedKernels key, forward and backward', () => {
    // 7 kernels today; a list that silently came out empty or lost a method would pass vacuously.
    expect(FUSED).toContain('fused.adamw');
    expect(FUSED).toContain('fused.attention.backward');
    for (const name of FUSED.filter((n) => n.endsWith('.forward'))) {
      expect(FUSED).toContain(name.replace(/\.forward$/, '.backward'));
    }
  });
});
