/**
 * Fuzz: every CLI number flag takes any string and returns a finite number within its rules or
 * throws CarbonEstimatorError; `estimate` on fuzzed flag values exits 0 or 2, never 1 (a crash).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CarbonEstimatorError } from '../errors';
import { NUMERIC_FLAGS } from './estimate-command';
import type { CliIo } from './io';
import { runCli } from './program';
import { parseCliNumber } from './parse-number';

const runs = Number(process.env.WATTFORMER_FUZZ_RUNS ?? 300);
const seed = Number(process.env.WATTFORMER_FUZZ_SEED ?? 20261206);

const numberish = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.double().map(String),
  fc.tuple(fc.double({ min: -1e6, max: 1e6 }), fc.constantFrom('', 'k', 'M', 'B', 'T', 'e308', 'e-400', '_000', 'x', '.5')).map(([n, s]) => `${n}${s}`),
  fc.constantFrom('1e308', '-0', '0', 'NaN', 'Infinity', '0x10', '1e', '.', '+.5e+3', '  7B  ', '1.5', '9007199254740993', '1'.repeat(5000)),
);

describe('CLI number parsing fuzz', () => {
  it('parseCliNumber: a finite number obeying positive/integer, or the package error', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(numberish, fc.boolean(), fc.boolean(), (text, positive, integer) => {
        try {
          const value = parseCliNumber('--x', text, { positive, integer });
          expect(Number.isFinite(value)).toBe(true);
          expect(value).toBeGreaterThanOrEqual(0);
          if (positive) expect(value).toBeGreaterThan(0);
          if (integer) expect(Number.isSafeInteger(value)).toBe(true);
        } catch (error) {
          if (!(error instanceof CarbonEstimatorError)) throw error;
          expect(error.message).toMatch(/^carbon-estimator: cli: expected --x /);
        }
      }),
      { numRuns: runs, seed },
    );
  });

  it('estimate with fuzzed flag values: exit 0 with finite JSON, or exit 2 with the package message', { timeout: 300_000 }, async () => {
    const flags = NUMERIC_FLAGS.map(([flag]) => flag);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...flags), numberish), { minLength: 1, maxLength: 4 }), async (pairs) => {
        let stdout = '';
        let stderr = '';
        const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: process.cwd() };
        const code = await runCli(['estimate', '--hardware', 'h100', '--params', '7B', '--tokens', '2T', ...pairs.flat(), '--json'], io);
        expect([0, 2]).toContain(code);
        if (code === 0) {
          const json = JSON.parse(stdout) as Record<string, unknown>;
          for (const key of ['energyKWh', 'co2eKg', 'co2eKgLow', 'co2eKgHigh', 'totalCo2eKg']) expect(Number.isFinite(json[key])).toBe(true);
        } else {
          expect(stderr).toMatch(/^carbon-estimator: /);
        }
      }),
      { numRuns: Math.max(1, Math.floor(runs / 3)), seed },
    );
  });
});
