import { describe, expect, it } from 'vitest';
import { CarbonEstimatorError } from './errors';
import { estimateTraining } from './projection';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof CarbonEstimatorError ? e.code : 'not a CarbonEstimatorError';
  }
  return undefined;
}

describe('estimateTraining', () => {
  it('chains FLOPs -> device-hours -> energy -> CO2e with consistent figures', () => {
    const r = estimateTraining({ params: 1e9, tokens: 20e9, hardware: 'h100', devices: 8, mfu: 0.4, powerWatts: 700, pue: 1.2, intensity: 100 });
    const f = r.figures;
    expect(f.flops?.value).toBe(6 * 1e9 * 20e9);
    expect(f.deviceHours?.value).toBeCloseTo(1.2e20 / (989e12 * 0.4 * 3600), 6);
    expect(f.wallClockHours?.value).toBeCloseTo((f.deviceHours?.value ?? 0) / 8, 9);
    expect(f.dynamicEnergyKWh.value).toBeCloseTo((f.deviceHours?.value ?? 0) * 0.7, 6);
    expect(f.energyKWh.value).toBeCloseTo(f.dynamicEnergyKWh.value * 1.2, 6);
    expect(f.co2eKg.value).toBeCloseTo(f.energyKWh.value * 0.1, 6);
    expect(f.totalCo2eKg.value).toBeCloseTo(f.co2eKg.value + f.embodiedCo2eKg.value, 6);
    // Every input but embodied is given, so only embodied carries an interval.
    expect(f.co2eKg.low).toBe(f.co2eKg.value);
    expect(f.embodiedCo2eKg.high).toBeGreaterThan(f.embodiedCo2eKg.value);
  });

  it('widens the interval with each uncertain input and labels method and scope', () => {
    const narrow = estimateTraining({ params: 1e9, tokens: 20e9, hardware: 'h100', mfu: 0.4, powerWatts: 700, pue: 1.2, region: 'FR' }).figures.co2eKg;
    const wide = estimateTraining({ params: 1e9, tokens: 20e9, hardware: 'h100', region: 'FR' }).figures.co2eKg;
    expect(wide.high / wide.low).toBeGreaterThan(narrow.high / narrow.low);
    expect(narrow.high / narrow.low).toBeCloseTo(57 / 44, 6);
    expect(wide.scope).toMatch(/PUE applied/);
    expect(wide.method).toBe('energy x intensity');
  });

  it('accepts FLOPs instead of params and tokens, and an architecture for the attention term', () => {
    const byFlops = estimateTraining({ flops: 3.14e23, hardware: 'v100', region: 'US' });
    expect(byFlops.figures.flops?.method).toBe('given');
    const withArch = estimateTraining({
      params: 1e6,
      tokens: 1e9,
      hardware: 'a100',
      architecture: { layers: 4, dModel: 128, contextLength: 256 },
      region: 'US',
    });
    expect(withArch.figures.flops?.value).toBeGreaterThan(6 * 1e6 * 1e9);
  });

  it('defaults to the world average when no location is given, and says so', () => {
    const r = estimateTraining({ flops: 1e20, hardware: 'h100' });
    expect(r.location.id).toBe('WORLD');
    expect(r.notes.join(' ')).toMatch(/world average/);
  });

  it('refuses bad input with stable codes', () => {
    expect(codeOf(() => estimateTraining({ hardware: 'h100', params: 1e9 }))).toBe('E_MISSING_INPUT');
    expect(codeOf(() => estimateTraining({ hardware: 'h100', tokens: 1e9 }))).toBe('E_MISSING_INPUT');
    expect(codeOf(() => estimateTraining({ hardware: 'h100', params: -5, tokens: 1e9 }))).toBe('E_ARGUMENT');
    expect(codeOf(() => estimateTraining({ hardware: 'h100', flops: Number.NaN }))).toBe('E_ARGUMENT');
    expect(codeOf(() => estimateTraining({ hardware: 'h100', flops: 1e20, mfu: 40 }))).toBe('E_ARGUMENT');
    expect(codeOf(() => estimateTraining({ hardware: 'h100', flops: 1e20, pue: 0.9 }))).toBe('E_ARGUMENT');
    expect(codeOf(() => estimateTraining({ hardware: 'h1000', flops: 1e20 }))).toBe('E_UNKNOWN_CHOICE');
    expect(codeOf(() => estimateTraining({ hardware: 'h100', flops: 1e20, region: 'Atlantis' }))).toBe('E_UNKNOWN_CHOICE');
    expect(codeOf(() => estimateTraining({ hardware: 'h100', flops: 1e20, hours: 10 }))).toBe('E_MISSING_INPUT');
    expect(codeOf(() => estimateTraining({ hardware: 'apple-m1', flops: 1e20 }))).toBe('E_MISSING_INPUT');
  });

  it('gives equivalences with sources', () => {
    const r = estimateTraining({ flops: 1e20, hardware: 'h100', region: 'US' });
    expect(r.equivalences.map((e) => e.unit)).toEqual(['km', 'flights']);
    expect(r.equivalences[0]?.amount.value).toBeCloseTo(r.figures.totalCo2eKg.value / (0.4 / 1.609344), 6);
    expect(r.equivalences.every((e) => e.source.length > 20)).toBe(true);
  });
});
