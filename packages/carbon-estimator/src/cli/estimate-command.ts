import type { Dtype } from '../data/accelerators';
import { argumentError } from '../errors';
import { estimateTraining } from '../projection';
import { suggestReductions } from '../reductions';
import type { ProjectionInput } from '../projection-input';
import { toEstimateJson, type EstimateJson } from '../report/estimate-json';
import { formatMass, formatNumber } from '../report/format';
import { renderHtml } from '../report/html';
import { renderMarkdown } from '../report/markdown';
import type { CliIo } from './io';
import { parseCliNumber } from './parse-number';

/** Raw option strings from commander, keyed by camel-cased flag name. */
export type EstimateOptions = Readonly<Record<string, string | boolean | undefined>>;

// Flag -> [input field, must be > 0, must be whole].
export const NUMERIC_FLAGS: ReadonlyArray<readonly [flag: string, key: string, field: keyof ProjectionInput, positive: boolean, integer?: boolean]> = [
  ['--params', 'params', 'params', false],
  ['--tokens', 'tokens', 'tokens', false],
  ['--flops', 'flops', 'flops', false],
  ['--devices', 'devices', 'devices', true, true],
  ['--memory-gb', 'memoryGb', 'memoryGb', false],
  ['--device-hours', 'deviceHours', 'deviceHours', false],
  ['--hours', 'hours', 'hours', false],
  ['--power-watts', 'powerWatts', 'powerWatts', false],
  ['--mfu', 'mfu', 'mfu', true],
  ['--pue', 'pue', 'pue', true],
  ['--intensity', 'intensity', 'intensity', false],
  ['--embodied', 'embodied', 'embodiedKgPerDevice', false],
  ['--peak-flops', 'peakFlops', 'peakFlops', true],
  ['--idle-kwh', 'idleKwh', 'idleEnergyKWh', false],
  ['--energy-kwh', 'energyKwh', 'energyKWh', false],
  ['--service-life', 'serviceLife', 'serviceLifeYears', true],
  ['--lifetime-utilisation', 'lifetimeUtilisation', 'lifetimeUtilisation', true],
];

const DTYPES: readonly Dtype[] = ['bf16', 'fp16', 'tf32', 'fp32'];

export function optionsToInput(options: EstimateOptions): ProjectionInput {
  const input: Record<string, unknown> = {};
  for (const [flag, key, field, positive, integer] of NUMERIC_FLAGS) {
    const raw = options[key];
    if (raw === undefined) continue;
    if (typeof raw !== 'string') throw argumentError('cli', `${flag} <number>`, 'no value');
    input[field] = parseCliNumber(flag, raw, { positive, integer: integer === true });
  }
  if (typeof options.hardware === 'string') input.hardware = options.hardware;
  if (typeof options.region === 'string') input.region = options.region;
  if (typeof options.title === 'string') input.title = options.title;
  if (typeof options.dtype === 'string') {
    const dtype = options.dtype.toLowerCase();
    if (!DTYPES.includes(dtype as Dtype)) {
      throw argumentError('cli', `--dtype to be one of ${DTYPES.map((d) => `'${d}'`).join(', ')}`, `'${options.dtype}'`);
    }
    input.dtype = dtype;
  }
  if (options.layers !== undefined || options.dModel !== undefined || options.contextLength !== undefined) {
    input.architecture = {
      layers: parseCliNumber('--layers', String(options.layers ?? ''), { positive: true, integer: true }),
      dModel: parseCliNumber('--d-model', String(options.dModel ?? ''), { positive: true, integer: true }),
      contextLength: parseCliNumber('--context-length', String(options.contextLength ?? ''), { positive: true, integer: true }),
    };
  }
  return input as unknown as ProjectionInput;
}

export function runEstimate(options: EstimateOptions, io: CliIo): void {
  const input = optionsToInput(options);
  const report = estimateTraining(input);
  const reductions = suggestReductions(input);
  if (options.json) {
    const json: EstimateJson = {
      ...toEstimateJson(report),
      reductions: reductions.map((r) => ({
        kind: r.kind,
        change: r.change,
        co2eKg: r.co2eKg.value,
        co2eKgLow: r.co2eKg.low,
        co2eKgHigh: r.co2eKg.high,
        savedKg: r.savedKg,
        savedFraction: r.savedFraction,
      })),
    };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  if (options.markdown) {
    io.stdout(renderMarkdown(report, { reductions }));
    return;
  }
  if (options.html) {
    io.stdout(renderHtml(report, { reductions }));
    return;
  }
  const f = report.figures;
  const line = (label: string, value: string) => io.stdout(`${label.padEnd(26)}${value}\n`);
  const span = (x: { value: number; low: number; high: number }, fmt: (n: number) => string) => `${fmt(x.value)}  (${fmt(x.low)} – ${fmt(x.high)})`;
  io.stdout(
    `${report.title}\n${report.location.name}: ${formatNumber(report.location.intensity.value)} gCO2e/kWh, PUE ${formatNumber(report.location.pue.value)}\n\n`,
  );
  if (f.flops) line('training FLOPs', `${f.flops.value.toExponential(3)}  [${f.flops.method}]`);
  if (f.deviceHours) line('device-hours', span(f.deviceHours, formatNumber));
  if (f.wallClockHours) line('wall-clock hours', span(f.wallClockHours, formatNumber));
  line('energy (PUE applied)', `${span(f.energyKWh, formatNumber)} kWh`);
  line('operational CO2e', span(f.co2eKg, formatMass));
  line('embodied CO2e', span(f.embodiedCo2eKg, formatMass));
  line('total CO2e', span(f.totalCo2eKg, formatMass));
  for (const e of report.equivalences) line(`≈ ${e.unit}`, `${formatNumber(e.amount.value)} ${e.label}`);
  if (reductions.length > 0) {
    io.stdout('\nTo cut it most:\n');
    for (const r of reductions) io.stdout(`  - ${r.change}: ${formatMass(r.co2eKg.value)} CO2e (−${Math.round(r.savedFraction * 100)}%)\n`);
  }
  io.stdout(`\n${report.interval?.description ?? ''} --json for all fields, --markdown or --html for a full report.\n`);
}
