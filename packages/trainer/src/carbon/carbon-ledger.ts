import { toEstimateJson, type Measurement } from '@wattformer/carbon-estimator';
import { trainerError } from '../errors';

/** Anything that can say what the run has cost so far: NodeTracker or BrowserTracker. */
export interface CarbonSource {
  /** The run's energy and CO2e so far, as a carbon-estimator `Measurement`. */
  current(): Measurement | Promise<Measurement>;
}

/** Stop the run once either figure is reached (checked with the central estimate). */
export interface CarbonBudget {
  readonly co2eKg?: number;
  readonly energyKWh?: number;
}

/** One row of the carbon ledger: step, tokens, and cumulative energy and CO2e with their intervals. */
export interface LedgerEntry {
  readonly step: number;
  readonly tokens: number;
  /** Facility energy so far (PUE applied), with its interval. */
  readonly energyKWh: number;
  readonly energyKWhLow: number;
  readonly energyKWhHigh: number;
  /** Operational CO2e so far, with its interval. */
  readonly co2eKg: number;
  readonly co2eKgLow: number;
  readonly co2eKgHigh: number;
  readonly perStep: { readonly energyKWh: number; readonly co2eKg: number };
  readonly perToken: { readonly energyKWh: number; readonly co2eKg: number };
  /** What was measured and what was modelled, from the tracker's report. */
  readonly method: string;
}

/**
 * The run's carbon ledger: reads the tracker's cost so far, keeps one entry per reading (totals,
 * per step, per token, with intervals and method) and says when a budget is reached.
 */
export class CarbonLedger {
  readonly entries: LedgerEntry[] = [];

  constructor(
    readonly source: CarbonSource,
    readonly budget: CarbonBudget = {},
  ) {
    for (const [name, value] of Object.entries(budget)) {
      if (value !== undefined && !(value > 0)) throw trainerError('E_ARGUMENT', 'carbonBudget', `${name} > 0`, String(value));
    }
  }

  /**
   * Adds the cost of the run so far at `step` (after `tokens` tokens) and says whether a budget is exceeded (its reason, or null).
   */
  async record(step: number, tokens: number): Promise<{ entry: LedgerEntry; overBudget: string | null; measurement: Measurement }> {
    const measurement = await this.source.current();
    const figures = toEstimateJson(measurement.report);
    const per = (n: number) => ({ energyKWh: n > 0 ? figures.energyKWh / n : 0, co2eKg: n > 0 ? figures.co2eKg / n : 0 });
    const entry: LedgerEntry = {
      step,
      tokens,
      energyKWh: figures.energyKWh,
      energyKWhLow: figures.energyKWhLow,
      energyKWhHigh: figures.energyKWhHigh,
      co2eKg: figures.co2eKg,
      co2eKgLow: figures.co2eKgLow,
      co2eKgHigh: figures.co2eKgHigh,
      perStep: per(step),
      perToken: per(tokens),
      method: measurement.report.notes.find((note) => note.startsWith('What was measured')) ?? measurement.report.notes[0] ?? '',
    };
    this.entries.push(entry);
    const { co2eKg, energyKWh } = this.budget;
    const overBudget =
      co2eKg !== undefined && entry.co2eKg >= co2eKg
        ? `CO2e ${entry.co2eKg.toPrecision(3)} kg reached the budget of ${co2eKg} kg`
        : energyKWh !== undefined && entry.energyKWh >= energyKWh
          ? `energy ${entry.energyKWh.toPrecision(3)} kWh reached the budget of ${energyKWh} kWh`
          : null;
    return { entry, overBudget, measurement };
  }
}
