import type { AcceleratorSpec } from './data/accelerators';
import { EMBODIED_KG_PER_DEVICE, HOURS_PER_YEAR, LIFETIME_UTILISATION, SERVICE_LIFE_YEARS } from './data/embodied';
import { UNKNOWN_DATACENTRE_PUE } from './data/pue';
import { WHOLE_RUN_MFU } from './data/utilisation';
import { CarbonEstimatorError } from './errors';
import { trainingFlops } from './flops';
import { devicePowerRange, peakFlopsFor, resolveHardware } from './hardware';
import { add, exact, multiply, reciprocal, scale, type Range } from './interval';
import { validateProjectionInput, type ProjectionInput } from './projection-input';
import { resolveRegion, type ResolvedLocation } from './region';
import { equivalencesFor } from './report/equivalences';
import { figure, REPORT_SCHEMA, type Assumption, type CarbonReport, type Figure } from './report/schema';

const ENVELOPE_NOTE =
  'Intervals are envelopes: every uncertain input (MFU, power vs TDP, PUE, grid intensity, embodied) at its low end together and at its high end together, each input range spanning published observations. Inputs you pass are exact.';

function given(value: number | undefined, fallback: Range): { range: Range; given: boolean } {
  return value === undefined ? { range: fallback, given: false } : { range: exact(value), given: true };
}

/**
 * Projects the energy and CO2e of a training run. Pure: no I/O, safe in browsers.
 * Throws a CarbonEstimatorError with a stable `code` on bad input.
 */
export function estimateTraining(input: ProjectionInput): CarbonReport {
  validateProjectionInput(input);
  const device: AcceleratorSpec = typeof input.hardware === 'string' ? resolveHardware(input.hardware, 'estimate') : input.hardware;
  const assumptions: Assumption[] = [];
  const notes: string[] = [ENVELOPE_NOTE];

  // FLOPs.
  const flopsInfo =
    input.flops !== undefined
      ? { flops: input.flops, method: 'given', attentionFlops: 0 }
      : trainingFlops(input.params ?? 0, input.tokens ?? 0, input.architecture);
  const flops = figure(exact(flopsInfo.flops), 'FLOP', flopsInfo.method, 'training (forward + backward)', input.flops !== undefined ? 'given' : 'modelled');
  if (input.flops === undefined) {
    notes.push('6·N·D overcounts encoder-decoder models and undercounts activation recomputation (carbon-reference.md §3.8).');
  }

  // Device-hours.
  let deviceHours: Figure;
  if (input.deviceHours !== undefined) {
    deviceHours = figure(exact(input.deviceHours), 'device-h', 'given', 'whole allocation', 'given');
  } else if (input.hours !== undefined && input.devices !== undefined) {
    deviceHours = figure(exact(input.hours * input.devices), 'device-h', 'hours x devices', 'whole allocation', 'given');
  } else {
    const peak = input.peakFlops !== undefined ? { flops: input.peakFlops, dtype: input.dtype ?? 'bf16' } : peakFlopsFor(device, input.dtype ?? 'bf16');
    if (!peak) {
      throw new CarbonEstimatorError('E_MISSING_INPUT', {
        op: 'estimate',
        expected: `a published peak FLOP/s for '${device.id}' to project device-hours`,
        got: 'none',
        help: 'pass --device-hours or --hours (with --devices), or --peak-flops',
      });
    }
    const mfu = given(input.mfu, WHOLE_RUN_MFU);
    assumptions.push({
      name: 'peak FLOP/s per device', value: peak.flops, unit: `FLOP/s (${peak.dtype}, dense)`,
      basis: input.peakFlops !== undefined ? 'given' : 'reported', source: input.peakFlops !== undefined ? 'given' : device.peakSource,
    });
    assumptions.push({
      name: 'whole-run MFU', value: mfu.range.value, low: mfu.range.low, high: mfu.range.high,
      basis: mfu.given ? 'given' : 'modelled', source: mfu.given ? 'given' : WHOLE_RUN_MFU.source,
    });
    const hoursRange = scale(reciprocal(mfu.range), flopsInfo.flops / (peak.flops * 3600));
    deviceHours = figure(hoursRange, 'device-h', 'FLOPs / (peak x MFU)', 'whole allocation', 'modelled');
  }
  const wallClockHours =
    input.devices !== undefined
      ? figure(scale(deviceHours, 1 / input.devices), 'h', 'device-hours / devices', 'wall clock', deviceHours.basis)
      : undefined;

  // Power and dynamic energy.
  let dynamicEnergy: Figure;
  if (input.energyKWh !== undefined) {
    dynamicEnergy = figure(exact(input.energyKWh), 'kWh', 'given', 'devices, no PUE', 'given');
  } else {
    const power = given(input.powerWatts, devicePowerRange(device));
    assumptions.push({
      name: 'average power per device', value: power.range.value, low: power.range.low, high: power.range.high, unit: 'W',
      basis: power.given ? 'given' : 'modelled',
      source: power.given ? 'given' : `${device.typicalSource}; range: published draw vs TDP 0.54-1.10 (carbon-reference.md §0, §3.1)${device.measured ? `; measured ${device.measured.low}-${device.measured.high} W (${device.measured.scope}, ${device.measured.source})` : ''}`,
    });
    dynamicEnergy = figure(scale(multiply(deviceHours, power.range), 1 / 1000), 'kWh', 'device-hours x average power', 'devices, no PUE', 'modelled');
  }
  const idleEnergy =
    input.idleEnergyKWh !== undefined ? figure(exact(input.idleEnergyKWh), 'kWh', 'given', 'idle share of the allocation, no PUE', 'given') : undefined;
  if (!idleEnergy) notes.push('Idle energy of the allocation is not included (unknown); pass idleEnergyKWh when you have it.');

  // Location, PUE, intensity.
  const location: ResolvedLocation | undefined =
    input.region !== undefined ? resolveRegion(input.region, 'estimate') : input.intensity === undefined ? resolveRegion('WORLD') : undefined;
  if (input.region === undefined && input.intensity === undefined) notes.push('No location given: the world average grid intensity is used.');
  const pueDefault = location?.defaultPue ?? UNKNOWN_DATACENTRE_PUE;
  const pue = given(input.pue, pueDefault);
  const pueFigure = figure(pue.range, 'ratio', pue.given ? 'given' : 'default', 'facility / IT energy', pue.given ? 'given' : 'modelled');
  assumptions.push({ name: 'PUE', value: pue.range.value, low: pue.range.low, high: pue.range.high, basis: pueFigure.basis, source: pue.given ? 'given' : pueDefault.source });
  const intensity = given(input.intensity, location?.intensity ?? exact(0));
  const intensitySource = intensity.given ? 'given' : (location?.observations ?? []).map((o) => `${o.gramsPerKWh} (${o.year}, ${o.source})`).join('; ');
  const intensityFigure = figure(intensity.range, 'gCO2e/kWh', intensity.given ? 'given' : 'location-based annual average', 'grid, generation-side', intensity.given ? 'given' : 'reported');
  assumptions.push({ name: 'grid intensity', value: intensity.range.value, low: intensity.range.low, high: intensity.range.high, unit: 'gCO2e/kWh', basis: intensityFigure.basis, source: intensitySource });

  const itEnergy = idleEnergy ? add(dynamicEnergy, idleEnergy) : dynamicEnergy;
  const energy = figure(multiply(itEnergy, pue.range), 'kWh', idleEnergy ? '(dynamic + idle) x PUE' : 'dynamic x PUE', 'facility (PUE applied)', dynamicEnergy.basis);
  const perKWh = scale(intensity.range, 1 / 1000);
  const dynamicCo2e = figure(multiply(dynamicEnergy, perKWh), 'kgCO2e', 'dynamic energy x intensity', 'operational, devices only, no PUE', energy.basis);
  const co2e = figure(multiply(energy, perKWh), 'kgCO2e', 'energy x intensity', `operational, facility (PUE applied)${idleEnergy ? ', idle included' : ''}`, energy.basis);

  // Embodied, amortised over the device's service life by the device-hours used.
  const kg = given(input.embodiedKgPerDevice, EMBODIED_KG_PER_DEVICE);
  const life = given(input.serviceLifeYears, SERVICE_LIFE_YEARS);
  const utilisation = given(input.lifetimeUtilisation, LIFETIME_UTILISATION);
  assumptions.push({ name: 'embodied CO2e per device', value: kg.range.value, low: kg.range.low, high: kg.range.high, unit: 'kgCO2e', basis: kg.given ? 'given' : 'reported', source: kg.given ? 'given' : EMBODIED_KG_PER_DEVICE.source });
  assumptions.push({ name: 'service life', value: life.range.value, low: life.range.low, high: life.range.high, unit: 'years', basis: life.given ? 'given' : 'reported', source: life.given ? 'given' : SERVICE_LIFE_YEARS.source });
  assumptions.push({ name: 'lifetime utilisation', value: utilisation.range.value, low: utilisation.range.low, high: utilisation.range.high, basis: utilisation.given ? 'given' : 'reported', source: utilisation.given ? 'given' : LIFETIME_UTILISATION.source });
  const embodiedRange = multiply(kg.range, deviceHours, reciprocal(scale(multiply(life.range, utilisation.range), HOURS_PER_YEAR)));
  const embodied = figure(embodiedRange, 'kgCO2e', 'kg per device x device-hours / (service life x utilisation)', 'embodied, accelerators and their server share, amortised', 'modelled');
  const total = figure(add(co2e, embodied), 'kgCO2e', 'operational + embodied', 'operational (PUE applied) + embodied', co2e.basis);

  const count = input.devices;
  return {
    schema: REPORT_SCHEMA,
    kind: 'projection',
    title: input.title ?? `Training projection on ${device.name}${count !== undefined ? ` x ${count}` : ''}`,
    createdAt: new Date().toISOString(),
    hardware: { id: device.id, name: device.name, ...(count !== undefined ? { count } : {}) },
    location: { id: location?.id ?? 'custom', name: location?.name ?? 'given intensity', intensity: intensityFigure, pue: pueFigure },
    figures: {
      flops, deviceHours, ...(wallClockHours ? { wallClockHours } : {}),
      dynamicEnergyKWh: dynamicEnergy, ...(idleEnergy ? { idleEnergyKWh: idleEnergy } : {}),
      energyKWh: energy, dynamicCo2eKg: dynamicCo2e, co2eKg: co2e, embodiedCo2eKg: embodied, totalCo2eKg: total,
    },
    components: [
      { name: 'devices (dynamic)', co2eKg: dynamicCo2e, energyKWh: dynamicEnergy, basis: dynamicEnergy.basis, method: dynamicCo2e.method },
      ...(idleEnergy ? [{ name: 'idle', co2eKg: multiply(idleEnergy, perKWh), energyKWh: idleEnergy, basis: idleEnergy.basis, method: 'idle energy x intensity' }] : []),
      { name: 'facility overhead (PUE)', co2eKg: overheadRange(itEnergy, pue.range, perKWh), basis: pueFigure.basis, method: 'IT energy x (PUE - 1) x intensity' },
      { name: 'embodied', co2eKg: embodied, basis: embodied.basis, method: embodied.method },
    ],
    assumptions,
    equivalences: equivalencesFor(total),
    notes,
  };
}

function overheadRange(itEnergy: Range, pue: Range, perKWh: Range): Range {
  const overhead: Range = { value: pue.value - 1, low: pue.low - 1, high: pue.high - 1 };
  return multiply(itEnergy, overhead, perKWh);
}
