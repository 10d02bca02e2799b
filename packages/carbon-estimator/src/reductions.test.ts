import { describe, expect, it } from 'vitest';
import { estimateTraining } from './projection';
import { suggestReductions } from './reductions';

describe('suggestReductions', () => {
  it('from an input: the largest cuts first, each re-estimated, at most three, one per kind', () => {
    const input = { params: 7e9, tokens: 2e12, hardware: 'a100-80gb', devices: 256, region: 'US', dtype: 'fp32' as const };
    const before = estimateTraining(input).figures.co2eKg.value;
    const cuts = suggestReductions(input);
    expect(cuts).toHaveLength(3);
    expect(new Set(cuts.map((c) => c.kind)).size).toBe(3);
    for (let i = 1; i < cuts.length; i++) expect(cuts[i - 1]?.savedKg).toBeGreaterThanOrEqual(cuts[i]?.savedKg ?? 0);
    for (const c of cuts) {
      expect(c.input).toBeDefined();
      // The figure is the changed input's own estimate, not a guess.
      expect(c.co2eKg.value).toBeCloseTo(estimateTraining(c.input ?? input).figures.co2eKg.value, 6);
      expect(c.savedKg).toBeCloseTo(before - c.co2eKg.value, 6);
      expect(c.savedFraction).toBeGreaterThan(0);
      expect(c.savedFraction).toBeLessThan(1);
    }
    // fp32 on A100 uses the 19.5 TFLOP/s FP32 peak: bf16 (312) is a big cut.
    const all = suggestReductions(input, { limit: 10 });
    expect(all.find((c) => c.kind === 'precision')?.savedFraction).toBeGreaterThan(0.9);
  });

  it('a region move keeps the PUE, so its saving is the grid alone', () => {
    const cut = suggestReductions({ flops: 1e22, hardware: 'h100', region: 'DE' }, { limit: 10 }).find((c) => c.kind === 'region');
    expect(cut?.input?.pue).toBe(1.56);
    expect(cut?.change).toMatch(/instead of Germany \(342 g\/kWh\)/);
  });

  it('from a report (a measurement): only the place and facility change, scaling its energy', () => {
    const report = estimateTraining({ deviceHours: 100, hardware: 'h100', region: 'PL' });
    const cuts = suggestReductions(report);
    expect(cuts.map((c) => c.kind).sort()).toEqual(['facility', 'region']);
    const region = cuts.find((c) => c.kind === 'region');
    expect(region?.co2eKg.value).toBeCloseTo(report.figures.energyKWh.value * 0.031, 6); // Norway, 31 g
  });

  it('suggests nothing that saves nothing, and checks its limit', () => {
    expect(suggestReductions({ deviceHours: 10, powerWatts: 100, pue: 1.05, region: 'NO' }).every((c) => c.savedKg > 0)).toBe(true);
    expect(() => suggestReductions({ flops: 1e20, hardware: 'h100' }, { limit: 0 })).toThrow(/limit to be a whole number >= 1/);
  });
});
