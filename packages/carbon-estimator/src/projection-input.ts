import type { AcceleratorSpec, Dtype } from './data/accelerators';
import { argumentError, CarbonEstimatorError, requireNonNegative } from './errors';
import type { TransformerShape } from './flops';

/** Inputs of a training projection. Only the compute (tokens+params or FLOPs) and hardware are required. */
export interface ProjectionInput {
  /** Parameters N (active parameters for mixture-of-experts). */
  readonly params?: number;
  /** Training tokens D. */
  readonly tokens?: number;
  /** Training FLOPs, instead of params x tokens. */
  readonly flops?: number;
  /** Adds the attention term to 6·N·D. */
  readonly architecture?: TransformerShape;
  /** Hardware id or alias (`h100`, `tpu-v3`), or a full spec of your own. */
  readonly hardware: string | AcceleratorSpec;
  /** Number of devices; needed for wall-clock hours and with `hours`. */
  readonly devices?: number;
  /** Accelerator-hours actually used (overrides the MFU-based projection). */
  readonly deviceHours?: number;
  /** Wall-clock hours (x devices = device-hours). */
  readonly hours?: number;
  /** Measured (or chosen) average power per device, W. */
  readonly powerWatts?: number;
  /** Whole-run model FLOPs utilisation, 0-1. */
  readonly mfu?: number;
  /** Dtype of the peak used with MFU; default `bf16` (falls back to `fp16`, then `fp32`). */
  readonly dtype?: Dtype;
  /** Overrides the dense peak FLOP/s per device. */
  readonly peakFlops?: number;
  readonly pue?: number;
  /** ISO country code, `WORLD`, or `<provider>:<region>`. */
  readonly region?: string;
  /** gCO2e/kWh, instead of (or overriding) the region's figure. */
  readonly intensity?: number;
  /** Embodied CO2e per device, kg, before amortisation. 0 leaves embodied out. */
  readonly embodiedKgPerDevice?: number;
  readonly serviceLifeYears?: number;
  readonly lifetimeUtilisation?: number;
  /** Idle energy of the allocation, kWh, when known (BLOOM: 256.6 MWh). */
  readonly idleEnergyKWh?: number;
  /** Dynamic device energy already measured or reported, kWh (replaces device-hours x power). */
  readonly energyKWh?: number;
  readonly title?: string;
}

const NUMERIC_FIELDS = [
  'params', 'tokens', 'flops', 'devices', 'deviceHours', 'hours', 'powerWatts', 'mfu', 'peakFlops', 'pue',
  'intensity', 'embodiedKgPerDevice', 'serviceLifeYears', 'lifetimeUtilisation', 'idleEnergyKWh', 'energyKWh',
] as const;

const STRICTLY_POSITIVE = new Set<string>(['devices', 'mfu', 'peakFlops', 'pue', 'serviceLifeYears', 'lifetimeUtilisation']);

/** Checks every number and the required combinations; throws a CarbonEstimatorError naming the field. */
export function validateProjectionInput(input: ProjectionInput, op = 'estimate'): void {
  if (input === null || typeof input !== 'object') {
    throw argumentError(op, 'an options object', String(input), 'pass { params, tokens, hardware, region }');
  }
  for (const field of NUMERIC_FIELDS) {
    const value = input[field];
    if (value !== undefined) requireNonNegative(op, field, value, STRICTLY_POSITIVE.has(field));
  }
  if (input.mfu !== undefined && input.mfu > 1) {
    throw argumentError(op, 'mfu as a fraction in (0, 1]', String(input.mfu), 'write 40% as 0.4');
  }
  if (input.lifetimeUtilisation !== undefined && input.lifetimeUtilisation > 1) {
    throw argumentError(op, 'lifetimeUtilisation as a fraction in (0, 1]', String(input.lifetimeUtilisation));
  }
  if (input.pue !== undefined && input.pue < 1) {
    throw argumentError(op, 'pue >= 1 (facility energy / IT energy)', String(input.pue));
  }
  if (input.flops === undefined && input.tokens === undefined) {
    throw new CarbonEstimatorError('E_MISSING_INPUT', {
      op,
      expected: 'training tokens (with params) or FLOPs',
      got: 'neither',
      help: 'pass --params 175e9 --tokens 300e9, or --flops 3.14e23',
    });
  }
  if (input.flops === undefined && input.params === undefined) {
    throw new CarbonEstimatorError('E_MISSING_INPUT', {
      op,
      expected: 'params together with tokens',
      got: 'tokens without params',
      help: 'pass --params (e.g. 7e9), or give --flops directly',
    });
  }
  if (input.hours !== undefined && input.deviceHours === undefined && input.devices === undefined) {
    throw new CarbonEstimatorError('E_MISSING_INPUT', {
      op,
      expected: 'devices with hours (device-hours = hours x devices)',
      got: `hours ${input.hours} without devices`,
      help: 'pass --devices, or give --device-hours instead',
    });
  }
  if (input.hardware === undefined || input.hardware === null || input.hardware === '') {
    throw new CarbonEstimatorError('E_MISSING_INPUT', {
      op,
      expected: 'a hardware id',
      got: 'nothing',
      help: 'pass --hardware h100 (run `wattformer-carbon hardware` for the list)',
    });
  }
}
