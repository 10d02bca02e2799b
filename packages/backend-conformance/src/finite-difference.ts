import { createCpuBackend, type Backend } from '@wattformer/core';
import type { OpCase } from './cases/op-case';
import { caseInputs, evaluate, lossAt } from './evaluate';
import { isDifferentiable } from './inputs';
import { makeReport, type CheckResult, type ConformanceReport } from './report';
import { isSelected, selectCases, type ConformanceOptions } from './run-conformance';
import { compare, FINITE_DIFFERENCE, type Tolerance } from './tolerances';

export interface GradientCheckOptions extends Pick<ConformanceOptions, 'only' | 'skip'> {
  /** Central-difference step h (default 1e-2: large enough to beat f32 rounding in the loss). */
  readonly step?: number;
  readonly tolerance?: Tolerance;
  /** Elements checked per input; evenly spaced when the input is larger (default 16). */
  readonly maxElements?: number;
}

function sampleIndices(size: number, maxElements: number): number[] {
  if (size <= maxElements) return Array.from({ length: size }, (_, i) => i);
  const stride = size / maxElements;
  return Array.from({ length: maxElements }, (_, i) => Math.floor(i * stride + stride / 2));
}

async function checkCase(opCase: OpCase, backend: Backend, options: GradientCheckOptions): Promise<CheckResult[]> {
  const h = options.step ?? FINITE_DIFFERENCE.step;
  const tolerance = options.tolerance ?? FINITE_DIFFERENCE.tolerance;
  const hostInputs = caseInputs(opCase);
  const analytic = await evaluate(opCase, backend, hostInputs);
  const results: CheckResult[] = [];
  for (let i = 0; i < opCase.inputs.length; i++) {
    const spec = opCase.inputs[i]!;
    const grad = analytic.grads[i];
    if (!isDifferentiable(spec) || grad === null || grad === undefined) continue;
    const indices = sampleIndices(grad.length, options.maxElements ?? 16);
    const numeric: number[] = [];
    for (const j of indices) {
      const shifted = (delta: number): (Float32Array | Int32Array)[] =>
        hostInputs.map((values, k) => {
          if (k !== i) return values;
          const copy = Float32Array.from(values);
          copy[j] = copy[j]! + delta;
          return copy;
        });
      const plus = await lossAt(opCase, backend, shifted(h));
      const minus = await lossAt(opCase, backend, shifted(-h));
      numeric.push((plus - minus) / (2 * h));
    }
    const picked = indices.map((j) => grad[j]!);
    const c = compare(picked, numeric, tolerance);
    const worst = c.worstIndex >= 0 ? indices[c.worstIndex]! : -1;
    results.push({
      case: opCase.name,
      op: opCase.op,
      check: 'finite-difference',
      input: spec.name,
      passed: c.passed,
      tolerance: 'finite-difference',
      maxAbsError: c.maxAbsError,
      maxRelError: c.maxRelError,
      worstIndex: worst,
      ...(c.passed ? {} : { message: `element ${worst}: analytic ${picked[c.worstIndex]}, numeric ${numeric[c.worstIndex]}` }),
    });
  }
  return results;
}

/**
 * Finite-difference gradient checks: for every differentiable case, d L / d input from autograd
 * against (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h on sampled elements, computed on `backend` itself
 * (cpu by default). Unlike the oracle comparison this proves the gradients, not just agreement.
 */
export async function checkGradients(backend: Backend = createCpuBackend(), options: GradientCheckOptions = {}): Promise<ConformanceReport> {
  const results: CheckResult[] = [];
  for (const opCase of selectCases(options).filter((c) => c.gradient !== false && isSelected(c.name, options))) {
    try {
      results.push(...(await checkCase(opCase, backend, options)));
    } catch (error) {
      results.push({
        case: opCase.name,
        op: opCase.op,
        check: 'finite-difference',
        passed: false,
        tolerance: 'finite-difference',
        maxAbsError: Infinity,
        maxRelError: Infinity,
        worstIndex: -1,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return makeReport(backend.name, 'finite differences', results);
}
