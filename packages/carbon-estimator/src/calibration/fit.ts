/**
 * Calibrated intervals: the spread of published / estimated figures over the footprint set, as
 * log-ratio residual conformal ends. Two targets per mode: device energy (no PUE), and operational
 * CO2e as the estimator computes it from the place's tables (so grid-intensity and PUE mismatch are
 * inside the residual). An interval `central x [low, high]` built from n exchangeable residuals
 * covers a new exchangeable run with probability >= `guaranteed` (finite-sample, Vovk et al. 2005;
 * Lei et al. 2018); leave-one-out evaluation (scripts/calibrate.ts) says how well that holds.
 */
import { WHOLE_RUN_MFU } from '../data/utilisation';
import type { AcceleratorSpec } from '../data/accelerators';
import { peakFlopsFor, resolveHardware } from '../hardware';
import type { Spread } from '../interval';
import { accountingInput, co2eComparable, planningInput, publishedCo2eScope, type Footprint } from './footprints';

/** Nominal coverage of calibrated intervals. */
export const CALIBRATED_COVERAGE = 0.8;

/** Which inputs a calibration applies to: `projection` (planning: compute, hardware, place) or `accounting` (measured device-hours and power). */
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
  /** The same fitted on operational CO2e with the run's reported grid intensity given and PUE not (the place's default PUE). */
  readonly co2eGivenIntensity: TargetFit;
  /** Projection mode only: the fitted whole-run MFU centre (a function of the hardware's peak and family). */
  readonly mfu?: MfuModel;
}

/**
 * Which function of the run the projection's MFU centre is: 'constant' (one MFU for every run),
 * 'peak' (ln MFU linear in ln of the device's dense bf16 peak: faster chips are harder to keep
 * busy, e.g. Llama 3 8B ran at ~15% MFU on H100 where Llama 2 7B reached ~39% on A100), or
 * 'family' (the peak term plus a TPU-family offset: the TPU rows' typical power is measured system
 * draw incl. host and their compiler stack keeps chips busier, while GPU rows are power-rated at
 * TDP; one shared peak slope cannot carry both families, carbon-reference.md §3.1, §3.4), or
 * 'family-size' (also ln parameters and ln parameters x ln peak: small models keep fast chips less
 * busy; parameters unknown count as 10B), or 'saturating' (MFU = m / (1 + e^h x peak / params)^s
 * with a TPU-family offset on m: per-device overhead that does not shrink with the model is a
 * larger share of a step when parameters per TFLOP/s are few; flat for large models; the knee h is
 * chosen by profile least squares on a grid, refitted with the weights), or 'family-params' (the
 * 'family' terms plus ln parameters, no interaction and no plateau: printed beside 'saturating' for
 * comparison, added after its result). npm run calibrate prints
 * every function's held-out figures.
 */
export type MfuFeatures = 'constant' | 'peak' | 'family' | 'family-size' | 'family-params' | 'saturating';

/** The MFU function the estimator uses ('saturating' since it beat 'family' held out on the complete set; npm run calibrate prints every other function for comparison). */
export const MFU_FEATURES: MfuFeatures = 'saturating';

/** What the MFU centre is a function of for one run: the device's dense bf16 peak (FLOP/s), whether it is a TPU, and the model's (active) parameters when known. */
export interface MfuDevice {
  readonly peakFlops: number;
  readonly tpu: boolean;
  readonly params?: number;
}

/**
 * Fitted MFU centre: MFU = reference x exp(-(w . x)), x = [1, ln(peak / 100 TFLOP/s) [, TPU, ...]]
 * or, for 'saturating', x = [1, TPU, ln(1 + e^knee x peak[TFLOP/s] / params)].
 */
export interface MfuModel {
  readonly features: MfuFeatures;
  /** 'saturating' only: ln(params per TFLOP/s) below which the MFU falls (chosen by profile least squares). */
  readonly knee?: number;
  /** Least-squares weights on ln(published / reference-central) device energy. */
  readonly weights: readonly number[];
  /** The unfitted reference MFU the weights are relative to (data/utilisation.ts). */
  readonly reference: number;
  readonly n: number;
}

const PEAK_UNIT = 1e14;
const PARAMS_UNIT = 1e10;

/** Grid of knees (ln params per TFLOP/s) for 'saturating': 20M params on 1,000 TFLOP/s is ~10, 540B on 275 is ~21.5. */
const KNEES = Array.from({ length: 81 }, (_, i) => 5 + i * 0.25);

function featureVector(features: MfuFeatures, device: MfuDevice, knee = 0): number[] {
  const peak = Math.log(device.peakFlops / PEAK_UNIT);
  if (features === 'constant') return [1];
  if (features === 'saturating') {
    const params = device.params !== undefined && device.params > 0 ? device.params : PARAMS_UNIT;
    const z = knee - Math.log(params / (device.peakFlops / 1e12));
    // ln(1 + e^z), stable for large z.
    return [1, device.tpu ? 1 : 0, z > 30 ? z : Math.log1p(Math.exp(z))];
  }
  if (features === 'peak') return [1, peak];
  const family = [1, peak, device.tpu ? 1 : 0];
  if (features === 'family') return family;
  const size = device.params !== undefined && device.params > 0 ? Math.log(device.params / PARAMS_UNIT) : 0;
  if (features === 'family-params') return [...family, size];
  return [...family, size, size * peak];
}

/** The MFU centre a fitted model gives for a device (dense bf16 peak FLOP/s, TPU or not). */
export function fittedMfu(model: MfuModel, device: MfuDevice): number {
  const x = featureVector(model.features, device, model.knee);
  return model.reference * Math.exp(-x.reduce((a, v, i) => a + v * (model.weights[i] ?? 0), 0));
}

/** A row's (or input's) model features: the dense bf16 peak of its hardware and its family. */
export function mfuDeviceOf(hardware: string | AcceleratorSpec): MfuDevice {
  const device = typeof hardware === 'string' ? resolveHardware(hardware) : hardware;
  return { peakFlops: peakFlopsFor(device, 'bf16')?.flops ?? PEAK_UNIT, tpu: device.kind === 'tpu' };
}

/** A row's dense bf16 peak (FLOP/s). */
export function peakOfHardware(hardware: string): number {
  return mfuDeviceOf(hardware).peakFlops;
}

/** Ordinary least squares by the normal equations (p <= 5: tiny). */
function leastSquares(xs: readonly number[][], ys: readonly number[]): number[] {
  const p = xs[0]?.length ?? 1;
  if (xs.length < p) return new Array<number>(p).fill(0).map((_, i) => (i === 0 && ys.length > 0 ? ys.reduce((a, b) => a + b, 0) / ys.length : 0));
  const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  xs.forEach((x, r) => {
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) (a[i] as number[])[j] = ((a[i] as number[])[j] as number) + (x[i] as number) * (x[j] as number);
      (a[i] as number[])[p] = ((a[i] as number[])[p] as number) + (x[i] as number) * (ys[r] as number);
    }
  });
  for (let k = 0; k < p; k++) {
    const pivot = (a[k] as number[])[k] as number;
    if (Math.abs(pivot) < 1e-12)
      return leastSquares(
        xs.map((x) => [x[0] as number]),
        ys,
      ).concat(new Array<number>(p - 1).fill(0));
    for (let i = 0; i < p; i++) {
      if (i === k) continue;
      const f = ((a[i] as number[])[k] as number) / pivot;
      for (let j = k; j <= p; j++) (a[i] as number[])[j] = ((a[i] as number[])[j] as number) - f * ((a[k] as number[])[j] as number);
    }
  }
  return Array.from({ length: p }, (_, i) => ((a[i] as number[])[p] as number) / ((a[i] as number[])[i] as number));
}

interface ProjectionPoint {
  readonly id: string;
  readonly device: MfuDevice;
  readonly energy: number;
  readonly co2e: number | undefined;
  readonly co2eGivenIntensity: number | undefined;
}

function fitMfu(points: readonly ProjectionPoint[], features: MfuFeatures): MfuModel {
  const ys = points.map((p) => p.energy);
  const fitAt = (knee: number) => {
    const xs = points.map((p) => featureVector(features, p.device, knee));
    const weights = leastSquares(xs, ys);
    const sse = xs.reduce((a, x, r) => a + ((ys[r] as number) - x.reduce((b, v, i) => b + v * (weights[i] ?? 0), 0)) ** 2, 0);
    return { weights, sse, knee };
  };
  if (features !== 'saturating') return { features, weights: fitAt(0).weights, reference: WHOLE_RUN_MFU.value, n: points.length };
  // Profile least squares over the knee: the first grid point with the smallest squared error.
  const best = KNEES.map(fitAt).reduce((a, b) => (b.sse < a.sse - 1e-12 ? b : a));
  return { features, weights: best.weights, knee: best.knee, reference: WHOLE_RUN_MFU.value, n: points.length };
}

const predict = (model: MfuModel, device: MfuDevice) =>
  featureVector(model.features, device, model.knee).reduce((a, v, i) => a + v * (model.weights[i] ?? 0), 0);

/** A calibration fitted on a set of published runs: the nominal coverage and, per mode, the interval ends (and the fitted MFU centre for projections). */
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

export type CentralFn = (input: (ReturnType<typeof planningInput> | NonNullable<ReturnType<typeof accountingInput>>) & { intensity?: number }) => CentralEnergy;

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

/**
 * ln(published / central) operational CO2e with the grid intensity the source reports given (what
 * `--intensity` does) and PUE left to the place's default: the estimator's own error with the grid
 * known (device energy and PUE mismatch). Undefined where the mode does not apply, the source
 * states no intensity, its CO2e is not location-based, or it covers the devices only (no PUE).
 */
export function co2eGivenIntensityResidual(row: Footprint, mode: CalibrationMode, central: CentralFn): number | undefined {
  const input = inputFor(row, mode);
  // Device-only published figures (BLOOM, Gopher) hold no PUE, so no PUE mismatch: with the
  // intensity given their CO2e interval is the device-energy one, and they are left out of this fit.
  if (!input || !co2eComparable(row) || row.intensity === null || publishedCo2eScope(row) === 'dynamic') return undefined;
  const c = central({ ...input, intensity: row.intensity });
  return Math.log((row.co2eT * 1000) / c.co2eKg);
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

const collect = (rows: readonly Footprint[], f: (row: Footprint) => number | undefined) =>
  rows.flatMap((row) => {
    const r = f(row);
    return r === undefined ? [] : [r];
  });

/**
 * Projection mode: fits the MFU centre on `rows`, then the spread of each run's residual against
 * the centre fitted WITHOUT that run (jackknife residuals), so the ends reflect how far a new run
 * falls from a centre it did not shape. `central` must be the unfitted reference estimate.
 */
function fitProjection(rows: readonly Footprint[], central: CentralFn, coverage: number, features: MfuFeatures): ModeFit {
  const points: ProjectionPoint[] = rows.flatMap((row) => {
    const energy = residual(row, 'projection', central);
    return energy === undefined
      ? []
      : [
          {
            id: row.id,
            device: { ...mfuDeviceOf(row.hardware), ...(row.params !== null ? { params: row.params } : {}) },
            energy,
            co2e: co2eResidual(row, 'projection', central),
            co2eGivenIntensity: co2eGivenIntensityResidual(row, 'projection', central),
          },
        ];
  });
  const model = fitMfu(points, features);
  const energy: number[] = [];
  const co2e: number[] = [];
  const known: number[] = [];
  for (const p of points) {
    const without = fitMfu(
      points.filter((q) => q.id !== p.id),
      features,
    );
    const offset = predict(without, p.device);
    energy.push(p.energy - offset);
    if (p.co2e !== undefined) co2e.push(p.co2e - offset);
    if (p.co2eGivenIntensity !== undefined) known.push(p.co2eGivenIntensity - offset);
  }
  return { ...fitTarget(energy, coverage), co2e: fitTarget(co2e, coverage), co2eGivenIntensity: fitTarget(known, coverage), mfu: model };
}

/**
 * Fits both modes' spreads (device energy and CO2e) on `rows` (all of them, or all but one for
 * leave-one-out); in projection mode also the MFU centre (`features`: what it is a function of).
 */
export function fitCalibration(
  rows: readonly Footprint[],
  central: CentralFn,
  coverage = CALIBRATED_COVERAGE,
  features: MfuFeatures = MFU_FEATURES,
): CalibrationFit {
  const accounting: ModeFit = {
    ...fitTarget(
      collect(rows, (row) => residual(row, 'accounting', central)),
      coverage,
    ),
    co2e: fitTarget(
      collect(rows, (row) => co2eResidual(row, 'accounting', central)),
      coverage,
    ),
    co2eGivenIntensity: fitTarget(
      collect(rows, (row) => co2eGivenIntensityResidual(row, 'accounting', central)),
      coverage,
    ),
  };
  return { coverage, projection: fitProjection(rows, central, coverage, features), accounting, runs: rows.map((r) => r.id) };
}
