import { createCpuBackend, type Backend } from '@wattformer/core';
import { ALL_CASES } from './cases/all-cases';
import type { OpCase } from './cases/op-case';
import { caseInputs, evaluate } from './evaluate';
import { runRefusals } from './refusals';
import { makeReport, type CheckResult, type ConformanceReport } from './report';
import { compare, TOLERANCES, type ToleranceBudget, type ToleranceName } from './tolerances';

export interface ConformanceOptions {
  /** The reference; a fresh cpu backend by default. */
  readonly oracle?: Backend;
  /** Override named tolerances (e.g. looser `matmul` for a GPU using f16 accumulation). */
  readonly tolerances?: Partial<Record<ToleranceName, ToleranceBudget>>;
  /** Run only cases whose name matches (exact name, or `op` prefix before `/`). */
  readonly only?: readonly string[];
  /** Skip these cases (same matching), e.g. while a kernel is being written. */
  readonly skip?: readonly string[];
}

/** Whether a case or refusal name is selected: `only`/`skip` hold exact names or op prefixes. */
export function isSelected(name: string, options: Pick<ConformanceOptions, 'only' | 'skip'> = {}): boolean {
  const matches = (patterns: readonly string[]): boolean => patterns.some((p) => p === name || name.split('/')[0] === p);
  return (options.only === undefined || matches(options.only)) && !matches(options.skip ?? []);
}

export function selectCases(options: Pick<ConformanceOptions, 'only' | 'skip'> = {}): OpCase[] {
  return ALL_CASES.filter((c) => isSelected(c.name, options));
}

function failure(opCase: OpCase, check: CheckResult['check'], error: unknown, input?: string): CheckResult {
  return {
    case: opCase.name,
    op: opCase.op,
    check,
    ...(input ? { input } : {}),
    passed: false,
    tolerance: opCase.tolerance,
    maxAbsError: Infinity,
    maxRelError: Infinity,
    worstIndex: -1,
    message: error instanceof Error ? error.message : String(error),
  };
}

/**
 * Checks every op's forward value and gradient on `backend` against the oracle (cpu), using the
 * case's named tolerance, plus the refusal checks (bad input throws, leaves no state). Never
 * throws for a failing op: each check is a result, so one broken kernel does not hide the rest.
 */
export async function runConformance(backend: Backend, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const oracle = options.oracle ?? createCpuBackend();
  const budgets = { ...TOLERANCES, ...options.tolerances };
  const results: CheckResult[] = [];
  for (const opCase of selectCases(options)) {
    const hostInputs = caseInputs(opCase);
    const budget = budgets[opCase.tolerance];
    let expected;
    let actual;
    try {
      expected = await evaluate(opCase, oracle, hostInputs);
    } catch (error) {
      results.push(failure(opCase, 'forward', new Error(`oracle failed: ${String(error)}`)));
      continue;
    }
    try {
      actual = await evaluate(opCase, backend, hostInputs);
    } catch (error) {
      results.push(failure(opCase, 'forward', error));
      continue;
    }
    const record = (check: 'forward' | 'gradient', got: ArrayLike<number>, want: ArrayLike<number>, input?: string): void => {
      const tolerance = check === 'forward' ? budget.forward : budget.gradient;
      const c = compare(got, want, tolerance);
      const worst = c.worstIndex >= 0 ? `worst [${c.worstIndex}] got ${got[c.worstIndex]}, expected ${want[c.worstIndex]}` : 'length mismatch';
      results.push({
        case: opCase.name,
        op: opCase.op,
        check,
        ...(input ? { input } : {}),
        passed: c.passed,
        tolerance: opCase.tolerance,
        maxAbsError: c.maxAbsError,
        maxRelError: c.maxRelError,
        worstIndex: c.worstIndex,
        ...(c.passed ? {} : { message: worst }),
      });
    };
    record('forward', actual.output, expected.output);
    expected.grads.forEach((want, i) => {
      const got = actual.grads[i];
      if (want === null) return;
      const name = opCase.inputs[i]!.name;
      if (got === null || got === undefined) results.push(failure(opCase, 'gradient', new Error('no gradient'), name));
      else record('gradient', got, want, name);
    });
  }
  results.push(...(await runRefusals(backend, (name) => isSelected(name, options))));
  return makeReport(backend.name, oracle.name, results);
}
