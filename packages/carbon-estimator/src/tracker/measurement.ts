/**
 * Turns what a tracker counted (energy per component, duration, place) into the shared report
 * and a CodeCarbon-compatible record. Browser-safe: no Node imports.
 */
import { ISO_ALPHA3 } from '../data/iso-alpha3';
import { add, exact, multiply, scale, type Range } from '../interval';
import type { ResolvedLocation } from '../region';
import { equivalencesFor } from '../report/equivalences';
import { figure, REPORT_SCHEMA, type Assumption, type Basis, type CarbonReport, type Component } from '../report/schema';
import type { EmissionsRecord } from './codecarbon-csv';

/**
 * Energy of one component (CPU, GPU or RAM) over a run: the range, how it was obtained (measured or modelled) and the device.
 */
export interface ComponentEnergy {
  readonly energyKWh: Range;
  readonly basis: Basis;
  readonly method: string;
  readonly count?: number;
  readonly model?: string;
  readonly utilizationPercent?: number;
}

/** What `buildMeasurement` needs: names, start and duration, energy per component, place and PUE. */
export interface MeasurementInput {
  readonly title: string;
  readonly projectName: string;
  readonly runId: string;
  readonly experimentId?: string;
  readonly startedAt: Date;
  readonly durationSeconds: number;
  readonly cpu: ComponentEnergy;
  /** Undefined when no GPU was found. */
  readonly gpu?: ComponentEnergy;
  readonly ram: ComponentEnergy & { readonly totalGb: number; readonly usedGb?: number };
  readonly location?: ResolvedLocation;
  /** gCO2e/kWh given directly (overrides the location). */
  readonly intensity?: number;
  readonly pue: number;
  readonly environment: { readonly os: string; readonly runtime: string; readonly cpuCount: number };
  readonly trackingMode: 'machine' | 'process';
  readonly toolVersion: string;
  readonly notes?: readonly string[];
}

/** A finished measurement: the report and its emissions.csv row. */
export interface Measurement {
  readonly report: CarbonReport;
  readonly record: EmissionsRecord;
}

const ZERO: ComponentEnergy = { energyKWh: exact(0), basis: 'measured', method: 'no GPU found' };

/**
 * Turns energy per component (CPU, GPU, RAM), duration and place into a measurement: a `CarbonReport` plus a CodeCarbon-compatible emissions row.
 */
export function buildMeasurement(input: MeasurementInput): Measurement {
  const gpu = input.gpu ?? ZERO;
  const intensityRange = input.intensity !== undefined ? exact(input.intensity) : (input.location?.intensity ?? exact(0));
  const perKWh = scale(intensityRange, 1 / 1000);
  const dynamic = add(input.cpu.energyKWh, gpu.energyKWh, input.ram.energyKWh);
  const energy = scale(dynamic, input.pue);
  const co2 = multiply(energy, perKWh);
  const bases = new Set([input.cpu.basis, gpu.basis, input.ram.basis]);
  const basis: Basis = bases.size === 1 ? input.cpu.basis : 'modelled';
  const seconds = input.durationSeconds;
  const describe = (name: string, c: ComponentEnergy) => `${name}: ${c.basis} (${c.method})`;
  const scope = [describe('CPU', input.cpu), describe('GPU', gpu), describe('RAM', input.ram)].join('; ');

  const components: Component[] = [
    {
      name: 'CPU',
      co2eKg: multiply(scale(input.cpu.energyKWh, input.pue), perKWh),
      energyKWh: input.cpu.energyKWh,
      basis: input.cpu.basis,
      method: input.cpu.method,
    },
    { name: 'GPU', co2eKg: multiply(scale(gpu.energyKWh, input.pue), perKWh), energyKWh: gpu.energyKWh, basis: gpu.basis, method: gpu.method },
    {
      name: 'RAM',
      co2eKg: multiply(scale(input.ram.energyKWh, input.pue), perKWh),
      energyKWh: input.ram.energyKWh,
      basis: input.ram.basis,
      method: input.ram.method,
    },
  ];
  const assumptions: Assumption[] = [
    {
      name: 'grid intensity',
      value: intensityRange.value,
      low: intensityRange.low,
      high: intensityRange.high,
      unit: 'gCO2e/kWh',
      basis: input.intensity !== undefined ? 'given' : 'reported',
      source: input.intensity !== undefined ? 'given' : (input.location?.observations ?? []).map((o) => `${o.gramsPerKWh} (${o.year}, ${o.source})`).join('; '),
    },
    { name: 'PUE', value: input.pue, basis: 'given', source: 'tracker option (CodeCarbon default 1.0)' },
  ];
  const embodied = figure(exact(0), 'kgCO2e', 'not estimated for a local run', 'embodied not included', 'modelled');
  const report: CarbonReport = {
    schema: REPORT_SCHEMA,
    kind: 'measurement',
    title: input.title,
    createdAt: input.startedAt.toISOString(),
    location: {
      id: input.location?.id ?? 'custom',
      name: input.location?.name ?? 'given intensity',
      intensity: figure(
        intensityRange,
        'gCO2e/kWh',
        'location-based annual average',
        'grid, generation-side',
        input.intensity !== undefined ? 'given' : 'reported',
      ),
      pue: figure(exact(input.pue), 'ratio', 'given', 'facility / IT energy', 'given'),
    },
    figures: {
      durationSeconds: figure(exact(seconds), 's', 'wall clock', 'tracked span', 'measured'),
      dynamicEnergyKWh: figure(dynamic, 'kWh', 'CPU + GPU + RAM', scope, basis),
      energyKWh: figure(energy, 'kWh', '(CPU + GPU + RAM) x PUE', `facility (PUE ${input.pue})`, basis),
      dynamicCo2eKg: figure(multiply(dynamic, perKWh), 'kgCO2e', 'dynamic energy x intensity', 'operational, no PUE', basis),
      co2eKg: figure(co2, 'kgCO2e', 'energy x intensity', 'operational, facility (PUE applied)', basis),
      embodiedCo2eKg: embodied,
      totalCo2eKg: figure(co2, 'kgCO2e', 'operational + embodied (embodied not included)', 'operational (PUE applied)', basis),
    },
    components,
    assumptions,
    equivalences: equivalencesFor(co2),
    notes: [
      `What was measured vs modelled: ${scope}.`,
      'Intervals come from the grid-intensity observations and, for modelled components, the spread of the power model.',
      ...(input.notes ?? []),
    ],
  };
  const watts = (e: Range) => (seconds > 0 ? (e.value * 3.6e6) / seconds : 0);
  const country = input.location?.country ?? '';
  const record: EmissionsRecord = {
    timestamp: new Date(input.startedAt.getTime() + seconds * 1000).toISOString().replace('Z', ''),
    project_name: input.projectName,
    run_id: input.runId,
    experiment_id: input.experimentId ?? '',
    duration: seconds,
    emissions: co2.value,
    emissions_rate: seconds > 0 ? co2.value / seconds : 0,
    cpu_utilization_percent: input.cpu.utilizationPercent ?? '',
    gpu_utilization_percent: input.gpu?.utilizationPercent ?? '',
    ram_utilization_percent: input.ram.totalGb > 0 && input.ram.usedGb !== undefined ? (100 * input.ram.usedGb) / input.ram.totalGb : '',
    ram_used_gb: input.ram.usedGb ?? '',
    cpu_power: watts(input.cpu.energyKWh),
    gpu_power: watts(gpu.energyKWh),
    ram_power: watts(input.ram.energyKWh),
    cpu_energy: input.cpu.energyKWh.value,
    gpu_energy: gpu.energyKWh.value,
    ram_energy: input.ram.energyKWh.value,
    energy_consumed: energy.value,
    water_consumed: 0,
    country_name: input.location?.kind === 'country' ? input.location.name : country,
    country_iso_code: ISO_ALPHA3[country] ?? '',
    region: '',
    cloud_provider: input.location?.provider ?? '',
    cloud_region: input.location?.kind === 'cloud' ? (input.location.id.split(':')[1] ?? '') : '',
    os: input.environment.os,
    python_version: input.environment.runtime,
    codecarbon_version: input.toolVersion,
    cpu_count: input.environment.cpuCount,
    cpu_model: input.cpu.model ?? '',
    gpu_count: gpu.count ?? 0,
    gpu_model: gpu.model ?? '',
    longitude: '',
    latitude: '',
    ram_total_size: input.ram.totalGb,
    tracking_mode: input.trackingMode,
    on_cloud: input.location?.kind === 'cloud' ? 'Y' : 'N',
    pue: input.pue,
    wue: 0,
    cpu_energy_basis: input.cpu.basis,
    gpu_energy_basis: input.gpu ? gpu.basis : 'absent',
    ram_energy_basis: input.ram.basis,
    emissions_low: co2.low,
    emissions_high: co2.high,
  };
  return { report, record };
}
