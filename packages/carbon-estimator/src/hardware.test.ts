import { describe, expect, it } from 'vitest';
import { CarbonEstimatorError } from './errors';
import { devicePowerRange, listHardware, peakFlopsFor, resolveHardware } from './hardware';

describe('resolveHardware', () => {
  it('lists every id the CLI contract names', () => {
    const ids = listHardware().map((d) => d.id);
    for (const id of [
      'v100-sxm2',
      'v100-pcie',
      'a100-40gb',
      'a100-80gb',
      'h100-sxm',
      'h100-pcie',
      'h200',
      'tpu-v2',
      'tpu-v3',
      'tpu-v4',
      'tpu-v5e',
      'tpu-v5p',
      'mi250x',
      'mi300x',
    ]) {
      expect(ids).toContain(id);
    }
    expect(ids.every((id) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(id))).toBe(true);
  });

  it('matches ids and aliases case-insensitively', () => {
    expect(resolveHardware('H100').id).toBe('h100-sxm');
    expect(resolveHardware('a100').id).toBe('a100-40gb');
    expect(resolveHardware('V100').id).toBe('v100-sxm2');
    expect(resolveHardware('TPU-V3').id).toBe('tpu-v3');
    expect(resolveHardware('epyc-7763').kind).toBe('cpu');
  });

  it('suggests close matches for an unknown id', () => {
    let error: unknown;
    try {
      resolveHardware('h10');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CarbonEstimatorError);
    expect((error as CarbonEstimatorError).code).toBe('E_UNKNOWN_CHOICE');
    expect((error as Error).message).toMatch(/^carbon-estimator: resolveHardware: expected a known hardware id, got 'h10'\nhelp: did you mean 'h100'/);
  });
});

describe('device data', () => {
  it('uses the V100 fp16 tensor peak when bf16 is asked for', () => {
    expect(peakFlopsFor(resolveHardware('v100'), 'bf16')).toEqual({ flops: 125e12, dtype: 'fp16' });
  });

  it('derives the draw range from published draw vs TDP, widened by measurements', () => {
    const v100 = devicePowerRange(resolveHardware('v100'));
    expect(v100.value).toBe(330);
    expect(v100.low).toBeCloseTo(300 * (245 / 450), 6);
    expect(v100.high).toBeCloseTo(330, 6);
    const a100 = devicePowerRange(resolveHardware('a100-80gb'));
    expect(a100.low).toBeCloseTo(400 * (245 / 450), 6);
    expect(a100.high).toBeCloseTo(440, 6);
  });
});
