/**
 * Calibrated intervals: the spread of published / estimated device energy over the footprint set,
 * as log-ratio residual quantiles. An interval `central x [low, high]` with low and high at the
 * split-conformal (1 - c)/2 and (1 + c)/2 order statistics of the residuals covers a share >= c
 * of runs exchangeable with those in the set; leave-one-out evaluation (scripts/calibrate.ts) says how well that holds for a run the fit
 * has not seen.
 */
import type { Spread } from '../interval';
import { accountingInput, planningInput, type Footprint } from './footprints';

/** Nominal coverage of calibrated intervals. */
export const CALIBRATED_COVERAGE = 0.8;

/**
 * Which inputs a calibration applies to: `projection` (planning: compute, hardware, place) or `accounting` (measured device-hours and power).
 */
export type CalibrationMode = 'projection' | 'accounting';

export interface ModeFit extends Spread {
  /** Runs the spread was fitted on. */
  readonly n: number;
  /** Median of |ln(published / central)|, as a factor (1.3 = the central value is off by 30% at the median). */
  readonly medianErrorFactor: number;
}

/**
 * The calibrated spreads of both modes (projection, accounting), fitted on published training runs at one coverage.
 */
export interface CalibrationFit {
  readonly coverage: number;
  readonly projection: ModeFit;
  readonly accounting: ModeFit;
  readonly runs: readonly string[];
}

/** Central energies of an estimate, in kWh: facility (PUE applied) and devices (no PUE). */
export interface CentralEnergy {
  readonly facilityKWh: number;
  readonly devicesKWh: number;
}

export type CentralFn = (input: ReturnType<typeof planningInput> | NonNullable<ReturnType<typeof accountingInput>>) => CentralEnergy;

/** A run's published device energy (no PUE), kWh: facility energy divided by the PUE the source applied. */
export function publishedDeviceKWh(row: Footprint): number {
  return (row.energyMWh * 1000) / (row.energyScope === 'facility' ? (row.pue ?? 1) : 1);
}

/**
 * ln(published / central) device energy (no PUE) for one run in one mode; undefined when the
 * mode does not apply. PUE is left out on purpose: the published runs all sit in hyperscale or
 * HPC sites (PUE 1.08-1.2), so the PUE of a user's site keeps its own published range.
 */
export function residual(row: Footprint, mode: CalibrationMode, central: CentralFn): number | undefined {
  const input = mode === 'projection' ? planningInput(row) : accountingInput(row);
  if (!input) return undefined;
  return Math.log(publishedDeviceKWh(row) / central(input).devicesKWh);
}

/** Linear-interpolation quantile (R type 7) of sorted values. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/**
 * Split-conformal ends: with n residuals and tails of (1 - c)/2 each, the lower end is the
 * floor((n + 1)(1 - c)/2)-th smallest residual and the upper end the ceil((n + 1)(1 + c)/2)-th,
 * which covers a new exchangeable run with probability >= c (Vovk et al. 2005; Lei et al. 2018),
 * where plain sample quantiles fall short for small n.
 */
export function conformalEnds(sorted: readonly number[], coverage: number): { low: number; high: number } {
  const n = sorted.length;
  if (n === 0) return { low: 0, high: 0 };
  const alpha = (1 - coverage) / 2;
  const lo = Math.min(n, Math.max(1, Math.floor((n + 1) * alpha)));
  const hi = Math.max(1, Math.min(n, Math.ceil((n + 1) * (1 - alpha))));
  return { low: sorted[lo - 1] as number, high: sorted[hi - 1] as number };
}

function fitMode(residuals: readonly number[], coverage: number): ModeFit {
  const sorted = [...residuals].sort((x, y) => x - y);
  const abs = residuals.map(Math.abs).sort((x, y) => x - y);
  const ends = conformalEnds(sorted, coverage);
  // The interval always contains the central value: a biased set widens the near side to 1.
  return {
    low: Math.min(1, Math.exp(ends.low)),
    high: Math.max(1, Math.exp(ends.high)),
    n: sorted.length,
    medianErrorFactor: Math.exp(quantile(abs, 0.5)),
  };
}

/** Fits both modes' spreads on `rows` (all of them, or all but one for leave-one-out). */
export function fitCalibration(rows: readonly Footprint[], central: CentralFn, coverage = CALIBRATED_COVERAGE): CalibrationFit {
  const of = (mode: CalibrationMode) => rows.flatMap((row) => {
    const r = residual(row, mode, central);
    return r === undefined ? [] : [r];
  });
  return { coverage, projection: fitMode(of('projection'), coverage), accounting: fitMode(of('accounting'), coverage), runs: rows.map((r) => r.id) };
}
