import { describe, expect, it } from 'vitest';
import { estimateTraining } from '../projection';
import { toEstimateJson } from '../report/estimate-json';
import type { CliIo } from './io';
import { EXIT_BAD_INPUT, runCli } from './program';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: process.cwd() };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const REQUIRED_FIELDS = ['flops', 'deviceHours', 'energyKWh', 'co2eKg', 'co2eKgLow', 'co2eKgHigh', 'embodiedCo2eKg', 'totalCo2eKg', 'assumptions'];

describe('wattformer-carbon estimate', () => {
  it('prints one JSON object with the contract fields, equal to the library result', async () => {
    const { code, stdout, stderr } = await run(
      'estimate',
      '--params',
      '175e9',
      '--tokens',
      '300e9',
      '--hardware',
      'v100',
      '--devices',
      '10000',
      '--region',
      'US',
      '--json',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    for (const field of REQUIRED_FIELDS) expect(json).toHaveProperty(field);
    const library = toEstimateJson(estimateTraining({ params: 175e9, tokens: 300e9, hardware: 'v100', devices: 10000, region: 'US' }));
    expect(json.co2eKg).toBe(library.co2eKg);
    expect(json.co2eKg).toBeCloseTo((json.energyKWh as number) * 0.384, 6);
    expect(json.totalCo2eKg).toBeCloseTo((json.co2eKg as number) + (json.embodiedCo2eKg as number), 6);
    expect(json.co2eKgLow as number).toBeLessThan(json.co2eKg as number);
    expect(json.co2eKgHigh as number).toBeGreaterThan(json.co2eKg as number);
    expect(json.flops).toBe(3.15e23);
  });

  it('takes every contract flag', async () => {
    const { code, stdout } = await run(
      'estimate',
      '--flops',
      '1e21',
      '--hardware',
      'A100-80GB',
      '--devices',
      '8',
      '--device-hours',
      '100',
      '--hours',
      '12.5',
      '--power-watts',
      '350',
      '--mfu',
      '0.4',
      '--pue',
      '1.2',
      '--region',
      'gcp:europe-west1',
      '--intensity',
      '100',
      '--embodied',
      '0',
      '--json',
    );
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as Record<string, number>;
    expect(json.deviceHours).toBe(100);
    expect(json.energyKWh).toBeCloseTo(100 * 0.35 * 1.2, 9);
    expect(json.co2eKg).toBeCloseTo(100 * 0.35 * 1.2 * 0.1, 9);
    expect(json.co2eKgLow).toBe(json.co2eKg);
    expect(json.embodiedCo2eKg).toBe(0);
  });

  it('prints text, Markdown and HTML reports', async () => {
    expect((await run('estimate', '--flops', '1e21', '--hardware', 'h100', '--region', 'FR')).stdout).toMatch(/total CO2e/);
    expect((await run('estimate', '--flops', '1e21', '--hardware', 'h100', '--markdown')).stdout).toMatch(/<svg/);
    expect((await run('estimate', '--flops', '1e21', '--hardware', 'h100', '--html')).stdout).toMatch(/^<!doctype html>/);
  });

  it.each([
    [['--params', '-5', '--tokens', '1e9', '--hardware', 'h100'], /expected --params to be >= 0, got '-5'/],
    [['--params', 'lots', '--tokens', '1e9', '--hardware', 'h100'], /expected --params to be a number/],
    [['--params', '1e9', '--hardware', 'h100'], /or training tokens \(with params\) or FLOPs, got neither/],
    [['--params', '1e9', '--tokens', '1e9', '--hardware', 'h10'], /got 'h10'\nhelp: did you mean 'h100'/],
    [['--params', '1e9', '--tokens', '1e9', '--hardware', 'h100', '--region', 'Frnace'], /did you mean 'France'/],
    [['--params', '1e9', '--tokens', '1e9', '--hardware', 'h100', '--mfu', '45'], /mfu as a fraction/],
    [['--params', '1e9', '--tokens', '1e9'], /expected a hardware id, got nothing/],
  ])('exits non-zero with a clear message for %j', async (args, message) => {
    const { code, stderr, stdout } = await run('estimate', ...args);
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/^carbon-estimator: /);
    expect(stdout).toBe('');
  });

  it('rejects unknown flags', async () => {
    const { code, stderr } = await run('estimate', '--parms', '1e9');
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(stderr).toMatch(/unknown option '--parms'/);
  });
});

describe('wattformer-carbon hardware / regions', () => {
  it('lists hardware as text and JSON', async () => {
    const text = await run('hardware');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^h100-sxm\s+gpu\s+700/m);
    const json = JSON.parse((await run('hardware', '--json')).stdout) as Array<{ id: string; tdpSource: string }>;
    expect(json.find((d) => d.id === 'tpu-v3')?.tdpSource).toMatch(/Patterson/);
  });

  it('lists regions as text and JSON', async () => {
    const text = await run('regions');
    expect(text.stdout).toMatch(/^FR\s+44\s+44-57/m);
    expect(text.stdout).toMatch(/^gcp:europe-west1\s+122/m);
    const json = JSON.parse((await run('regions', '--json')).stdout) as Array<{ id: string; observations: Array<{ year: number }> }>;
    expect(json.length).toBeGreaterThan(60);
    expect(json.every((l) => l.observations.every((o) => o.year > 2000))).toBe(true);
  });
});
