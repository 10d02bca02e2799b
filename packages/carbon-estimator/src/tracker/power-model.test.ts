import { describe, expect, it } from 'vitest';
import { cpuPowerModel } from './cpu-power';
import { ramPowerWatts } from './ram-power';

describe('cpuPowerModel', () => {
  it('uses TDP / threads for a known CPU, up to TDP / cores', () => {
    const model = cpuPowerModel({ model: 'AMD EPYC 7763 64-Core Processor' });
    expect(model.cpuName).toBe('AMD EPYC 7763');
    expect(model.wattsPerBusyThread).toEqual({ value: 280 / 128, low: 280 / 256, high: 280 / 64 });
  });

  it('falls back to 12 W per core for an unknown CPU, ranged over the table', () => {
    const model = cpuPowerModel({ model: 'Mystery CPU' });
    expect(model.wattsPerBusyThread.value).toBe(12);
    expect(model.wattsPerBusyThread.low).toBeCloseTo(10 / 8, 9);
    expect(model.source).toMatch(/Green Algorithms/);
  });

  it('takes a given TDP', () => {
    expect(cpuPowerModel({ tdpWatts: 65, threads: 16 }).wattsPerBusyThread.value).toBeCloseTo(65 / 16, 9);
    expect(() => cpuPowerModel({ tdpWatts: -1, threads: 4 })).toThrow(/tdpWatts/);
  });
});

describe('ramPowerWatts', () => {
  it('follows CodeCarbon v3 (8 GB laptop ~10 W, 128 GB server ~40 W) with v2 as the other end', () => {
    expect(ramPowerWatts(8)).toEqual({ value: 10, low: 3, high: 10 });
    // 8 DIMMs: 4 x 5 W + 4 x 4.5 W.
    expect(ramPowerWatts(128).value).toBeCloseTo(38, 6);
    expect(ramPowerWatts(128).high).toBeCloseTo(48, 6);
    expect(ramPowerWatts(1024).value).toBeCloseTo(38, 6);
    expect(ramPowerWatts(4096).value).toBeCloseTo(4 * 5 + 4 * 4.5 + 8 * 4 + 16 * 3.5, 6);
  });
});
