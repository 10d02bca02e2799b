import { closeMatches } from './close-matches';
import { ACCELERATORS, DRAW_TO_TDP_RATIO, type AcceleratorSpec, type Dtype } from './data/accelerators';
import { CPUS, type CpuSpec } from './data/cpus';
import { CarbonEstimatorError, describeValue } from './errors';
import { range, type Range } from './interval';

/** Every device the estimator knows: accelerators first, then CPUs (as single-socket devices). */
export function listHardware(): readonly AcceleratorSpec[] {
  return [...ACCELERATORS, ...CPUS.map(cpuAsDevice)];
}

function cpuAsDevice(cpu: CpuSpec): AcceleratorSpec {
  return {
    id: cpu.id,
    name: cpu.name,
    kind: 'cpu',
    aliases: [],
    tdpWatts: cpu.tdpWatts,
    tdpSource: 'CodeCarbon cpu_power.csv (v3.3.0)',
    peakFlops: cpu.peakFp32Flops === undefined ? {} : { fp32: cpu.peakFp32Flops },
    peakSource: 'derived: cores x base clock x FLOP/cycle/core (carbon-reference.md §3.2)',
    typicalWatts: cpu.tdpWatts,
    typicalSource: 'TDP (CodeCarbon cpu_power.csv, v3.3.0)',
  };
}

/** Resolves an id or alias case-insensitively (`H100`, `a100`, `tpu-v3`). */
export function resolveHardware(input: string, op = 'resolveHardware'): AcceleratorSpec {
  const key =
    typeof input === 'string'
      ? input
          .trim()
          .toLowerCase()
          .replace(/[\s_]+/g, '-')
      : '';
  const devices = listHardware();
  const found = devices.find((device) => device.id === key || device.aliases.includes(key));
  if (found) return found;
  const names = devices.flatMap((device) => [device.id, ...device.aliases]);
  const suggestions = closeMatches(key, names);
  throw new CarbonEstimatorError('E_UNKNOWN_CHOICE', {
    op,
    expected: 'a known hardware id',
    got: describeValue(input),
    help: `${suggestions.length > 0 ? `did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}? ` : ''}valid ids: ${devices
      .map((device) => device.id)
      .join(', ')} (run \`wattformer-carbon hardware\` to list them with aliases)`,
  });
}

/** Dense peak FLOP/s for a dtype; BF16 falls back to FP16 (V100 has no BF16 units). */
export function peakFlopsFor(device: AcceleratorSpec, dtype: Dtype): { flops: number; dtype: Dtype } | undefined {
  const order: readonly Dtype[] = dtype === 'bf16' ? ['bf16', 'fp16'] : dtype === 'fp16' ? ['fp16', 'bf16'] : [dtype];
  for (const candidate of order) {
    const flops = device.peakFlops[candidate];
    if (flops !== undefined) return { flops, dtype: candidate };
  }
  // CPUs only list FP32; use it when asked for a dtype the device lacks.
  const fp32 = device.peakFlops.fp32;
  return fp32 === undefined ? undefined : { flops: fp32, dtype: 'fp32' };
}

/**
 * Average draw per device during training. Central: the device's typical figure (measured
 * where published, else TDP). Range: the published spread of draw vs TDP (0.54-1.10 x TDP),
 * widened to the device's own measurements, or the device's explicit range.
 */
export function devicePowerRange(device: AcceleratorSpec): Range {
  if (device.powerRange) return range(device.typicalWatts, device.powerRange.low, device.powerRange.high);
  const lows = [device.tdpWatts * DRAW_TO_TDP_RATIO.low, ...(device.measured ? [device.measured.low] : [])];
  const highs = [device.tdpWatts * DRAW_TO_TDP_RATIO.high, ...(device.measured ? [device.measured.high] : [])];
  return range(device.typicalWatts, Math.min(...lows), Math.max(...highs));
}
