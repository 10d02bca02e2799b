// The SIMD peak probe does the work it counts: `run(n)` applies n × UNROLL multiply-add updates to
// each of its chains (checked against the closed form of x ← 0.999·x + 0.001), in both flavours.
import { describe, expect, it } from 'vitest';
import { createPeakProbe, measurePeak, peakModuleBytes, peakSupported } from './simd-peak.mjs';

const UNROLL = 4;
const expectedSum = (chains: number, iterations: number) => {
  let sum = 0;
  for (let i = 0; i < chains; i++) sum += 1 + (i / 64) * 0.999 ** (iterations * UNROLL);
  return sum;
};

describe.each(['simd128', 'relaxed'] as const)('simd peak probe (%s)', (flavour) => {
  it.runIf(peakSupported(flavour))('each chain count runs n × 4 updates per chain and reports its FLOPs', () => {
    for (const { chains, run, flopsPerIteration } of createPeakProbe(flavour)) {
      expect(flopsPerIteration).toBe(chains * UNROLL * 8);
      for (const iterations of [1, 7, 250]) {
        expect(Math.abs(run(iterations) - expectedSum(chains, iterations))).toBeLessThan(1e-4 * chains);
      }
    }
    expect(WebAssembly.validate(peakModuleBytes(flavour, 16))).toBe(true);
  });

  it.runIf(peakSupported(flavour))('measures a positive GFLOP/s, per wall second and per CPU-second', () => {
    const peak = measurePeak(createPeakProbe(flavour), 5);
    expect(peak.wall).toBeGreaterThan(0);
    expect(peak.cpu).toBeGreaterThan(0);
  });
});
