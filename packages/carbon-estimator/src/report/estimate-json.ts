import type { CarbonReport } from './schema';

/**
 * The flat JSON object printed by `wattformer-carbon estimate --json`. Field names are a
 * contract that other tools script against; add fields, never rename them.
 */
export interface EstimateJson {
  readonly flops: number | null;
  readonly deviceHours: number | null;
  readonly deviceHoursLow: number | null;
  readonly deviceHoursHigh: number | null;
  readonly wallClockHours: number | null;
  readonly dynamicEnergyKWh: number;
  readonly idleEnergyKWh: number | null;
  /** Facility energy, PUE applied. */
  readonly energyKWh: number;
  readonly energyKWhLow: number;
  readonly energyKWhHigh: number;
  /** Operational CO2e with PUE applied (energyKWh x intensity). */
  readonly co2eKg: number;
  readonly co2eKgLow: number;
  readonly co2eKgHigh: number;
  readonly dynamicCo2eKg: number;
  readonly embodiedCo2eKg: number;
  readonly embodiedCo2eKgLow: number;
  readonly embodiedCo2eKgHigh: number;
  readonly totalCo2eKg: number;
  readonly totalCo2eKgLow: number;
  readonly totalCo2eKgHigh: number;
  readonly pue: number;
  readonly intensityGramsPerKWh: number;
  readonly hardware: string | null;
  readonly devices: number | null;
  readonly region: string;
  readonly method: string;
  readonly scope: string;
  /** 'calibrated' (stated coverage), 'input-ranges' (published input spans) or 'exact' (all given). */
  readonly intervalMethod: string | null;
  /** Nominal coverage of a calibrated interval (0.8), else null. */
  readonly intervalCoverage: number | null;
  readonly assumptions: CarbonReport['assumptions'];
  /** CLI only: the changes that would cut operational CO2e most (suggestReductions). */
  readonly reductions?: ReadonlyArray<{
    kind: string;
    change: string;
    co2eKg: number;
    co2eKgLow: number;
    co2eKgHigh: number;
    savedKg: number;
    savedFraction: number;
  }>;
  readonly notes: CarbonReport['notes'];
}

/** The report as the flat JSON the CLI prints (`estimate --json`): central values and ends of each figure. */
export function toEstimateJson(report: CarbonReport): EstimateJson {
  const f = report.figures;
  return {
    flops: f.flops?.value ?? null,
    deviceHours: f.deviceHours?.value ?? null,
    deviceHoursLow: f.deviceHours?.low ?? null,
    deviceHoursHigh: f.deviceHours?.high ?? null,
    wallClockHours: f.wallClockHours?.value ?? null,
    dynamicEnergyKWh: f.dynamicEnergyKWh.value,
    idleEnergyKWh: f.idleEnergyKWh?.value ?? null,
    energyKWh: f.energyKWh.value,
    energyKWhLow: f.energyKWh.low,
    energyKWhHigh: f.energyKWh.high,
    co2eKg: f.co2eKg.value,
    co2eKgLow: f.co2eKg.low,
    co2eKgHigh: f.co2eKg.high,
    dynamicCo2eKg: f.dynamicCo2eKg.value,
    embodiedCo2eKg: f.embodiedCo2eKg.value,
    embodiedCo2eKgLow: f.embodiedCo2eKg.low,
    embodiedCo2eKgHigh: f.embodiedCo2eKg.high,
    totalCo2eKg: f.totalCo2eKg.value,
    totalCo2eKgLow: f.totalCo2eKg.low,
    totalCo2eKgHigh: f.totalCo2eKg.high,
    pue: report.location.pue.value,
    intensityGramsPerKWh: report.location.intensity.value,
    hardware: report.hardware?.id ?? null,
    devices: report.hardware?.count ?? null,
    region: report.location.id,
    method: `${f.co2eKg.method}; energy: ${f.energyKWh.method}; device-hours: ${f.deviceHours?.method ?? 'n/a'}`,
    scope: f.co2eKg.scope,
    intervalMethod: report.interval?.method ?? null,
    intervalCoverage: report.interval?.coverage ?? null,
    assumptions: report.assumptions,
    notes: report.notes,
  };
}
