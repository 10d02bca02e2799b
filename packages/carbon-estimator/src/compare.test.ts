import { describe, expect, it } from 'vitest';
import { compare } from './compare';
import type { CliIo } from './cli/io';
import { EXIT_BAD_INPUT, runCli } from './cli/program';
import { estimateTraining } from './projection';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: process.cwd() };
  return { code: await runCli(argv, io), stdout: () => stdout, stderr: () => stderr };
}

describe('compare', () => {
  it('ranks every hardware x region combination by CO2e, each row equal to estimate() of that variant', () => {
    const rows = compare(
      { params: 7e9, tokens: 2e12, hardware: 'h100', devices: 256 },
      { hardware: ['h100', 'a100-80gb', 'v100'], regions: ['US', 'FR', 'DE'] },
    );
    expect(rows).toHaveLength(9);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]?.co2eKg.value).toBeLessThanOrEqual(rows[i]?.co2eKg.value ?? 0);
    // With the size-aware fitted MFU centre (7B: H100 0.236, A100 0.270 on the 34-run set) the H100 uses less energy for the same FLOPs.
    expect(rows[0]).toMatchObject({ rank: 1, hardware: 'h100-sxm', region: 'FR', timesBest: 1 });
    for (const row of rows) {
      const direct = estimateTraining(row.input).figures.co2eKg;
      expect(row.co2eKg.value).toBe(direct.value);
      expect(row.co2eKg.low).toBeLessThan(row.co2eKg.value);
      expect(row.co2eKg.high).toBeGreaterThan(row.co2eKg.value);
    }
  });

  it('fp32 uses the FP32 peak, bf16 on a V100 runs on its fp16 peak, and budgets change FLOPs', () => {
    const rows = compare(
      { params: 7e9, tokens: 2e12, hardware: 'h100', region: 'FR' },
      { hardware: ['h100', 'v100'], dtypes: ['bf16', 'fp32'], tokens: [2e12, 140e9] },
    );
    expect(rows).toHaveLength(8);
    expect(rows.find((r) => r.hardware === 'v100-sxm2' && r.tokens === 2e12 && r.dtype !== 'fp32')?.dtype).toBe('fp16');
    const h100 = (dtype: string, tokens: number) =>
      rows.find((r) => r.hardware === 'h100-sxm' && r.dtype === dtype && r.tokens === tokens)?.energyKWh.value ?? 0;
    expect(h100('fp32', 2e12) / h100('bf16', 2e12)).toBeCloseTo(989 / 67, 6);
    expect(h100('bf16', 2e12) / h100('bf16', 140e9)).toBeCloseTo(2e12 / 140e9, 6);
  });

  it('refuses a grid too large to be useful', () => {
    const many = Array.from({ length: 50 }, () => 'US');
    expect(() => compare({ flops: 1e21, hardware: 'h100' }, { regions: many, hardware: many.map(() => 'h100'), tokens: [1, 2] })).toThrow(
      /at most 2000 combinations/,
    );
  });
});

describe('wattformer-carbon compare', () => {
  it('prints a ranked, aligned table for a 7B model on 2T tokens across three GPUs and three regions', async () => {
    const r = await run('compare', '--params', '7B', '--tokens', '2T', '--hardware', 'h100,a100-80gb,v100', '--regions', 'US,FR,DE', '--devices', '256');
    expect(r.stderr()).toBe('');
    expect(r.code).toBe(0);
    const lines = r
      .stdout()
      .split('\n')
      .filter((l) => /^\d+ {2}/.test(l));
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(/^1 {2}h100-sxm\s+FR\s+bf16\s+2T\s+16\.6\s+112 \(/);
    expect(lines[8]).toMatch(/^9 {2}v100-sxm2\s+US/);
  });

  it('--chinchilla adds 20 tokens per parameter; --json gives the rows', async () => {
    const r = await run('compare', '--params', '7B', '--tokens', '2T', '--hardware', 'h100', '--region', 'FR', '--chinchilla', '--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout()) as Array<{ tokens: number; rank: number }>;
    expect(rows.map((x) => x.tokens)).toEqual([140e9, 2e12]);
  });

  it('exits 2 on bad lists', async () => {
    for (const args of [
      ['--params', '7B', '--tokens', '2T', '--dtypes', 'fp8'],
      ['--token-budgets', '20x', '--flops', '1e21'],
      ['--params', '7B', '--tokens', '2T', '--hardware', 'h1000'],
    ]) {
      const r = await run('compare', '--hardware', 'h100', ...args);
      expect(r.code, args.join(' ')).toBe(EXIT_BAD_INPUT);
      expect(r.stderr()).toMatch(/^carbon-estimator: /);
    }
  });
});
