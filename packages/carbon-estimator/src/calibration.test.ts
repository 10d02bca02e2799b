/**
 * Calibration against the five published footprints of carbon-reference.md §1a.
 * (1) From each paper's reported inputs the estimator reproduces the published figure within 5%.
 * (2) From only parameters, tokens, hardware, count and location, the published figure lies
 *     inside the projected interval.
 */
import { describe, expect, it } from 'vitest';
import { estimateTraining } from './projection';

const within5 = (computed: number, published: number) => Math.abs(computed / published - 1);
const T = 1000; // kg per tonne

describe('calibration: reported inputs reproduce published footprints within 5%', () => {
  it('GPT-3: 10,000 V100 x 14.8 d, 330 W measured, PUE 1.1, 429 g -> 552.1 t (Patterson 2021)', () => {
    const r = estimateTraining({ params: 175e9, tokens: 300e9, hardware: 'v100', devices: 10_000, hours: 14.8 * 24, powerWatts: 330, pue: 1.1, intensity: 429 });
    expect(within5(r.figures.co2eKg.value, 552.1 * T)).toBeLessThan(0.05);
    expect(within5(r.figures.energyKWh.value, 1287e3)).toBeLessThan(0.05);
  });

  it('BLOOM: 1,082,990 A100-h at 400 W, no PUE, 57 g -> 24.7 t dynamic; + idle 256.6 MWh + embodied -> 50.5 t (Luccioni 2022)', () => {
    const r = estimateTraining({
      params: 176e9, tokens: 366e9, hardware: 'a100-80gb', devices: 384, deviceHours: 1_082_990, powerWatts: 400, pue: 1, intensity: 57,
      idleEnergyKWh: 256_600, embodiedKgPerDevice: 3700 / 8, serviceLifeYears: 6, lifetimeUtilisation: 0.85,
    });
    expect(within5(r.figures.dynamicCo2eKg.value, 24.7 * T)).toBeLessThan(0.05);
    expect(within5(r.figures.embodiedCo2eKg.value, 11.2 * T)).toBeLessThan(0.05);
    expect(within5(r.figures.totalCo2eKg.value, 50.5 * T)).toBeLessThan(0.05);
  });

  it('T5: 512 TPU v3 x 20 d, 310 W measured, PUE 1.12, 545 g -> 46.7 t (Patterson 2021)', () => {
    const r = estimateTraining({ params: 11e9, tokens: 1e12, hardware: 'tpu-v3', devices: 512, hours: 20 * 24, powerWatts: 310, pue: 1.12, intensity: 545 });
    expect(within5(r.figures.co2eKg.value, 46.7 * T)).toBeLessThan(0.05);
  });

  it('Llama 2 70B: 1,720,320 A100-h at 400 W, PUE 1.1, 385 g -> 291.42 t (Touvron 2023)', () => {
    const r = estimateTraining({ params: 69e9, tokens: 2e12, hardware: 'a100-80gb', deviceHours: 1_720_320, powerWatts: 400, pue: 1.1, intensity: 385 });
    expect(within5(r.figures.co2eKg.value, 291.42 * T)).toBeLessThan(0.05);
  });

  it('OLMo 2 7B: 131 MWh measured GPU energy, PUE 1.2, 332 g -> 52 t (Morrison 2025)', () => {
    const r = estimateTraining({ params: 7.3e9, tokens: 4.05e12, hardware: 'h100', energyKWh: 131_000, pue: 1.2, intensity: 332 });
    expect(within5(r.figures.co2eKg.value, 52 * T)).toBeLessThan(0.05);
  });
});

interface HeldInCase {
  readonly name: string;
  readonly input: Parameters<typeof estimateTraining>[0];
  readonly published: number;
  readonly figure: 'co2eKg' | 'dynamicCo2eKg' | 'totalCo2eKg';
}

// Only params, tokens, hardware, count (where reported) and location.
export const PARAMS_ONLY_CASES: readonly HeldInCase[] = [
  { name: 'GPT-3 552.1 t', input: { params: 175e9, tokens: 300e9, hardware: 'v100', devices: 10_000, region: 'US' }, published: 552.1 * T, figure: 'co2eKg' },
  { name: 'BLOOM 24.7 t dynamic', input: { params: 176e9, tokens: 366e9, hardware: 'a100-80gb', devices: 384, region: 'FR' }, published: 24.7 * T, figure: 'dynamicCo2eKg' },
  { name: 'BLOOM 50.5 t total', input: { params: 176e9, tokens: 366e9, hardware: 'a100-80gb', devices: 384, region: 'FR' }, published: 50.5 * T, figure: 'totalCo2eKg' },
  { name: 'T5 46.7 t', input: { params: 11e9, tokens: 1e12, hardware: 'tpu-v3', devices: 512, region: 'gcp:asia-east1' }, published: 46.7 * T, figure: 'co2eKg' },
  { name: 'Llama 2 70B 291.42 t', input: { params: 69e9, tokens: 2e12, hardware: 'a100-80gb', region: 'US' }, published: 291.42 * T, figure: 'co2eKg' },
  { name: 'OLMo 2 7B 52 t', input: { params: 7.3e9, tokens: 4.05e12, hardware: 'h100', region: 'US' }, published: 52 * T, figure: 'co2eKg' },
];

describe('calibration: the published figure lies inside the interval projected from params, tokens, hardware, count, location', () => {
  for (const c of PARAMS_ONLY_CASES) {
    it(c.name, () => {
      const f = estimateTraining(c.input).figures[c.figure];
      expect(f.low).toBeLessThan(c.published);
      expect(f.high).toBeGreaterThan(c.published);
      // The interval comes from input spreads, so it is asymmetric around the central value.
      expect(f.value / f.low).not.toBeCloseTo(f.high / f.value, 3);
    });
  }

  it('T5 from the country code alone (TW) also contains 46.7 t', () => {
    const f = estimateTraining({ params: 11e9, tokens: 1e12, hardware: 'tpu-v3', devices: 512, region: 'TW' }).figures.co2eKg;
    expect(f.low).toBeLessThan(46.7 * T);
    expect(f.high).toBeGreaterThan(46.7 * T);
  });
});
