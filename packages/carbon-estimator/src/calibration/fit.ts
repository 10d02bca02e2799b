/**
 * Calibrated intervals: the spread of published / estimated figures over the footprint set, as
 * log-ratio residual conformal ends. Two targets per mode: device energy (no PUE), and operational
 * CO2e as the estimator computes it from the place's tables (so grid-intensity and PUE mismatch are
 * inside the residual). An interval `central x [low, high]` built from n exchangeable residuals
 * covers a new exchangeable run with probability >= `guaranteed` (finite-sample, Vovk et al. 2005;
 * Lei et al. 2018); leave-one-out evaluation (scripts/calibrate.ts) says how well that holds.
 */
import type { Spread } from '../interval';
import { accountingInput, co2eComparable, planningInput, publishedCo2eScope, type Footprint } from './footprints';

/** Nominal coverage of calibrated intervals. */
export const CALIBRATED_COVERAGE = 0.8;

export type CalibrationMode = 'projection' | 'accounting';

/**
 * How the ends were chosen: 'two-tailed' order statistics (allows a biased set), 'absolute'
 * (symmetric |residual| quantile: needs fewer runs for the same guarantee), or 'range' (min..max
 * of |residual|: too few runs to guarantee the nominal coverage; `guaranteed` says what it does).
 */
export type ConformalMethod = 'two-tailed' | 'absolute' | 'range';

export interface TargetFit extends Spread {
  /** Runs the spread was fitted on. */
  readonly n: number;
  /** Median of |ln(published / central)|, as a factor (1.3 = the central value is off by 30% at the median). */
  readonly medianErrorFactor: number;
  readonly method: ConformalMethod;
  /** Finite-sample coverage the ends guarantee for a new exchangeable run (>= nominal unless method is 'range'). */
  readonly guaranteed: number;
}

export interface ModeFit extends TargetFit {
  /** The same fitted on operational CO2e from the place's tables (PUE and grid intensity not given). */
  readonly co2e: TargetFit;
}

export interface CalibrationFit {
  readonly coverage: number;
  readonly projection: ModeFit;
  readonly accounting: ModeFit;
  readonly runs: readonly string[];
}

/** Central figures of an estimate: facility and device energy (kWh), facility and device-only operational CO2e (kg). */
export interface CentralEnergy {
  readonly facilityKWh: number;
  readonly devicesKWh: number;
  readonly co2eKg: number;
  readonly dynamicCo2eKg: number;
}

export type CentralFn = (input: ReturnType<typeof planningInput> | NonNullable<ReturnType<typeof accountingInput>>) => CentralEnergy;

/** A run's published device energy (no PUE), kWh: facility energy divided by the PUE the source applied. */
export function publishedDeviceKWh(row: Footprint): number {
  return (row.energyMWh * 1000) / (row.energyScope === 'facility' ? (row.pue ?? 1) : 1);
}

const inputFor = (row: Footprint, mode: CalibrationMode) => (mode === 'projection' ? planningInput(row) : accountingInput(row));

/**
 * ln(published / central) device energy (no PUE) for one run in one mode; undefined when the
 * mode does not apply. PUE is left out on purpose: the published runs all sit in hyperscale or
 * HPC sites (PUE 1.08-1.2), so the PUE of a user's site keeps its own published range.
 */
export function residual(row: Footprint, mode: CalibrationMode, central: CentralFn): number | undefined {
  const input = inputFor(row, mode);
  if (!input) return undefined;
  return Math.log(publishedDeviceKWh(row) / central(input).devicesKWh);
}

/**
 * ln(published / central) operational CO2e, the estimate using the place's table intensity and
 * default PUE (what a user who names only the place gets). Undefined when the mode does not apply
 * or the published figure is not location-based (net of purchased carbon-free energy: another
 * quantity than the one we compute).
 */
export function co2eResidual(row: Footprint, mode: CalibrationMode, central: CentralFn): number | undefined {
  const input = inputFor(row, mode);
  if (!input || !co2eComparable(row)) return undefined;
  const c = central(input);
  return Math.log((row.co2eT * 1000) / (publishedCo2eScope(row) === 'dynamic' ? c.dynamicCo2eKg : c.co2eKg));
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
 * Finite-sample conformal ends of n log residuals for a nominal coverage c.
 *  - two-tailed: the k1 = floor((n + 1)(1 - c)/2)-th and k2 = ceil((n + 1)(1 + c)/2)-th smallest
 *    residuals; a new exchangeable run falls between with probability (k2 - k1)/(n + 1) >= c.
 *    Needs k1 >= 1 and k2 <= n (n >= 19 at c = 0.8).
 *  - absolute: else, +-the k-th smallest |residual| with k = ceil((n + 1)c); probability
 *    k/(n + 1) >= c. Needs k <= n (n >= 4 at c = 0.8).
 *  - range: else, +-max |residual|, probability n/(n + 1) < c.
 */
export function conformalEnds(sorted: readonly number[], coverage: number): { low: number; high: number; method: ConformalMethod; guaranteed: number } {
  const n = sorted.length;
  if (n === 0) return { low: 0, high: 0, method: 'range', guaranteed: 0 };
  const alpha = (1 - coverage) / 2;
  const k1 = Math.floor((n + 1) * alpha);
  const k2 = Math.ceil((n + 1) * (1 - alpha) - 1e-9);
  if (k1 >= 1 && k2 <= n) return { low: sorted[k1 - 1] as number, high: sorted[k2 - 1] as number, method: 'two-tailed', guaranteed: (k2 - k1) / (n + 1) };
  const abs = sorted.map(Math.abs).sort((x, y) => x - y);
  const k = Math.ceil((n + 1) * coverage - 1e-9);
  const q = abs[Math.min(k, n) - 1] as number;
  return { low: -q, high: q, method: k <= n ? 'absolute' : 'range', guaranteed: Math.min(k, n) / (n + 1) };
}

function fitTarget(residuals: readonly number[], coverage: number): TargetFit {
  const sorted = [...residuals].sort((x, y) => x - y);
  const abs = residuals.map(Math.abs).sort((x, y) => x - y);
  const ends = conformalEnds(sorted, coverage);
  // The interval always contains the central value: a biased set widens the near side to 1.
  return {
    low: Math.min(1, Math.exp(ends.low)),
    high: Math.max(1, Math.exp(ends.high)),
    n: sorted.length,
    medianErrorFactor: Math.exp(quantile(abs, 0.5)),
    method: ends.method,
    guaranteed: ends.guaranteed,
  };
}

const collect = (rows: readonly Footprint[], f: (row: Footprint) => number | undefined) => rows.flatMap((row) => {
  const r = f(row);
  return r === undefined ? [] : [r];
});

/** Fits both modes' spreads (device energy and CO2e) on `rows` (all of them, or all but one for leave-one-out). */
export function fitCalibration(rows: readonly Footprint[], central: CentralFn, coverage = CALIBRATED_COVERAGE): CalibrationFit {
  const mode = (m: CalibrationMode): ModeFit => ({
    ...fitTarget(collect(rows, (row) => residual(row, m, central)), coverage),
    co2e: fitTarget(collect(rows, (row) => co2eResidual(row, m, central)), coverage),
  });
  return { coverage, projection: mode('projection'), accounting: mode('accounting'), runs: rows.map((r) => r.id) };
}
