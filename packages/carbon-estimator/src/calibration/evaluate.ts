/**
 * Leave-one-out evaluation of the calibrated intervals: each run's interval comes from a fit on
 * every other run, then we check whether the published figure falls inside it.
 */
import { centralEnergy, estimateWithCalibration } from '../projection';
import {
  CALIBRATED_COVERAGE,
  fitCalibration,
  MFU_FEATURES,
  publishedDeviceKWh,
  quantile,
  type CalibrationMode,
  type ConformalMethod,
  type MfuFeatures,
} from './fit';
import { accountingInput, co2eComparable, planningInput, publishedCo2eScope, type Footprint } from './footprints';

/** One published run held out: its published figures, the interval fitted without it, and whether the figures fall inside. */
export interface LooRun {
  readonly id: string;
  readonly mode: CalibrationMode;
  /** Published device energy (no PUE), kWh, and the held-out interval for it. */
  readonly publishedKWh: number;
  readonly centralKWh: number;
  readonly lowKWh: number;
  readonly highKWh: number;
  readonly covered: boolean;
  /** Published operational CO2e, kg, and the held-out interval of the estimate from the place's tables. */
  readonly publishedCo2eKg: number;
  readonly co2eKg: number;
  readonly co2eLowKg: number;
  readonly co2eHighKg: number;
  readonly co2eCovered: boolean;
  /** False where the published CO2e is not location-based (net of purchased clean energy): left out of the CO2e fit and summary. */
  readonly co2eComparable: boolean;
  /**
   * The same run estimated with the grid intensity the source reports passed as `intensity` (what
   * `--region <place> --intensity <g>` gives: the place still supplies the default PUE range).
   * Null where the source states no intensity or its CO2e is not location-based.
   */
  readonly givenIntensity: {
    readonly intensity: number;
    readonly co2eKg: number;
    readonly co2eLowKg: number;
    readonly co2eHighKg: number;
    readonly covered: boolean;
  } | null;
  /**
   * The same run with the grid intensity AND the PUE its source reports both given (what
   * `--intensity <g> --pue <p>` gives: the site described, only device energy left to estimate).
   * The interval is the held-out device-energy spread (no CO2e-specific fit applies). Null where
   * the source states no intensity, its CO2e is not location-based, or its facility CO2e has no
   * stated PUE.
   */
  readonly givenSite: {
    readonly intensity: number;
    readonly pue: number | null;
    readonly co2eKg: number;
    readonly co2eLowKg: number;
    readonly co2eHighKg: number;
    readonly covered: boolean;
  } | null;
}

/** Leave-one-out results of one mode over the whole set: coverage, median width and median error, for device energy and for CO2e. */
export interface LooSummary {
  readonly mode: CalibrationMode;
  readonly runs: number;
  readonly nominalCoverage: number;
  /** Share of runs whose published device energy lies in their held-out interval. */
  readonly coverage: number;
  /** Median of high / low of the held-out device-energy intervals. */
  readonly medianWidth: number;
  /** Median |ln(published / central)| as a factor: 1.25 = off by 25% at the median. */
  readonly medianErrorFactor: number;
  /** How the held-out device-energy ends were chosen, and the smallest finite-sample guarantee among the held-out fits. */
  readonly method: ConformalMethod;
  readonly guaranteed: number;
  /** The same for operational CO2e from the place's tables, over runs with a location-based published figure. */
  readonly co2eRuns: number;
  readonly co2eCoverage: number;
  readonly co2eMedianWidth: number;
  readonly co2eMedianErrorFactor: number;
  readonly co2eMethod: ConformalMethod;
  readonly co2eGuaranteed: number;
  /**
   * The same for CO2e when the user gives the run's reported grid intensity (and no PUE): over runs
   * whose source states one (location-based). The interval is the held-out conformal spread of that
   * residual (device energy and PUE mismatch: the estimator's own uncertainty with the grid known).
   */
  readonly givenIntensityRuns: number;
  readonly givenIntensityCoverage: number;
  readonly givenIntensityMedianWidth: number;
  readonly givenIntensityMedianErrorFactor: number;
  readonly givenIntensityMethod: ConformalMethod;
  readonly givenIntensityGuaranteed: number;
  /** The same for CO2e when the user gives the run's reported grid intensity and PUE (the site described): the device-energy interval carried through exact factors. */
  readonly givenSiteRuns: number;
  readonly givenSiteCoverage: number;
  readonly givenSiteMedianWidth: number;
  readonly givenSiteMedianErrorFactor: number;
}

const median = (xs: readonly number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
const inside = (x: number, low: number, high: number) => x >= low * (1 - 1e-9) && x <= high * (1 + 1e-9);

/**
 * Leave-one-out evaluation of the calibrated intervals in one mode: for each run, fits the
 * calibration on every other run and checks whether the run's published energy and CO2e fall
 * inside the held-out interval. Returns the per-run results and their summary.
 */
export function leaveOneOut(
  rows: readonly Footprint[],
  mode: CalibrationMode,
  coverage = CALIBRATED_COVERAGE,
  features: MfuFeatures = MFU_FEATURES,
): { summary: LooSummary; runs: LooRun[] } {
  const runs: LooRun[] = [];
  const methods: ConformalMethod[] = [];
  const co2eMethods: ConformalMethod[] = [];
  const knownMethods: ConformalMethod[] = [];
  let knownGuaranteed = 1;
  let guaranteed = 1;
  let co2eGuaranteed = 1;
  for (const row of rows) {
    const input = mode === 'projection' ? planningInput(row) : accountingInput(row);
    if (!input) continue;
    const fit = fitCalibration(
      rows.filter((r) => r.id !== row.id),
      centralEnergy,
      coverage,
      features,
    );
    const spread = fit[mode];
    methods.push(spread.method);
    guaranteed = Math.min(guaranteed, spread.guaranteed);
    const comparable = co2eComparable(row);
    if (comparable) {
      co2eMethods.push(spread.co2e.method);
      co2eGuaranteed = Math.min(co2eGuaranteed, spread.co2e.guaranteed);
    }
    const report = estimateWithCalibration(input, fit);
    // The held-out central: in projection mode it uses the MFU centre fitted without this run.
    const centralKWh = report.figures.dynamicEnergyKWh.value;
    const publishedKWh = publishedDeviceKWh(row);
    const co2e = publishedCo2eScope(row) === 'dynamic' ? report.figures.dynamicCo2eKg : report.figures.co2eKg;
    const publishedCo2eKg = row.co2eT * 1000;
    // The same held-out fit, with the grid intensity the source reports given (as --intensity does).
    let givenIntensity: LooRun['givenIntensity'] = null;
    if (comparable && row.intensity !== null) {
      knownMethods.push(spread.co2eGivenIntensity.method);
      knownGuaranteed = Math.min(knownGuaranteed, spread.co2eGivenIntensity.guaranteed);
      const known = estimateWithCalibration({ ...input, intensity: row.intensity }, fit);
      const f = publishedCo2eScope(row) === 'dynamic' ? known.figures.dynamicCo2eKg : known.figures.co2eKg;
      givenIntensity = { intensity: row.intensity, co2eKg: f.value, co2eLowKg: f.low, co2eHighKg: f.high, covered: inside(publishedCo2eKg, f.low, f.high) };
    }
    // And with the site described (intensity and PUE as reported): dynamic-scope figures need no PUE.
    let givenSite: LooRun['givenSite'] = null;
    const dynamic = publishedCo2eScope(row) === 'dynamic';
    if (comparable && row.intensity !== null && (dynamic || row.pue !== null)) {
      const site = estimateWithCalibration({ ...input, intensity: row.intensity, ...(row.pue !== null ? { pue: row.pue } : {}) }, fit);
      const f = dynamic ? site.figures.dynamicCo2eKg : site.figures.co2eKg;
      givenSite = {
        intensity: row.intensity,
        pue: row.pue,
        co2eKg: f.value,
        co2eLowKg: f.low,
        co2eHighKg: f.high,
        covered: inside(publishedCo2eKg, f.low, f.high),
      };
    }
    runs.push({
      id: row.id,
      mode,
      publishedKWh,
      centralKWh,
      lowKWh: centralKWh * spread.low,
      highKWh: centralKWh * spread.high,
      covered: inside(publishedKWh, centralKWh * spread.low, centralKWh * spread.high),
      publishedCo2eKg,
      co2eKg: co2e.value,
      co2eLowKg: co2e.low,
      co2eHighKg: co2e.high,
      co2eCovered: inside(publishedCo2eKg, co2e.low, co2e.high),
      co2eComparable: comparable,
      givenIntensity,
      givenSite,
    });
  }
  const share = (rs: readonly LooRun[], f: (r: LooRun) => boolean) => rs.filter(f).length / Math.max(1, rs.length);
  const worst = (ms: readonly ConformalMethod[]): ConformalMethod => (['range', 'absolute', 'two-tailed'] as const).find((m) => ms.includes(m)) ?? 'two-tailed';
  const co2eRuns = runs.filter((r) => r.co2eComparable);
  const known = runs.flatMap((r) => (r.givenIntensity ? [{ published: r.publishedCo2eKg, ...r.givenIntensity }] : []));
  const sited = runs.flatMap((r) => (r.givenSite ? [{ published: r.publishedCo2eKg, ...r.givenSite }] : []));
  return {
    runs,
    summary: {
      mode,
      runs: runs.length,
      nominalCoverage: coverage,
      coverage: share(runs, (r) => r.covered),
      medianWidth: median(runs.map((r) => r.highKWh / r.lowKWh)),
      medianErrorFactor: Math.exp(median(runs.map((r) => Math.abs(Math.log(r.publishedKWh / r.centralKWh))))),
      method: worst(methods),
      guaranteed,
      co2eRuns: co2eRuns.length,
      co2eCoverage: share(co2eRuns, (r) => r.co2eCovered),
      co2eMedianWidth: median(co2eRuns.map((r) => r.co2eHighKg / r.co2eLowKg)),
      co2eMedianErrorFactor: Math.exp(median(co2eRuns.map((r) => Math.abs(Math.log(r.publishedCo2eKg / r.co2eKg))))),
      co2eMethod: worst(co2eMethods),
      co2eGuaranteed,
      givenIntensityRuns: known.length,
      givenIntensityCoverage: known.filter((k) => k.covered).length / Math.max(1, known.length),
      givenIntensityMedianWidth: median(known.map((k) => k.co2eHighKg / k.co2eLowKg)),
      givenIntensityMedianErrorFactor: Math.exp(median(known.map((k) => Math.abs(Math.log(k.published / k.co2eKg))))),
      givenIntensityMethod: worst(knownMethods),
      givenIntensityGuaranteed: knownGuaranteed,
      givenSiteRuns: sited.length,
      givenSiteCoverage: sited.filter((k) => k.covered).length / Math.max(1, sited.length),
      givenSiteMedianWidth: median(sited.map((k) => k.co2eHighKg / k.co2eLowKg)),
      givenSiteMedianErrorFactor: Math.exp(median(sited.map((k) => Math.abs(Math.log(k.published / k.co2eKg))))),
    },
  };
}

/** The README's calibration table, from leave-one-out summaries (npm run calibrate prints it). */
export function renderCalibrationTable(summaries: readonly LooSummary[]): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const fx = (x: number) => `${x.toFixed(2)}x`;
  return [
    '| mode | target | runs | LOO coverage | median width (high/low) | median error of central | ends (finite-sample guarantee) |',
    '|---|---|---:|---:|---:|---:|---|',
    ...summaries.flatMap((s) => [
      `| ${s.mode} | device energy | ${s.runs} | ${pct(s.coverage)} | ${fx(s.medianWidth)} | ${fx(s.medianErrorFactor)} | ${s.method} (>= ${pct(s.guaranteed)}) |`,
      `| ${s.mode} | CO2e, place tables | ${s.co2eRuns} | ${pct(s.co2eCoverage)} | ${fx(s.co2eMedianWidth)} | ${fx(s.co2eMedianErrorFactor)} | ${s.co2eMethod} (>= ${pct(s.co2eGuaranteed)}) |`,
      `| ${s.mode} | CO2e, --intensity given (reported) | ${s.givenIntensityRuns} | ${pct(s.givenIntensityCoverage)} | ${fx(s.givenIntensityMedianWidth)} | ${fx(s.givenIntensityMedianErrorFactor)} | ${s.givenIntensityMethod} (>= ${pct(s.givenIntensityGuaranteed)}) |`,
      `| ${s.mode} | CO2e, --intensity and --pue given (reported) | ${s.givenSiteRuns} | ${pct(s.givenSiteCoverage)} | ${fx(s.givenSiteMedianWidth)} | ${fx(s.givenSiteMedianErrorFactor)} | device-energy ends (>= ${pct(s.guaranteed)}) |`,
    ]),
  ].join('\n');
}
