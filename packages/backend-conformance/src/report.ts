import type { ToleranceName } from './tolerances';

export type CheckKind = 'forward' | 'gradient' | 'finite-difference' | 'refusal';

export interface CheckResult {
  /** The case name, e.g. `matmul/transposeA`. */
  readonly case: string;
  readonly op: string;
  readonly check: CheckKind;
  /** For gradient checks: the input differentiated. */
  readonly input?: string;
  readonly passed: boolean;
  readonly tolerance: ToleranceName | 'finite-difference' | 'none';
  readonly maxAbsError: number;
  readonly maxRelError: number;
  /** Flat index of the worst element, -1 when not applicable. */
  readonly worstIndex: number;
  /** Why it failed (an exception, a length mismatch, the worst element's values). */
  readonly message?: string;
}

export interface ConformanceReport {
  readonly backend: string;
  readonly oracle: string;
  readonly passed: boolean;
  readonly results: readonly CheckResult[];
  readonly failures: readonly CheckResult[];
}

export function makeReport(backend: string, oracle: string, results: readonly CheckResult[]): ConformanceReport {
  const failures = results.filter((r) => !r.passed);
  return { backend, oracle, passed: failures.length === 0, results, failures };
}

/** One line per result (failures first), for test output and CI logs. */
export function formatReport(report: ConformanceReport): string {
  const line = (r: CheckResult): string =>
    `${r.passed ? 'ok  ' : 'FAIL'} ${r.case} ${r.check}${r.input ? `(${r.input})` : ''} ` +
    `abs ${r.maxAbsError.toExponential(2)} rel ${r.maxRelError.toExponential(2)} [${r.tolerance}]` +
    (r.message ? ` — ${r.message}` : '');
  const header = `${report.backend} vs ${report.oracle}: ${report.results.length - report.failures.length}/${report.results.length} checks passed`;
  return [header, ...report.failures.map(line), ...report.results.filter((r) => r.passed).map(line)].join('\n');
}
