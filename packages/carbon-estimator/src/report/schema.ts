/**
 * One report type for projections (what a run would emit) and measurements (what a run did
 * emit). Every figure carries its method, scope, basis and a low/high interval.
 */
import type { Range } from '../interval';

/** Where a number came from: measured by a counter, modelled from specs, given by the caller, or reported by a paper. */
export type Basis = 'measured' | 'modelled' | 'given' | 'reported';

export interface Figure extends Range {
  readonly unit: string;
  readonly method: string;
  /** What the figure covers, e.g. "accelerators only, no PUE" or "facility (PUE applied)". */
  readonly scope: string;
  readonly basis: Basis;
}

/** One input an estimate rests on (name, value, range, unit and source), listed in every report. */
export interface Assumption {
  readonly name: string;
  readonly value: number | string;
  readonly low?: number;
  readonly high?: number;
  readonly unit?: string;
  readonly basis: Basis;
  readonly source: string;
}

/** One slice of the footprint, for breakdowns and the chart. */
export interface Component {
  readonly name: string;
  readonly co2eKg: Range;
  readonly energyKWh?: Range;
  readonly basis: Basis;
  readonly method: string;
}

/**
 * The figures of a report, each with its interval, method, scope and basis: compute, time, energy and CO2e.
 */
export interface ReportFigures {
  readonly flops?: Figure;
  readonly deviceHours?: Figure;
  readonly wallClockHours?: Figure;
  readonly durationSeconds?: Figure;
  /** Energy drawn by the compute itself (no idle, no PUE). */
  readonly dynamicEnergyKWh: Figure;
  readonly idleEnergyKWh?: Figure;
  /** (dynamic + idle) x PUE. */
  readonly energyKWh: Figure;
  readonly dynamicCo2eKg: Figure;
  /** Operational CO2e with PUE applied: energyKWh x intensity. */
  readonly co2eKg: Figure;
  readonly embodiedCo2eKg: Figure;
  /** co2eKg + embodiedCo2eKg. */
  readonly totalCo2eKg: Figure;
}

/** Where a report's run took place: id, name, grid intensity and PUE, each a `Figure`. */
export interface ReportLocation {
  readonly id: string;
  readonly name: string;
  readonly intensity: Figure;
  readonly pue: Figure;
}

/** An everyday equivalent of the report's CO2e (e.g. km driven), with its amount range and source. */
export interface Equivalence {
  readonly label: string;
  readonly amount: Range;
  readonly unit: string;
  readonly source: string;
}

/** What a report's low-high intervals mean. */
export interface IntervalInfo {
  /** 'calibrated': fitted on published runs with a stated coverage; 'input-ranges': spans of published inputs; 'exact': all inputs given. */
  readonly method: 'calibrated' | 'input-ranges' | 'exact';
  /** Which calibration applied: device-hours projected from FLOPs, or device-hours given. */
  readonly mode?: 'projection' | 'accounting';
  /** Nominal share of runs the energy interval covers (calibrated only). */
  readonly coverage?: number;
  readonly description: string;
}

/** Schema id stamped in every `CarbonReport` (`schema` field); bumped on incompatible changes. */
export const REPORT_SCHEMA = 'wattformer.carbon-report/1' as const;

/**
 * A carbon report (projection or measurement): hardware, place, figures with intervals, components, assumptions, equivalences and notes. Rendered by `renderMarkdown`/`renderHtml`, serialised by `toEstimateJson`.
 */
export interface CarbonReport {
  readonly schema: typeof REPORT_SCHEMA;
  readonly kind: 'projection' | 'measurement';
  readonly title: string;
  readonly createdAt: string;
  readonly hardware?: { readonly id: string; readonly name: string; readonly count?: number };
  readonly location: ReportLocation;
  readonly figures: ReportFigures;
  readonly components: readonly Component[];
  readonly assumptions: readonly Assumption[];
  readonly equivalences: readonly Equivalence[];
  /** How to read the intervals and what the scopes leave out. */
  readonly notes: readonly string[];
  /** How to read the intervals (projections; absent on older reports and measurements). */
  readonly interval?: IntervalInfo;
}

export function figure(range: Range, unit: string, method: string, scope: string, basis: Basis): Figure {
  return { value: range.value, low: range.low, high: range.high, unit, method, scope, basis };
}
