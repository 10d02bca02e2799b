import { range, type Range } from '../interval';

/** DIMM count as CodeCarbon v3 guesses it from total RAM (codecarbon/external/ram.py, read 2026). */
export function estimateDimmCount(totalGb: number): number {
  if (totalGb <= 2) return 1;
  if (totalGb <= 16) return 2;
  if (totalGb <= 32) return 4;
  if (totalGb <= 64) return 4;
  if (totalGb <= 128) return 8;
  for (const size of [128, 64, 32, 16, 8, 4]) {
    if (size <= totalGb / 8) return Math.min(32, Math.ceil(totalGb / size));
  }
  return 8;
}

/**
 * RAM power, modelled. Central: CodeCarbon v3, 5 W per DIMM (1.5 W on ARM) with 90/80/70% per
 * DIMM beyond 4/8/16 DIMMs, at least two DIMMs' worth. Other end: CodeCarbon v2 and Green
 * Algorithms, 0.375 W per GB (3 W per 8 GB). carbon-reference.md §2.1, §2.4.
 */
export function ramPowerWatts(totalGb: number, arm = false): Range {
  if (!(Number.isFinite(totalGb) && totalGb > 0)) return range(0, 0, 0);
  const perDimm = arm ? 1.5 : 5;
  const dimms = estimateDimmCount(totalGb);
  const tiers: ReadonlyArray<readonly [upTo: number, share: number]> = [
    [4, 1],
    [8, 0.9],
    [16, 0.8],
    [Infinity, 0.7],
  ];
  let watts = 0;
  let counted = 0;
  for (const [upTo, share] of tiers) {
    const inTier = Math.max(0, Math.min(dimms, upTo) - counted);
    watts += inTier * perDimm * share;
    counted += inTier;
  }
  const v3 = Math.max(arm ? 3 : perDimm * 2, watts);
  const v2 = totalGb * 0.375;
  return range(v3, Math.min(v3, v2), Math.max(v3, v2));
}
