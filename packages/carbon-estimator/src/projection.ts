import { CALIBRATED_COVERAGE, fitCalibration, fittedMfu, type CalibrationFit, type CentralEnergy, type MfuFeatures } from './calibration/fit';
import { FOOTPRINTS } from './calibration/footprints';
import type { AcceleratorSpec } from './data/accelerators';
import { EMBODIED_KG_PER_DEVICE, HOURS_PER_YEAR, LIFETIME_UTILISATION, SERVICE_LIFE_YEARS } from './data/embodied';
import { MEMORY_WATTS_PER_GB } from './data/memory';
import { UNKNOWN_DATACENTRE_PUE } from './data/pue';
import { WHOLE_RUN_MFU } from './data/utilisation';
import { argumentError, CarbonEstimatorError } from './errors';
import { trainingFlops } from './flops';
import { devicePowerRange, peakFlopsFor, resolveHardware } from './hardware';
import { add, combineIndependent, exact, NO_SPREAD, spreadOf, withSpread, type Range, type Spread } from './interval';
import { validateProjectionInput, type ProjectionInput } from './projection-input';
import { resolveRegion, type ResolvedLocation } from './region';
import { equivalencesFor } from './report/equivalences';
import { figure, REPORT_SCHEMA, type Assumption, type CarbonReport, type Figure, type IntervalInfo } from './report/schema';

/** How each MFU function reads in an estimate's assumptions and interval description. */
const MFU_FUNCTION_TEXT: Record<MfuFeatures, string> = {
  constant: '(one value for all hardware)',
  peak: "as a log-linear function of the device's dense bf16 peak",
  family: "as a log-linear function of the device's dense bf16 peak with a TPU-family offset",
  'family-params': "as a log-linear function of the device's dense bf16 peak, TPU family and model size, no interaction (parameters unknown: 10B)",
  'family-size': "as a log-linear function of the device's dense bf16 peak, TPU family and model size (parameters unknown: 10B)",
  saturating:
    "falling as the model's parameters per TFLOP/s of device peak fall below a fitted knee (flat above it), with a TPU-family offset (parameters unknown: 10B)",
};

function given(value: number | undefined, fallback: Range): { range: Range; given: boolean } {
  return value === undefined ? { range: fallback, given: false } : { range: exact(value), given: true };
}

const inverse = (s: Spread): Spread => ({ low: 1 / s.high, high: 1 / s.low });

let defaultFit: CalibrationFit | undefined;

/** The calibration fitted on every published footprint in `data/footprints.json` (computed once). */
export function defaultCalibration(): CalibrationFit {
  defaultFit ??= fitCalibration(FOOTPRINTS, centralEnergy);
  return defaultFit;
}

/** Central facility and device energy of an input, kWh (no intervals). */
export function centralEnergy(input: ProjectionInput): CentralEnergy {
  const { figures } = estimateWithCalibration(input, null);
  return {
    facilityKWh: figures.energyKWh.value,
    devicesKWh: figures.dynamicEnergyKWh.value,
    co2eKg: figures.co2eKg.value,
    dynamicCo2eKg: figures.dynamicCo2eKg.value,
  };
}

/**
 * Estimates the energy and CO2e of a training run. Pure: no I/O, safe in browsers.
 * Projection mode: compute (params + tokens, or FLOPs) and hardware. Accounting mode: device-hours
 * (or hours x devices, or measured energy) plus hardware or `powerWatts`. A place (`region` or
 * `intensity`) is optional. Unknown inputs get calibrated or published ranges; given ones are exact.
 * Throws a CarbonEstimatorError with a stable `code` on bad input or non-finite results.
 */
export function estimateTraining(input: ProjectionInput): CarbonReport {
  return estimateWithCalibration(input, defaultCalibration());
}

/** Same as estimateTraining: the name the calculators' users look for. */
export const estimate = estimateTraining;

/**
 * estimateTraining with an explicit calibration (`null`: input ranges only). Leave-one-out
 * evaluation passes a fit made without the run under test.
 */
export function estimateWithCalibration(input: ProjectionInput, fit: CalibrationFit | null): CarbonReport {
  validateProjectionInput(input);
  const device: AcceleratorSpec | undefined =
    input.hardware === undefined || input.hardware === ''
      ? undefined
      : typeof input.hardware === 'string'
        ? resolveHardware(input.hardware, 'estimate')
        : input.hardware;
  const assumptions: Assumption[] = [];
  const notes: string[] = [];

  // FLOPs (optional in accounting mode; reported when given).
  const flopsInfo =
    input.flops !== undefined
      ? { flops: input.flops, method: 'given' }
      : input.params !== undefined && input.tokens !== undefined
        ? trainingFlops(input.params, input.tokens, input.architecture)
        : undefined;
  const flops = flopsInfo
    ? figure(exact(flopsInfo.flops), 'FLOP', flopsInfo.method, 'training (forward + backward)', input.flops !== undefined ? 'given' : 'modelled')
    : undefined;
  if (flopsInfo && input.flops === undefined) {
    notes.push('6·N·D overcounts encoder-decoder models and undercounts activation recomputation (carbon-reference.md §3.8).');
  }

  // Power per device: given, or the device's published range.
  const power = input.powerWatts !== undefined ? given(input.powerWatts, exact(0)) : device ? given(undefined, devicePowerRange(device)) : undefined;
  const powerSpread = power && input.energyKWh === undefined ? spreadOf(power.range) : NO_SPREAD;

  // Device-hours: given, hours x devices, projected from FLOPs, or derived from measured energy.
  let deviceHours: Figure | undefined;
  let mfuSpread = NO_SPREAD;
  let projected = false;
  if (input.deviceHours !== undefined) {
    deviceHours = figure(exact(input.deviceHours), 'device-h', 'given', 'whole allocation', 'given');
  } else if (input.hours !== undefined && input.devices !== undefined) {
    deviceHours = figure(exact(input.hours * input.devices), 'device-h', 'hours x devices', 'whole allocation', 'given');
  } else if (flopsInfo && (device || input.peakFlops !== undefined) && !(input.energyKWh !== undefined && device === undefined)) {
    const peak =
      input.peakFlops !== undefined
        ? { flops: input.peakFlops, dtype: input.dtype ?? 'bf16' }
        : device
          ? peakFlopsFor(device, input.dtype ?? 'bf16')
          : undefined;
    if (!peak) {
      if (input.energyKWh === undefined) {
        throw new CarbonEstimatorError('E_MISSING_INPUT', {
          op: 'estimate',
          expected: `a published peak FLOP/s for '${device?.id ?? 'custom'}' to project device-hours`,
          got: 'none',
          help: 'pass --device-hours or --hours (with --devices), or --peak-flops',
        });
      }
    } else {
      // Calibrated projection (MFU and power not given): the MFU centre fitted on the published
      // runs (MFU_FEATURES: by model size per TFLOP/s of the device and family); else the reference range of data/utilisation.ts.
      const mfuModel = fit && input.mfu === undefined && input.powerWatts === undefined && input.energyKWh === undefined ? fit.projection.mfu : undefined;
      const fittedCentre = mfuModel
        ? fittedMfu(mfuModel, {
            peakFlops: device ? (peakFlopsFor(device, 'bf16')?.flops ?? peak.flops) : peak.flops,
            tpu: device?.kind === 'tpu',
            ...(input.params !== undefined ? { params: input.params } : {}),
          })
        : undefined;
      const mfu =
        fittedCentre !== undefined
          ? { range: { value: fittedCentre, low: Math.min(WHOLE_RUN_MFU.low, fittedCentre), high: Math.max(WHOLE_RUN_MFU.high, fittedCentre) }, given: false }
          : given(input.mfu, WHOLE_RUN_MFU);
      const mfuSource = mfuModel
        ? `fitted on ${mfuModel.n} published runs (data/footprints.json): effective whole-run MFU ${MFU_FUNCTION_TEXT[mfuModel.features]}, including the gap between real and typical draw; range: ${WHOLE_RUN_MFU.source}`
        : WHOLE_RUN_MFU.source;
      assumptions.push({
        name: 'peak FLOP/s per device',
        value: peak.flops,
        unit: `FLOP/s (${peak.dtype}, dense)`,
        basis: input.peakFlops !== undefined ? 'given' : 'reported',
        source: input.peakFlops !== undefined ? 'given' : (device?.peakSource ?? 'given'),
      });
      assumptions.push({
        name: 'whole-run MFU',
        value: mfu.range.value,
        low: mfu.range.low,
        high: mfu.range.high,
        basis: mfu.given ? 'given' : 'modelled',
        source: mfu.given ? 'given' : mfuSource,
      });
      mfuSpread = inverse(spreadOf(mfu.range));
      projected = true;
      const hours = flopsInfo.flops / (peak.flops * mfu.range.value * 3600);
      deviceHours = figure(withSpread(hours, mfuSpread), 'device-h', 'FLOPs / (peak x MFU)', 'whole allocation', 'modelled');
    }
  }
  if (!deviceHours && input.energyKWh !== undefined && power && power.range.value > 0) {
    const hours = (input.energyKWh * 1000) / power.range.value;
    deviceHours = figure(withSpread(hours, inverse(spreadOf(power.range))), 'device-h', 'measured energy / average power', 'whole allocation', 'modelled');
  }
  const wallClockHours =
    input.hours !== undefined
      ? figure(exact(input.hours), 'h', 'given', 'wall clock', 'given')
      : deviceHours && input.devices !== undefined
        ? figure(withSpread(deviceHours.value / input.devices, spreadOf(deviceHours)), 'h', 'device-hours / devices', 'wall clock', deviceHours.basis)
        : undefined;

  if (power && input.energyKWh === undefined) {
    assumptions.push({
      name: 'average power per device',
      value: power.range.value,
      low: power.range.low,
      high: power.range.high,
      unit: 'W',
      basis: power.given ? 'given' : 'modelled',
      source:
        power.given || !device
          ? 'given'
          : `${device.typicalSource}; range: published draw vs TDP 0.54-1.10 (carbon-reference.md §0, §3.1)${device.measured ? `; measured ${device.measured.low}-${device.measured.high} W (${device.measured.scope}, ${device.measured.source})` : ''}`,
    });
  }
  const dynamicCentral = input.energyKWh ?? ((deviceHours?.value ?? 0) * (power?.range.value ?? 0)) / 1000;
  const dynamicBasis = input.energyKWh !== undefined ? 'given' : 'modelled';

  // Memory, Green Algorithms style: GB available x W per GB x wall-clock hours.
  let memoryKWh = 0;
  if (input.memoryGb !== undefined) {
    if (!wallClockHours) {
      throw new CarbonEstimatorError('E_MISSING_INPUT', {
        op: 'estimate',
        expected: 'wall-clock hours for the memory term (hours, or device-hours with devices)',
        got: `memoryGb ${input.memoryGb} without them`,
        help: 'pass --hours, or --devices with --device-hours',
      });
    }
    memoryKWh = (input.memoryGb * MEMORY_WATTS_PER_GB.value * wallClockHours.value) / 1000;
    assumptions.push({
      name: 'memory power',
      value: MEMORY_WATTS_PER_GB.value,
      unit: 'W per GB available',
      basis: 'reported',
      source: MEMORY_WATTS_PER_GB.source,
    });
  }
  const idleKWh = input.idleEnergyKWh ?? 0;
  if (input.idleEnergyKWh === undefined) notes.push('Idle energy of the allocation is not included (unknown); pass idleEnergyKWh when you have it.');

  // Location, PUE, intensity.
  const location: ResolvedLocation | undefined =
    input.region !== undefined ? resolveRegion(input.region, 'estimate') : input.intensity === undefined ? resolveRegion('WORLD') : undefined;
  if (input.region === undefined && input.intensity === undefined) notes.push('No location given: the world average grid intensity is used.');
  const pueDefault = location?.defaultPue ?? UNKNOWN_DATACENTRE_PUE;
  const pue = given(input.pue, pueDefault);
  const pueFigure = figure(pue.range, 'ratio', pue.given ? 'given' : 'default', 'facility / IT energy', pue.given ? 'given' : 'modelled');
  assumptions.push({
    name: 'PUE',
    value: pue.range.value,
    low: pue.range.low,
    high: pue.range.high,
    basis: pueFigure.basis,
    source: pue.given ? 'given' : pueDefault.source,
  });
  const intensity = given(input.intensity, location?.intensity ?? exact(0));
  const intensitySource = intensity.given ? 'given' : (location?.observations ?? []).map((o) => `${o.gramsPerKWh} (${o.year}, ${o.source})`).join('; ');
  const intensityFigure = figure(
    intensity.range,
    'gCO2e/kWh',
    intensity.given ? 'given' : 'location-based annual average',
    'grid, generation-side',
    intensity.given ? 'given' : 'reported',
  );
  assumptions.push({
    name: 'grid intensity',
    value: intensity.range.value,
    low: intensity.range.low,
    high: intensity.range.high,
    unit: 'gCO2e/kWh',
    basis: intensityFigure.basis,
    source: intensitySource,
  });

  // Intervals: calibrated where the whole chain is modelled, else independent input ranges.
  const pueSpread = spreadOf(pue.range);
  const intensitySpread = spreadOf(intensity.range);
  const powerUnknown = input.energyKWh === undefined && input.powerWatts === undefined;
  const calibratedMode = !fit
    ? undefined
    : projected && input.mfu === undefined && powerUnknown
      ? ('projection' as const)
      : !projected && deviceHours?.basis === 'given' && powerUnknown
        ? ('accounting' as const)
        : undefined;
  const calibrated = calibratedMode && fit ? fit[calibratedMode] : undefined;
  // CO2e calibrated directly: from the place's tables (its residual holds the table's PUE and
  // intensity mismatch) when a region is named and neither PUE nor intensity is given; with the
  // intensity given and PUE not, from the residual of runs estimated with their reported intensity
  // (device energy and PUE mismatch). A given PUE falls back to input ranges.
  const co2eFromPlace =
    calibrated && input.pue === undefined && input.intensity === undefined && input.region !== undefined && calibrated.co2e.n > 0 ? calibrated.co2e : undefined;
  const co2eFromIntensity =
    calibrated && input.pue === undefined && input.intensity !== undefined && calibrated.co2eGivenIntensity.n > 0 ? calibrated.co2eGivenIntensity : undefined;
  const co2eCalibrated = co2eFromPlace ?? co2eFromIntensity;
  const dynamicSpread = calibrated ?? combineIndependent(mfuSpread, powerSpread);
  const energySpread = combineIndependent(dynamicSpread, pueSpread);
  const co2eSpread = co2eCalibrated ?? combineIndependent(energySpread, intensitySpread);
  // Device-only CO2e has no PUE in it: with the intensity given it is device energy times an exact
  // factor (the PUE-mismatch fit does not apply); from the place tables the place fit (which
  // scores BLOOM's and Gopher's device-only figures this way) applies.
  const dynamicCo2eSpread = co2eFromPlace ?? combineIndependent(dynamicSpread, intensitySpread);
  const anySpread = co2eSpread.low < 1 || co2eSpread.high > 1;
  const x = (s: { low: number; high: number }) => `${s.low.toFixed(2)}x-${s.high.toFixed(2)}x`;
  const pct = fit ? `${Math.round(fit.coverage * 100)}%` : '';
  const interval: IntervalInfo =
    calibrated && fit
      ? {
          method: 'calibrated',
          mode: calibratedMode,
          coverage: fit.coverage,
          description: `Device energy interval: the ${pct} conformal spread (${x(calibrated)}) of published / estimated device energy over ${calibrated.n} published training runs (${calibratedMode} mode, data/footprints.json${calibrated.mfu ? `; central from the MFU centre fitted ${MFU_FUNCTION_TEXT[calibrated.mfu.features]}, ends from each run's residual against the centre fitted without it` : ''})${pueSpread.low < 1 || pueSpread.high > 1 ? ', combined with the published PUE range for facility energy' : ''}. ${
            co2eCalibrated
              ? `CO2e interval: the ${pct} conformal spread (${x(co2eCalibrated)}) of published / estimated CO2e over ${co2eCalibrated.n} runs with location-based figures, ${co2eFromPlace ? "the estimate using this place's table intensity and PUE (grid and PUE mismatch included)" : 'each estimated with its reported grid intensity given and the default PUE (PUE mismatch included; device-only CO2e holds no PUE and keeps the device-energy interval)'}${co2eCalibrated.guaranteed < fit.coverage ? `; with ${co2eCalibrated.n} runs it can only promise ${Math.round(co2eCalibrated.guaranteed * 100)}%` : ''}.`
              : 'CO2e interval: device energy interval combined with the ranges of what was not given (PUE, grid intensity) as independent factors.'
          } Leave-one-out coverage of both: bench-results/calibration.json.`,
        }
      : anySpread
        ? {
            method: 'input-ranges',
            description:
              'Each unknown input spans its published observations; independent inputs combine in quadrature on the log scale (not all at one end together). Not a calibrated coverage.',
          }
        : { method: 'exact', description: 'Every input was given: the figures are exact products of them.' };
  notes.unshift(`Intervals: ${interval.description} Inputs you pass are exact.`);

  const dynamicEnergy = figure(
    withSpread(dynamicCentral, dynamicSpread),
    'kWh',
    input.energyKWh !== undefined ? 'given' : 'device-hours x average power',
    'devices, no PUE',
    dynamicBasis,
  );
  const idleEnergy = input.idleEnergyKWh !== undefined ? figure(exact(idleKWh), 'kWh', 'given', 'idle share of the allocation, no PUE', 'given') : undefined;
  const itCentral = dynamicCentral + idleKWh + memoryKWh;
  const energyMethod = `${['dynamic', ...(idleEnergy ? ['idle'] : []), ...(memoryKWh > 0 ? ['memory'] : [])].join(' + ')} x PUE`;
  const energy = figure(
    withSpread(itCentral * pue.range.value, energySpread),
    'kWh',
    energyMethod.includes('+') ? `(${energyMethod.replace(' x PUE', '')}) x PUE` : energyMethod,
    'facility (PUE applied)',
    dynamicBasis,
  );
  const perKWh = intensity.range.value / 1000;
  const dynamicCo2e = figure(
    withSpread(dynamicCentral * perKWh, dynamicCo2eSpread),
    'kgCO2e',
    'dynamic energy x intensity',
    'operational, devices only, no PUE',
    energy.basis,
  );
  const co2e = figure(
    withSpread(energy.value * perKWh, co2eSpread),
    'kgCO2e',
    'energy x intensity',
    `operational, facility (PUE applied)${idleEnergy ? ', idle included' : ''}`,
    energy.basis,
  );

  // Embodied, amortised over the device's service life by the device-hours used.
  const kg = given(input.embodiedKgPerDevice, EMBODIED_KG_PER_DEVICE);
  const life = given(input.serviceLifeYears, SERVICE_LIFE_YEARS);
  const utilisation = given(input.lifetimeUtilisation, LIFETIME_UTILISATION);
  assumptions.push({
    name: 'embodied CO2e per device',
    value: kg.range.value,
    low: kg.range.low,
    high: kg.range.high,
    unit: 'kgCO2e',
    basis: kg.given ? 'given' : 'reported',
    source: kg.given ? 'given' : EMBODIED_KG_PER_DEVICE.source,
  });
  assumptions.push({
    name: 'service life',
    value: life.range.value,
    low: life.range.low,
    high: life.range.high,
    unit: 'years',
    basis: life.given ? 'given' : 'reported',
    source: life.given ? 'given' : SERVICE_LIFE_YEARS.source,
  });
  assumptions.push({
    name: 'lifetime utilisation',
    value: utilisation.range.value,
    low: utilisation.range.low,
    high: utilisation.range.high,
    basis: utilisation.given ? 'given' : 'reported',
    source: utilisation.given ? 'given' : LIFETIME_UTILISATION.source,
  });
  if (!deviceHours) notes.push('Embodied CO2e is left out: device-hours are unknown (give --device-hours, or --hardware or --power-watts with --energy-kwh).');
  const embodiedCentral = deviceHours ? (kg.range.value * deviceHours.value) / (life.range.value * utilisation.range.value * HOURS_PER_YEAR) : 0;
  const embodiedSpread = combineIndependent(
    spreadOf(kg.range),
    deviceHours ? spreadOf(deviceHours) : NO_SPREAD,
    inverse(spreadOf(life.range)),
    inverse(spreadOf(utilisation.range)),
  );
  const embodied = figure(
    withSpread(embodiedCentral, embodiedSpread),
    'kgCO2e',
    'kg per device x device-hours / (service life x utilisation)',
    'embodied, accelerators and their server share, amortised',
    'modelled',
  );
  const total = figure(add(co2e, embodied), 'kgCO2e', 'operational + embodied', 'operational (PUE applied) + embodied', co2e.basis);

  const figures = {
    ...(flops ? { flops } : {}),
    ...(deviceHours ? { deviceHours } : {}),
    ...(wallClockHours ? { wallClockHours } : {}),
    dynamicEnergyKWh: dynamicEnergy,
    ...(idleEnergy ? { idleEnergyKWh: idleEnergy } : {}),
    energyKWh: energy,
    dynamicCo2eKg: dynamicCo2e,
    co2eKg: co2e,
    embodiedCo2eKg: embodied,
    totalCo2eKg: total,
  };
  requireFinite(figures);

  const count = input.devices;
  const hardwareId = device?.id ?? 'custom';
  const hardwareName = device?.name ?? `custom device (${input.powerWatts ?? '?'} W)`;
  return {
    schema: REPORT_SCHEMA,
    kind: 'projection',
    title: input.title ?? `Training ${projected ? 'projection' : 'footprint'} on ${hardwareName}${count !== undefined ? ` x ${count}` : ''}`,
    createdAt: new Date().toISOString(),
    hardware: { id: hardwareId, name: hardwareName, ...(count !== undefined ? { count } : {}) },
    location: { id: location?.id ?? 'custom', name: location?.name ?? 'given intensity', intensity: intensityFigure, pue: pueFigure },
    figures,
    components: [
      { name: 'devices (dynamic)', co2eKg: dynamicCo2e, energyKWh: dynamicEnergy, basis: dynamicEnergy.basis, method: dynamicCo2e.method },
      ...(idleEnergy
        ? [
            {
              name: 'idle',
              co2eKg: withSpread(idleKWh * perKWh, intensitySpread),
              energyKWh: idleEnergy,
              basis: idleEnergy.basis,
              method: 'idle energy x intensity',
            },
          ]
        : []),
      ...(memoryKWh > 0
        ? [
            {
              name: 'memory',
              co2eKg: withSpread(memoryKWh * perKWh, intensitySpread),
              energyKWh: exact(memoryKWh),
              basis: 'modelled' as const,
              method: 'GB x W/GB x hours x intensity',
            },
          ]
        : []),
      {
        name: 'facility overhead (PUE)',
        co2eKg: withSpread(
          itCentral * (pue.range.value - 1) * perKWh,
          combineIndependent(spreadOf({ value: pue.range.value - 1, low: pue.range.low - 1, high: pue.range.high - 1 }), intensitySpread),
        ),
        basis: pueFigure.basis,
        method: 'IT energy x (PUE - 1) x intensity',
      },
      { name: 'embodied', co2eKg: embodied, basis: embodied.basis, method: embodied.method },
    ],
    assumptions,
    equivalences: equivalencesFor(total),
    notes,
    interval,
  };
}

/** Refuses results that overflowed (1e308 parameters): a report of Infinity or NaN helps nobody. */
function requireFinite(figures: Readonly<Record<string, Figure | undefined>>): void {
  for (const [name, f] of Object.entries(figures)) {
    if (!f) continue;
    for (const [end, value] of [
      ['value', f.value],
      ['low', f.low],
      ['high', f.high],
    ] as const) {
      if (!Number.isFinite(value)) {
        throw argumentError(
          'estimate',
          `finite results`,
          `${name}${end === 'value' ? '' : ` (${end})`} = ${value}`,
          'an input is too large for a real training run (e.g. --params 1e308); check the exponents',
        );
      }
    }
  }
}

export { CALIBRATED_COVERAGE };
