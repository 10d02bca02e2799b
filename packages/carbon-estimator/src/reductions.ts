/**
 * "How do I cut this?": the two or three changes that would cut a run's CO2e most, each with its
 * figure. Pure and small, so the training report and the browser studio can end with it.
 */
import { ACCELERATORS } from './data/accelerators';
import { argumentError } from './errors';
import { scale, type Range } from './interval';
import { estimateTraining } from './projection';
import type { ProjectionInput } from './projection-input';
import { resolveRegion } from './region';
import type { CarbonReport } from './report/schema';

/** The kind of change a `Reduction` suggests. */
export type ReductionKind = 'region' | 'hardware' | 'precision' | 'utilisation' | 'facility';

/**
 * One change that would cut a run's CO2e (a place, hardware, precision, utilisation or facility), with the CO2e after it and the saving.
 */
export interface Reduction {
  readonly kind: ReductionKind;
  /** One line a person can act on, e.g. "train in Sweden (SE, 36 g/kWh) instead of US (384 g/kWh)". */
  readonly change: string;
  /** Operational CO2e after the change, kg (with its interval). */
  readonly co2eKg: Range;
  /** Central kg saved, and the share of the current operational CO2e. */
  readonly savedKg: number;
  readonly savedFraction: number;
  /** The changed input, for projections (re-run `estimate(input)` to see the full report). */
  readonly input?: ProjectionInput;
}

/** Options of `suggestReductions`: how many to return and which places and hardware to consider. */
export interface ReductionOptions {
  /** How many to return (default 3). */
  readonly limit?: number;
  /** Places to consider moving to (default: low-carbon grids open to most: SE, NO, FR, CA, gcp:europe-north1, gcp:europe-west9, gcp:us-west1). */
  readonly regions?: readonly string[];
  /** Hardware to consider (default: current-generation accelerators in the table). */
  readonly hardware?: readonly string[];
}

/** Places `suggestReductions` considers by default (low-carbon grids and cloud regions open to most). */
export const DEFAULT_REDUCTION_REGIONS = ['SE', 'NO', 'FR', 'CA', 'gcp:europe-north1', 'gcp:europe-west9', 'gcp:us-west1'] as const;
/** Hardware `suggestReductions` considers by default (current-generation accelerators). */
export const DEFAULT_REDUCTION_HARDWARE = ['h100-sxm', 'h200', 'a100-80gb', 'mi300x', 'tpu-v5p'] as const;
/** Whole-run MFU a well-tuned large run reaches (Llama 3 405B 38-43%, Megatron-LM 44-52%; carbon-reference.md §3.4). */
const GOOD_MFU = 0.45;

const isReport = (x: ProjectionInput | CarbonReport): x is CarbonReport => typeof x === 'object' && x !== null && 'schema' in x && 'figures' in x;

/**
 * The changes that would cut operational CO2e most, largest saving first. From a projection input
 * every candidate is re-estimated (place, hardware, precision, utilisation, data-centre PUE); from
 * a report (a measurement, or a projection whose input is gone) only the place and PUE can change,
 * scaling its measured energy. Changes that save nothing are left out.
 */
export function suggestReductions(from: ProjectionInput | CarbonReport, options: ReductionOptions = {}): Reduction[] {
  const limit = options.limit ?? 3;
  if (!Number.isSafeInteger(limit) || limit < 1) throw argumentError('suggestReductions', 'limit to be a whole number >= 1', String(options.limit));
  const candidates = isReport(from) ? fromReport(from, options) : fromInput(from, options);
  const best = new Map<ReductionKind, Reduction>();
  for (const c of candidates) {
    const seen = best.get(c.kind);
    if (c.savedKg > 0 && (!seen || c.savedKg > seen.savedKg)) best.set(c.kind, c);
  }
  return [...best.values()].sort((a, b) => b.savedKg - a.savedKg).slice(0, limit);
}

function reduction(kind: ReductionKind, change: string, before: number, after: Range, input?: ProjectionInput): Reduction {
  const savedKg = before - after.value;
  return { kind, change, co2eKg: after, savedKg, savedFraction: before > 0 ? savedKg / before : 0, ...(input ? { input } : {}) };
}

const grams = (g: number) => `${Math.round(g)} g/kWh`;

function fromInput(input: ProjectionInput, options: ReductionOptions): Reduction[] {
  const base = estimateTraining(input);
  const before = base.figures.co2eKg.value;
  const out: Reduction[] = [];
  const tryInput = (kind: ReductionKind, change: string, changed: ProjectionInput) => {
    try {
      out.push(reduction(kind, change, before, estimateTraining(changed).figures.co2eKg, changed));
    } catch {
      // A candidate the input cannot take (e.g. no peak for a dtype) is simply not suggested.
    }
  };
  if (input.intensity === undefined) {
    for (const region of options.regions ?? DEFAULT_REDUCTION_REGIONS) {
      const place = resolveRegion(region, 'suggestReductions');
      if (place.id === base.location.id) continue;
      // Same PUE as now, so the saving is the grid's alone (the facility change is its own suggestion).
      tryInput(
        'region',
        `train in ${place.name} (${place.id}, ${grams(place.intensity.value)}) instead of ${base.location.name} (${grams(base.location.intensity.value)})`,
        { ...input, region: place.id, pue: input.pue ?? base.location.pue.value },
      );
    }
  }
  const projected = base.figures.deviceHours?.method === 'FLOPs / (peak x MFU)';
  if (projected) {
    const current = typeof input.hardware === 'string' ? base.hardware?.id : undefined;
    for (const id of options.hardware ?? DEFAULT_REDUCTION_HARDWARE) {
      if (id === current) continue;
      const spec = ACCELERATORS.find((a) => a.id === id);
      tryInput('hardware', `train on ${spec?.name ?? id} instead of ${base.hardware?.name ?? 'the current hardware'} (same FLOPs, its peak and power)`, {
        ...input,
        hardware: id,
        powerWatts: undefined,
        peakFlops: undefined,
      });
    }
    const dtype = input.dtype ?? 'bf16';
    if (dtype === 'fp32' || dtype === 'tf32')
      tryInput('precision', `train in bf16 mixed precision instead of ${dtype} (bf16 dense peak)`, { ...input, dtype: 'bf16' });
    const mfu = base.assumptions.find((a) => a.name === 'whole-run MFU')?.value;
    if (typeof mfu === 'number' && mfu < GOOD_MFU) {
      tryInput(
        'utilisation',
        `raise whole-run MFU from ${mfu} to ${GOOD_MFU} (fused kernels, larger batches, fewer restarts; well-tuned runs reach 0.38-0.52)`,
        { ...input, mfu: GOOD_MFU },
      );
    }
  }
  if (input.pue === undefined && base.location.pue.value > 1.2) {
    tryInput('facility', `use a hyperscale data centre (PUE 1.1) instead of PUE ${base.location.pue.value}`, { ...input, pue: 1.1 });
  }
  return out;
}

function fromReport(report: CarbonReport, options: ReductionOptions): Reduction[] {
  const f = report.figures;
  const before = f.co2eKg.value;
  const energy = f.energyKWh;
  const out: Reduction[] = [];
  if (report.location.intensity.basis !== 'given' || report.location.id !== 'custom') {
    for (const region of options.regions ?? DEFAULT_REDUCTION_REGIONS) {
      const place = resolveRegion(region, 'suggestReductions');
      if (place.id === report.location.id) continue;
      out.push(
        reduction(
          'region',
          `run in ${place.name} (${place.id}, ${grams(place.intensity.value)}) instead of ${report.location.name} (${grams(report.location.intensity.value)})`,
          before,
          scale(energy, place.intensity.value / 1000),
        ),
      );
    }
  }
  const pue = report.location.pue.value;
  if (pue > 1.2) {
    out.push(
      reduction(
        'facility',
        `use a hyperscale data centre (PUE 1.1) instead of PUE ${pue}`,
        before,
        scale(energy, (1.1 / pue) * (report.location.intensity.value / 1000)),
      ),
    );
  }
  return out;
}
