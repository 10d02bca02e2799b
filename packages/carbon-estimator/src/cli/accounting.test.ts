/**
 * Accounting mode (issue #14): "I used these devices for this long, here; what did it emit?"
 * needs no FLOPs. And the carbon rows of issue #12: non-finite results and fractional device
 * counts are refused with the package's error (exit 2).
 */
import { describe, expect, it } from 'vitest';
import { estimateTraining } from '../projection';
import type { CliIo } from './io';
import { EXIT_BAD_INPUT, runCli } from './program';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: process.cwd() };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const DOCUMENTED = [
  'flops',
  'deviceHours',
  'energyKWh',
  'energyKWhLow',
  'energyKWhHigh',
  'co2eKg',
  'co2eKgLow',
  'co2eKgHigh',
  'embodiedCo2eKg',
  'totalCo2eKg',
  'assumptions',
  'intervalMethod',
  'intervalCoverage',
];

describe('accounting mode: device-hours + hardware or power + place is a complete input', () => {
  it('--hardware a100-80gb --devices 8 --hours 24 --region FR prints energy and CO2e with ranges', async () => {
    const text = await run('estimate', '--hardware', 'a100-80gb', '--devices', '8', '--hours', '24', '--region', 'FR');
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/energy \(PUE applied\)\s+120 {2}\(\d+(\.\d+)? – \d+(\.\d+)?\) kWh/);
    expect(text.stdout).toMatch(/operational CO2e\s+5\.27 kg {2}\(/);
    const { code, stdout } = await run('estimate', '--hardware', 'a100-80gb', '--devices', '8', '--hours', '24', '--region', 'FR', '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    for (const field of DOCUMENTED) expect(json).toHaveProperty(field);
    expect(json.flops).toBeNull();
    expect(json.deviceHours).toBe(192);
    // 192 device-h x 400 W x PUE 1.56 (unknown French site) x 44 g.
    expect(json.energyKWh).toBeCloseTo(192 * 0.4 * 1.56, 9);
    expect(json.co2eKg).toBeCloseTo(192 * 0.4 * 1.56 * 0.044, 9);
    expect(json.co2eKgLow as number).toBeLessThan(json.co2eKg as number);
    expect(json.co2eKgHigh as number).toBeGreaterThan(json.co2eKg as number);
    expect(json.intervalMethod).toBe('calibrated');
    expect(json.intervalCoverage).toBe(0.8);
    const reductions = json.reductions as Array<{ kind: string; savedKg: number; co2eKg: number }>;
    // Norway's grid (31 g vs 44 g) saves 30%, a PUE-1.1 site 29%: largest first.
    expect(reductions.map((r) => r.kind)).toEqual(['region', 'facility']);
    expect(reductions.find((r) => r.kind === 'facility')?.co2eKg).toBeCloseTo(192 * 0.4 * 1.1 * 0.044, 9);
  });

  it('--hardware tpu-v3 --device-hours 663552 --power-watts 245 --pue 1.1 --intensity 403 reproduces Switch Transformer (72.2 t, Patterson 2021)', async () => {
    const args = ['estimate', '--hardware', 'tpu-v3', '--device-hours', '663552', '--power-watts', '245', '--pue', '1.1', '--intensity', '403'];
    const text = await run(...args);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/operational CO2e\s+72\.1 t/);
    const { code, stdout } = await run(...args, '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as Record<string, number | string>;
    for (const field of DOCUMENTED) expect(json).toHaveProperty(field);
    expect(json.energyKWh).toBeCloseTo(663552 * 0.245 * 1.1, 6);
    expect(Math.abs((json.co2eKg as number) / 72_200 - 1)).toBeLessThan(0.01);
    // Every operational input was given: exact. Embodied (not given) keeps its range.
    expect(json.co2eKgLow).toBe(json.co2eKg);
    expect(json.intervalMethod).toBe('exact');
    expect(json.embodiedCo2eKgHigh as number).toBeGreaterThan(json.embodiedCo2eKg as number);
  });

  it('takes --power-watts instead of a hardware id, and reports FLOPs when given', () => {
    const r = estimateTraining({ deviceHours: 1000, powerWatts: 300, intensity: 100, pue: 1.2, flops: 1e21 });
    expect(r.hardware?.id).toBe('custom');
    expect(r.figures.co2eKg.value).toBeCloseTo(1000 * 0.3 * 1.2 * 0.1, 9);
    expect(r.figures.flops?.value).toBe(1e21);
  });

  it('Markdown and HTML reports work in accounting mode and state the interval method', async () => {
    const md = await run('estimate', '--hardware', 'h100', '--device-hours', '1000', '--region', 'DE', '--markdown');
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/Device-hours \| 1,000 \| 1,000 \| 1,000 \| given/);
    expect(md.stdout).toMatch(/Intervals: Device energy interval: the 80% conformal spread/);
    expect(md.stdout).toMatch(/## How to cut it\n\n- train in Norway \(NO, 31 g\/kWh\) instead of Germany \(342 g\/kWh\): [\d.]+ kg CO2e .*\(−91%\)/);
    const html = await run('estimate', '--hardware', 'h100', '--device-hours', '1000', '--region', 'DE', '--html');
    expect(html.stdout).toMatch(/Device energy interval: the 80% conformal spread/);
  });

  it('parses 7B, 2T and 3.1e23', async () => {
    const a = JSON.parse((await run('estimate', '--params', '7B', '--tokens', '2T', '--hardware', 'h100', '--json')).stdout) as { flops: number };
    expect(a.flops).toBe(6 * 7e9 * 2e12);
    const b = JSON.parse((await run('estimate', '--flops', '3.1e23', '--hardware', 'h100', '--json')).stdout) as { flops: number };
    expect(b.flops).toBe(3.1e23);
  });
});

describe('issue #12, carbon rows: non-finite results and fractional devices exit 2 with the package error', () => {
  it.each([
    [['--params', '1e308', '--tokens', '1e12', '--hardware', 'h100'], /expected finite results, got flops = Infinity/],
    [['--params', '7B', '--tokens', '1e308', '--hardware', 'h100', '--region', 'FR'], /expected finite results/],
    [['--device-hours', '1e308', '--hardware', 'h100', '--devices', '8'], /expected finite results/],
    [['--flops', '1e21', '--hardware', 'h100', '--pue', '1e308'], /expected pue to be <= 10, got 1e\+308/],
    [['--flops', '1e21', '--hardware', 'h100', '--intensity', '1e308'], /expected intensity to be <= 5000 gCO2e\/kWh, got 1e\+308/],
    [['--device-hours', '1e10', '--power-watts', '1e308', '--intensity', '100'], /expected powerWatts to be <= 1000000 W, got 1e\+308/],
    [['--params', '1e309', '--tokens', '1e12', '--hardware', 'h100'], /expected --params to be finite, got '1e309'/],
    [['--params', '7B', '--tokens', '2T', '--hardware', 'h100', '--devices', '1.5'], /expected --devices to be a whole number, got '1.5'/],
    [['--params', '7B', '--tokens', '2T', '--hardware', 'h100', '--devices', '0'], /expected --devices to be > 0, got '0'/],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await run('estimate', ...args);
    expect(stdout).toBe('');
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(stderr).toMatch(/^carbon-estimator: /);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/\nhelp: /);
  });

  it('the library refuses the same: E_ARGUMENT, never a report with Infinity or null', () => {
    expect(() => estimateTraining({ params: 1e308, tokens: 1e12, hardware: 'h100' })).toThrow(/expected finite results/);
    expect(() => estimateTraining({ flops: 1e21, hardware: 'h100', devices: 1.5 })).toThrow(/devices to be a whole number >= 1/);
  });
});

describe('hardware and regions tables are aligned', () => {
  it.each([
    ['hardware', 'kind', 6],
    ['regions', 'name', 5],
  ])('%s: cells never run together, and the %s column starts at one offset', async (command, column, cells) => {
    const { stdout } = await run(command);
    const lines = (stdout.split('\n\n')[0] ?? '').split('\n');
    expect(lines.length).toBeGreaterThan(10);
    const header = lines[0] ?? '';
    const at = header.indexOf(column);
    for (const line of lines) {
      // At least two spaces between cells: as many cells as the header (aliases may be empty).
      const count = line.split(/ {2,}/).length;
      expect(count === cells || (command === 'hardware' && count === cells - 1), line).toBe(true);
      expect(line.slice(at - 2, at), line).toBe('  ');
      expect(line[at], line).not.toBe(' ');
    }
  });
});
