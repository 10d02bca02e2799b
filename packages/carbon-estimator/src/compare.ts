/**
 * One training job across hardware, places, precisions and token budgets, ranked by operational
 * CO2e with intervals: the "how do I cut this?" table behind `wattformer-carbon compare`.
 */
import type { Dtype } from './data/accelerators';
import { argumentError } from './errors';
import { estimateTraining } from './projection';
import type { ProjectionInput } from './projection-input';
import type { Figure } from './report/schema';

/** What `compare` varies: hardware, places and dtypes (each defaults to the input's). */
export interface CompareAxes {
  /** Hardware ids or aliases (default: the input's). */
  readonly hardware?: readonly string[];
  /** Places (default: the input's region). */
  readonly regions?: readonly string[];
  /** Peak dtypes (default: the input's, or bf16). fp32 uses the FP32 peak: no tensor-core math. */
  readonly dtypes?: readonly Dtype[];
  /** Token budgets (default: the input's tokens). */
  readonly tokens?: readonly number[];
}

/** One row of `compare`: hardware, place and dtype, its energy, CO2e and time, ranked by CO2e. */
export interface CompareRow {
  readonly rank: number;
  readonly hardware: string;
  readonly region: string;
  /** The peak actually used (bf16 asked on a V100 runs on its fp16 peak). */
  readonly dtype: Dtype;
  readonly tokens: number | null;
  /** Whole-run device-hours and wall-clock hours (with the input's device count). */
  readonly deviceHours: Figure | undefined;
  readonly wallClockHours: Figure | undefined;
  readonly energyKWh: Figure;
  readonly co2eKg: Figure;
  readonly totalCo2eKg: Figure;
  /** co2eKg.value / the best row's. */
  readonly timesBest: number;
  readonly input: ProjectionInput;
}

/** Largest grid compare() runs: hardware x regions x dtypes x budgets. */
export const MAX_COMPARE_ROWS = 2000;

/**
 * Estimates every combination of the axes (the rest of `base` unchanged) and ranks them by
 * operational CO2e, lowest first. Combinations a device cannot run (no peak for a dtype) are left out.
 */
export function compare(base: ProjectionInput, axes: CompareAxes = {}): CompareRow[] {
  const hardware = axes.hardware ?? [typeof base.hardware === 'string' ? base.hardware : (base.hardware?.id ?? '')];
  const regions = axes.regions ?? [base.region ?? 'WORLD'];
  const dtypes = axes.dtypes ?? [base.dtype ?? 'bf16'];
  const budgets: ReadonlyArray<number | undefined> = axes.tokens ?? [base.tokens];
  const count = hardware.length * regions.length * dtypes.length * budgets.length;
  if (count > MAX_COMPARE_ROWS) {
    throw argumentError('compare', `at most ${MAX_COMPARE_ROWS} combinations`, String(count), 'compare fewer hardware ids, regions, dtypes or budgets at once');
  }
  const rows: Array<Omit<CompareRow, 'rank' | 'timesBest'>> = [];
  for (const hw of hardware) {
    for (const region of regions) {
      for (const dtype of dtypes) {
        for (const tokens of budgets) {
          const input: ProjectionInput = { ...base, hardware: hw, region, dtype, ...(tokens !== undefined ? { tokens } : {}) };
          const report = estimateTraining(input);
          // A device without a peak for this dtype falls back to another dtype's peak; only keep honest rows.
          const peak = report.assumptions.find((a) => a.name === 'peak FLOP/s per device');
          const used = (/^FLOP\/s \((\w+)/.exec(String(peak?.unit ?? ''))?.[1] ?? dtype) as Dtype;
          const halfPrecision = (d: Dtype) => d === 'bf16' || d === 'fp16';
          if (used !== dtype && !(halfPrecision(used) && halfPrecision(dtype))) continue;
          const f = report.figures;
          rows.push({
            hardware: report.hardware?.id ?? hw,
            region: report.location.id,
            dtype: used,
            tokens: tokens ?? null,
            deviceHours: f.deviceHours,
            wallClockHours: f.wallClockHours,
            energyKWh: f.energyKWh,
            co2eKg: f.co2eKg,
            totalCo2eKg: f.totalCo2eKg,
            input,
          });
        }
      }
    }
  }
  rows.sort((a, b) => a.co2eKg.value - b.co2eKg.value);
  const best = rows[0]?.co2eKg.value ?? 0;
  return rows.map((row, i) => ({ ...row, rank: i + 1, timesBest: best > 0 ? row.co2eKg.value / best : 1 }));
}

/** Chinchilla's compute-optimal budget: about 20 training tokens per parameter (Hoffmann et al. 2022). */
export const CHINCHILLA_TOKENS_PER_PARAM = 20;
