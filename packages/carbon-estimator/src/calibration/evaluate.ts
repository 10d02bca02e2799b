/**
 * Leave-one-out evaluation of the calibrated intervals: each run's interval comes from a fit on
 * every other run, then we check whether the published figure falls inside it.
 */
import { estimateWithCalibration, centralEnergy } from '../projection';
import { CALIBRATED_COVERAGE, fitCalibration, publishedDeviceKWh, quantile, type CalibrationMode } from './fit';
import { accountingInput, planningInput, type Footprint } from './footprints';

/**
 * One held-out run of `leaveOneOut`: its published device energy, the central projection and the interval fitted without it.
 */
export interface LooRun {
  readonly id: string;
  readonly mode: CalibrationMode;
  /** Published device energy (no PUE), kWh, and the held-out interval for it. */
  readonly publishedKWh: number;
  readonly centralKWh: number;
  readonly lowKWh: number;
  readonly highKWh: number;
  readonly covered: boolean;
  /** Published operational CO2e, kg, and the held-out interval of the full estimate (place's grid, default PUE). */
  readonly publishedCo2eKg: number;
  readonly co2eKg: number;
  readonly co2eLowKg: number;
  readonly co2eHighKg: number;
  readonly co2eCovered: boolean;
}

/**
 * Summary of `leaveOneOut` for one mode: runs, nominal and achieved coverage, median interval width and median error factor.
 */
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
  /** The same for operational CO2e from the place's table figures. */
  readonly co2eCoverage: number;
  readonly co2eMedianWidth: number;
  readonly co2eMedianErrorFactor: number;
}

const median = (xs: readonly number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);

/**
 * Leave-one-out check of the calibration: each published run is projected with a spread fitted on all the others; returns every run and a summary of how often the held-out interval covered the published energy.
 */
export function leaveOneOut(rows: readonly Footprint[], mode: CalibrationMode, coverage = CALIBRATED_COVERAGE): { summary: LooSummary; runs: LooRun[] } {
  const runs: LooRun[] = [];
  for (const row of rows) {
    const input = mode === 'projection' ? planningInput(row) : accountingInput(row);
    if (!input) continue;
    const fit = fitCalibration(rows.filter((r) => r.id !== row.id), centralEnergy, coverage);
    const spread = fit[mode];
    const centralKWh = centralEnergy(input).devicesKWh;
    const publishedKWh = publishedDeviceKWh(row);
    const report = estimateWithCalibration(input, fit);
    const co2e = row.energyScope === 'devices' && row.pue === null && row.id === 'bloom-176b' ? report.figures.dynamicCo2eKg : report.figures.co2eKg;
    const publishedCo2eKg = row.co2eT * 1000;
    runs.push({
      id: row.id, mode, publishedKWh, centralKWh, lowKWh: centralKWh * spread.low, highKWh: centralKWh * spread.high,
      covered: publishedKWh >= centralKWh * spread.low * (1 - 1e-9) && publishedKWh <= centralKWh * spread.high * (1 + 1e-9),
      publishedCo2eKg, co2eKg: co2e.value, co2eLowKg: co2e.low, co2eHighKg: co2e.high,
      co2eCovered: publishedCo2eKg >= co2e.low * (1 - 1e-9) && publishedCo2eKg <= co2e.high * (1 + 1e-9),
    });
  }
  const share = (f: (r: LooRun) => boolean) => runs.filter(f).length / Math.max(1, runs.length);
  return {
    runs,
    summary: {
      mode, runs: runs.length, nominalCoverage: coverage,
      coverage: share((r) => r.covered),
      medianWidth: median(runs.map((r) => r.highKWh / r.lowKWh)),
      medianErrorFactor: Math.exp(median(runs.map((r) => Math.abs(Math.log(r.publishedKWh / r.centralKWh))))),
      co2eCoverage: share((r) => r.co2eCovered),
      co2eMedianWidth: median(runs.map((r) => r.co2eHighKg / r.co2eLowKg)),
      co2eMedianErrorFactor: Math.exp(median(runs.map((r) => Math.abs(Math.log(r.publishedCo2eKg / r.co2eKg))))),
    },
  };
}

/** The README's calibration table, from leave-one-out summaries (npm run calibrate prints it). */
export function renderCalibrationTable(summaries: readonly LooSummary[]): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const fx = (x: number) => `${x.toFixed(2)}x`;
  return [
    '| mode | runs | LOO coverage, device energy | median width (high/low) | median error of central | LOO coverage, CO2e from the place table | CO2e median width | CO2e median error |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...summaries.map((s) => `| ${s.mode} | ${s.runs} | ${pct(s.coverage)} | ${fx(s.medianWidth)} | ${fx(s.medianErrorFactor)} | ${pct(s.co2eCoverage)} | ${fx(s.co2eMedianWidth)} | ${fx(s.co2eMedianErrorFactor)} |`),
  ].join('\n');
}
