import type { Backend } from '@wattformer/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, type GradientCheckOptions } from './finite-difference';
import { runLeakCheck } from './leak-check';
import { REFUSAL_NAMES } from './refusals';
import { formatReport, type CheckResult, type ConformanceReport } from './report';
import { isSelected, runConformance, selectCases, type ConformanceOptions } from './run-conformance';

const explain = (results: readonly CheckResult[]): string =>
  results.map((r) => `${r.check}${r.input ? `(${r.input})` : ''}: ${r.message ?? 'failed'}`).join('\n');

/**
 * Registers one vitest test per case: `describeConformance('wasm', () => createWasmBackend())`
 * in a backend's own test file. The suite runs once (beforeAll); each test reports its case.
 */
export function describeConformance(
  name: string,
  createBackend: () => Backend | Promise<Backend>,
  options: ConformanceOptions & { timeoutMs?: number } = {},
): void {
  describe(`conformance: ${name}`, () => {
    let report: ConformanceReport | null = null;
    beforeAll(async () => {
      report = await runConformance(await createBackend(), options);
      if (!report.passed) console.error(formatReport(report));
    }, options.timeoutMs ?? 120_000);
    const names = [...selectCases(options).map((c) => c.name), ...REFUSAL_NAMES.filter((n) => isSelected(n, options))];
    for (const caseName of names) {
      it(caseName, () => {
        const results = report!.results.filter((r) => r.case === caseName);
        expect(results.length).toBeGreaterThan(0);
        const failed = results.filter((r) => !r.passed);
        expect(failed, explain(failed)).toEqual([]);
      });
    }
  });
}

/** One vitest test per differentiable case: autograd against central finite differences. */
export function describeGradientChecks(
  name: string,
  createBackend: () => Backend | Promise<Backend>,
  options: GradientCheckOptions & { timeoutMs?: number } = {},
): void {
  describe(`finite-difference gradients: ${name}`, () => {
    let report: ConformanceReport | null = null;
    beforeAll(async () => {
      report = await checkGradients(await createBackend(), options);
      if (!report.passed) console.error(formatReport(report));
    }, options.timeoutMs ?? 120_000);
    for (const opCase of selectCases(options).filter((c) => c.gradient !== false)) {
      it(opCase.name, () => {
        const results = report!.results.filter((r) => r.case === opCase.name);
        expect(results.length).toBeGreaterThan(0);
        const failed = results.filter((r) => !r.passed);
        expect(failed, explain(failed)).toEqual([]);
      });
    }
  });
}

/**
 * The leak test on `createBackend()`: 1,000 training steps of a tiny attention block; live
 * tensors and backend bytes flat from step 1, the loss falling. `probe` (optional) samples
 * backend-specific figures (WebAssembly memory size, pooled GPU buffers), which must stay flat too.
 */
export function describeLeakCheck(
  name: string,
  createBackend: () => Backend | Promise<Backend>,
  options: { steps?: number; probe?: () => unknown; timeoutMs?: number } = {},
): void {
  describe(`memory over ${options.steps ?? 1000} training steps: ${name}`, () => {
    it('keeps live tensors and backend bytes flat', { timeout: options.timeoutMs ?? 120_000 }, async () => {
      const backend = await createBackend();
      const probes: string[] = [];
      const { losses, snapshots } = await runLeakCheck(
        backend,
        options.steps ?? 1000,
        options.probe ? () => probes.push(JSON.stringify(options.probe!())) : undefined,
      );
      const first = snapshots[0]!;
      expect(snapshots.every((s) => s.liveTensors === first.liveTensors && s.backendBytes === first.backendBytes)).toBe(true);
      expect(snapshots[snapshots.length - 1]).toEqual(first);
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.5);
      expect(losses.every(Number.isFinite)).toBe(true);
      if (options.probe) expect(new Set(probes.slice(1)).size, `probe values ${[...new Set(probes)].join(', ')}`).toBe(1);
    });
  });
}
