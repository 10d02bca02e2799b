import { createCpuBackend, type Backend, type CpuStorage } from '@wattformer/core';
import { describe, expect, it } from 'vitest';
import { checkGradients } from './finite-difference';
import { createFusedReferenceBackend } from './fused-reference/fused-reference-backend';
import { runConformance, selectCases } from './run-conformance';
import { compare } from './tolerances';

/** The suite is only worth running if it fails on wrong kernels: each test plants one fault. */
describe('the suite catches faulty backends', () => {
  it('flags a primitive that is slightly off, naming the case and element', async () => {
    const cpu = createCpuBackend();
    const faulty: Backend<CpuStorage> = {
      ...cpu,
      name: 'faulty-exp',
      unary: (op, x, size, dtype) => {
        const y = cpu.unary(op, x, size, dtype);
        if (op === 'exp') (y.values as Float32Array)[0]! *= 1.01;
        return y;
      },
    };
    const report = await runConformance(faulty, { only: ['exp', 'add', 'softmax'] });
    const failed = new Set(report.failures.map((r) => `${r.case} ${r.check}`));
    expect(failed.has('exp forward')).toBe(true);
    expect([...failed].some((f) => f.startsWith('softmax'))).toBe(true);
    expect([...failed].some((f) => f.startsWith('add'))).toBe(false);
    expect(report.failures.find((r) => r.case === 'exp')?.message).toMatch(/^worst \[0\] got /);
    expect(report.passed).toBe(false);
  });

  it('flags a fused backward that disagrees, against the oracle and against finite differences', async () => {
    const reference = createFusedReferenceBackend();
    const gelu = reference.fused!.gelu!;
    const faulty: Backend<CpuStorage> = {
      ...reference,
      name: 'faulty-gelu-backward',
      fused: {
        ...reference.fused,
        gelu: {
          forward: gelu.forward,
          backward: (x, dy, size) => {
            const dx = gelu.backward(x, dy, size);
            (dx.values as Float32Array).forEach((v, i, a) => (a[i] = v * 0.98));
            return dx;
          },
        },
      },
    };
    const report = await runConformance(faulty, { only: ['gelu'] });
    expect(report.failures.map((r) => r.check)).toEqual(['gradient']);
    const numeric = await checkGradients(faulty, { only: ['gelu'] });
    expect(numeric.passed).toBe(false);
    expect(numeric.failures[0]?.message).toMatch(/analytic .*, numeric /);
  });

  it('flags a backend that writes garbage for out-of-range ids instead of refusing', async () => {
    const cpu = createCpuBackend();
    const lax: Backend<CpuStorage> = {
      ...cpu,
      name: 'lax-gather',
      gather: (_x, _indices, plan, dtype) => cpu.fill(plan.outer * plan.count * plan.inner, 0, dtype),
    };
    const report = await runConformance(lax, { only: ['embedding/out-of-range-id'] });
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]?.message).toMatch(/expected a WattformerError, got no error/);
  });

  it('reports an op that throws as a failed check instead of aborting the run', async () => {
    const cpu = createCpuBackend();
    const missing: Backend<CpuStorage> = {
      ...cpu,
      name: 'no-pad',
      pad: () => {
        throw new Error('pad is not implemented');
      },
    };
    const report = await runConformance(missing, { only: ['pad', 'neg'] });
    expect(report.failures.map((r) => r.case)).toEqual(['pad']);
    expect(report.failures[0]?.message).toBe('pad is not implemented');
    expect(report.results.some((r) => r.case === 'neg' && r.passed)).toBe(true);
  });
});

describe('compare and case selection', () => {
  it('applies abs + rel·|expected| and treats NaN only as equal to NaN', () => {
    expect(compare([1.0001], [1], { abs: 0, rel: 1e-3 }).passed).toBe(true);
    expect(compare([1.01], [1], { abs: 0, rel: 1e-3 })).toMatchObject({ passed: false, worstIndex: 0 });
    expect(compare([NaN], [NaN], { abs: 0, rel: 0 }).passed).toBe(true);
    expect(compare([NaN], [0], { abs: 1, rel: 1 }).passed).toBe(false);
    expect(compare([1, 2], [1], { abs: 1, rel: 1 }).passed).toBe(false);
  });

  it('selects by exact name or op prefix, and names are unique', () => {
    const names = selectCases().map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(selectCases({ only: ['matmul'] }).every((c) => c.name.startsWith('matmul'))).toBe(true);
    expect(selectCases({ only: ['attention/causal'] }).map((c) => c.name)).toEqual(['attention/causal']);
    expect(selectCases({ skip: ['attention'] }).some((c) => c.op === 'attention')).toBe(false);
  });
});
