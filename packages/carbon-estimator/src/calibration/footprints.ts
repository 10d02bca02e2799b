/**
 * Published training footprints (`data/footprints.json`): the set the estimator's intervals are
 * fitted on and evaluated against, leave-one-out. Each row is what its source reports.
 */
import data from '../../data/footprints.json';

/**
 * One published training footprint (model, parameters, tokens, FLOPs, hardware, device-hours, energy, place and source) used to calibrate the intervals.
 */
export interface Footprint {
  readonly id: string;
  readonly model: string;
  /** Parameters (active ones for mixture-of-experts); null where not used by the source. */
  readonly params: number | null;
  readonly tokens: number | null;
  /** Training FLOPs where the source reports them. */
  readonly flops: number | null;
  /** Our hardware id. */
  readonly hardware: string;
  readonly devices: number | null;
  readonly deviceHours: number | null;
  /** Our location id for the site (country or cloud region). */
  readonly place: string;
  readonly site: string;
  readonly powerWatts: number | null;
  readonly powerBasis: string;
  readonly pue: number | null;
  readonly intensity: number | null;
  readonly energyMWh: number;
  /** 'facility': PUE applied; 'devices': accelerators (with host share where measured), no PUE. */
  readonly energyScope: 'facility' | 'devices';
  readonly co2eT: number;
  readonly co2eBasis: string;
  readonly source: string;
  /** Where the figures are published. */
  readonly url: string;
  /** What was re-confirmed against the source text (table or section) on the date given, and what could not be reached. */
  readonly checked: string;
}

/**
 * The published training footprints the default calibration is fitted on (see the package data and carbon-reference.md).
 */
export const FOOTPRINTS: readonly Footprint[] = (data as { rows: Footprint[] }).rows;

/** What someone planning the run knows: compute (reported FLOPs, else params x tokens), the model size when known, hardware, count, place. */
export function planningInput(row: Footprint): { flops?: number; params?: number; tokens?: number; hardware: string; devices?: number; region: string } {
  const compute =
    row.flops !== null ? { flops: row.flops, ...(row.params !== null ? { params: row.params } : {}) } : { params: row.params ?? 0, tokens: row.tokens ?? 0 };
  return { ...compute, hardware: row.hardware, ...(row.devices !== null ? { devices: row.devices } : {}), region: row.place };
}

/**
 * What someone accounting for the finished run knows: device-hours, hardware, place. Null without
 * reported device-hours, and for runs whose energy is GPU-hours x TDP (no measured power): their
 * ratio to our TDP-based figure is 1 by construction and says nothing about real draw.
 */
export function accountingInput(row: Footprint): { deviceHours: number; hardware: string; region: string } | null {
  return row.deviceHours === null || !row.powerBasis.startsWith('measured')
    ? null
    : { deviceHours: row.deviceHours, hardware: row.hardware, region: row.place };
}

/**
 * Whether the published CO2e is the quantity the estimator computes: location-based (grid
 * average) operational emissions. Net figures (after purchased carbon-free energy) are not.
 */
export function co2eComparable(row: Footprint): boolean {
  return row.co2eBasis.startsWith('location-based');
}

/** 'dynamic': the source's CO2e covers device energy only, no PUE (BLOOM's 24.7 t); else facility. */
export function publishedCo2eScope(row: Footprint): 'dynamic' | 'facility' {
  return row.co2eBasis.includes('dynamic only') ? 'dynamic' : 'facility';
}
