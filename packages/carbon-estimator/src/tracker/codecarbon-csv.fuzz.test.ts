/**
 * Fuzz: emissions.csv is outside bytes. Random and mutated valid files (truncated, bytes flipped,
 * quotes and newlines spliced in, cells repeated) either parse or throw CarbonEstimatorError, in
 * time linear in their length; never a raw TypeError or RangeError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CarbonEstimatorError } from '../errors';
import { exact } from '../interval';
import { parseEmissionsCsv, toEmissionsCsv } from './codecarbon-csv';
import { buildMeasurement } from './measurement';

const runs = Number(process.env.WATTFORMER_FUZZ_RUNS ?? 300);
const seed = Number(process.env.WATTFORMER_FUZZ_SEED ?? 20261206);

const valid = toEmissionsCsv(
  [0, 1, 2].map(
    (i) =>
      buildMeasurement({
        title: 't',
        projectName: `p${i},"x"\n`,
        runId: `r${i}`,
        startedAt: new Date(0),
        durationSeconds: i,
        cpu: { energyKWh: exact(0.001 * i), basis: 'modelled', method: 'm' },
        ram: { energyKWh: exact(0), basis: 'modelled', method: 'm', totalGb: 8 },
        intensity: 100,
        pue: 1,
        environment: { os: 'linux', runtime: 'node', cpuCount: 2 },
        trackingMode: 'process',
        toolVersion: 'x',
      }).record,
  ),
);

function parsesOrRefuses(text: string): void {
  try {
    const rows = parseEmissionsCsv(text);
    expect(Array.isArray(rows)).toBe(true);
  } catch (error) {
    if (!(error instanceof CarbonEstimatorError)) throw error;
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), ch: fc.constantFrom('"', ',', '\n', '\r', 'a', '\u0000', '\u{1F600}') }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }), times: fc.integer({ min: 1, max: 50 }) }),
);

function mutate(text: string, m: { kind: string; at: number; ch?: string; len?: number; times?: number }): string {
  const at = text.length === 0 ? 0 : m.at % text.length;
  if (m.kind === 'truncate') return text.slice(0, at);
  if (m.kind === 'flip') return text.slice(0, at) + (m.ch ?? '') + text.slice(at + 1);
  const piece = text.slice(at, at + (m.len ?? 1));
  return text.slice(0, at) + piece.repeat(m.times ?? 1) + text.slice(at);
}

describe('parseEmissionsCsv fuzz', () => {
  it('random text: rows or the package error', { timeout: 300_000 }, () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '1', ',', '"', '\n', '\r', ' ', '_', 'é'), maxLength: 400 }), parsesOrRefuses), {
      numRuns: runs,
      seed,
    });
  });

  it('mutated valid files: rows or the package error', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => parsesOrRefuses(ms.reduce(mutate, valid))),
      { numRuns: runs, seed },
    );
  });

  // Linear time: a one-pass scanner finishes 4 MB of adversarial quoting in well under a second;
  // a quadratic one would need minutes and hit this test's timeout. No time is asserted.
  it('4 MB of adversarial quotes and commas parses (or is refused) within the test timeout', { timeout: 30_000 }, () => {
    const text = `${Array.from({ length: 201 }, (_, i) => `c${i}`).join(',')}\n${'"x""y",'.repeat((4 * 1024 * 1024) / 8)}\n`;
    expect(() => parseEmissionsCsv(text)).toThrow(/at most 201 cells per row/);
  });
});
