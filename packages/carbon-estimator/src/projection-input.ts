import type { AcceleratorSpec, Dtype } from './data/accelerators';
import { argumentError, CarbonEstimatorError, requireNonNegative } from './errors';
import type { TransformerShape } from './flops';

/**
 * Inputs of an estimate. Two complete forms:
 *  - projection: compute (params + tokens, or FLOPs) and hardware; device-hours follow from the
 *    hardware's peak and an MFU;
 *  - accounting: device-hours (`deviceHours`, or `hours` x `devices`, or a measured `energyKWh`),
 *    plus hardware or `powerWatts`; FLOPs and params are optional and reported when given.
 * A place (`region` or `intensity`) is optional in both (default: world average).
 */
export interface ProjectionInput {
  /** Parameters N (active parameters for mixture-of-experts). */
  readonly params?: number;
  /** Training tokens D. */
  readonly tokens?: number;
  /** Training FLOPs, instead of params x tokens. */
  readonly flops?: number;
  /** Adds the attention term to 6·N·D. */
  readonly architecture?: TransformerShape;
  /** Hardware id or alias (`h100`, `tpu-v3`), or a full spec of your own. Optional in accounting mode with `powerWatts`. */
  readonly hardware?: string | AcceleratorSpec;
  /** Number of devices, a whole number >= 1; needed for wall-clock hours and with `hours`. */
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
  /** Memory available to the job, GB: adds GB x 0.3725 W x wall-clock hours (Green Algorithms). */
  readonly memoryGb?: number;
  readonly title?: string;
}

const NUMERIC_FIELDS = [
  'params',
  'tokens',
  'flops',
  'devices',
  'deviceHours',
  'hours',
  'powerWatts',
  'mfu',
  'peakFlops',
  'pue',
  'intensity',
  'embodiedKgPerDevice',
  'serviceLifeYears',
  'lifetimeUtilisation',
  'idleEnergyKWh',
  'energyKWh',
  'memoryGb',
] as const;

const STRICTLY_POSITIVE = new Set<string>(['devices', 'mfu', 'peakFlops', 'pue', 'serviceLifeYears', 'lifetimeUtilisation']);

/** Physical ceilings: far above any real value, low enough that products stay finite. */
const UPPER_BOUNDS: ReadonlyArray<readonly [field: 'intensity' | 'pue' | 'powerWatts', max: number, unit: string, why: string]> = [
  ['intensity', 5000, ' gCO2e/kWh', 'the dirtiest grids are ~1,100 g/kWh (lignite); check the unit (g per kWh, not g per MWh)'],
  ['pue', 10, '', 'data-centre PUE runs 1.0-2.5; pass facility energy / IT energy'],
  ['powerWatts', 1e6, ' W', 'pass the average draw of one device in watts (an H100 is ~700 W)'],
];

/** Checks every number and the required combinations; throws a CarbonEstimatorError naming the field. */
export function validateProjectionInput(input: ProjectionInput, op = 'estimate'): void {
  if (input === null || typeof input !== 'object') {
    throw argumentError(op, 'an options object', String(input), 'pass { params, tokens, hardware, region }');
  }
  for (const field of NUMERIC_FIELDS) {
    const value = input[field];
    if (value !== undefined) requireNonNegative(op, field, value, STRICTLY_POSITIVE.has(field));
  }
  for (const [field, max, unit, why] of UPPER_BOUNDS) {
    const value = input[field];
    if (value !== undefined && value > max) {
      throw argumentError(op, `${field} to be <= ${max}${unit}`, String(value), why);
    }
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
  if (input.devices !== undefined && !Number.isSafeInteger(input.devices)) {
    throw argumentError(op, 'devices to be a whole number >= 1', String(input.devices), 'count devices: 8, 384, 10000');
  }
  if (input.hours !== undefined && input.deviceHours === undefined && input.devices === undefined) {
    throw new CarbonEstimatorError('E_MISSING_INPUT', {
      op,
      expected: 'devices with hours (device-hours = hours x devices)',
      got: `hours ${input.hours} without devices`,
      help: 'pass --devices, or give --device-hours instead',
    });
  }
  const accounting = hasDeviceHours(input);
  if (!accounting && input.flops === undefined && input.tokens === undefined) {
    throw new CarbonEstimatorError('E_MISSING_INPUT', {
      op,
      expected: 'device-hours (or hours with devices), or training tokens (with params) or FLOPs',
      got: 'neither',
      help: 'for a run you did: --device-hours 663552 (or --hours 24 --devices 8); for a run you plan: --params 7B --tokens 2T, or --flops 3.1e23',
    });
  }
  if (!accounting && input.flops === undefined && input.params === undefined) {
    throw new CarbonEstimatorError('E_MISSING_INPUT', {
      op,
      expected: 'params together with tokens',
      got: 'tokens without params',
      help: 'pass --params (e.g. 7B), or give --flops directly, or --device-hours for a run you did',
    });
  }
  const noHardware = input.hardware === undefined || input.hardware === null || input.hardware === '';
  if (noHardware && !(accounting && (input.powerWatts !== undefined || input.energyKWh !== undefined))) {
    throw new CarbonEstimatorError('E_MISSING_INPUT', {
      op,
      expected: 'a hardware id',
      got: 'nothing',
      help: 'pass --hardware h100 (run `wattformer-carbon hardware` for the list), or --power-watts with --device-hours for a run you did',
    });
  }
}

/** True when the input says how long the devices ran (or how much energy they drew): accounting mode. */
export function hasDeviceHours(input: ProjectionInput): boolean {
  return input.deviceHours !== undefined || (input.hours !== undefined && input.devices !== undefined) || input.energyKWh !== undefined;
}
