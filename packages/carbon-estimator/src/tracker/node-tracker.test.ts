import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CODECARBON_COLUMNS, parseEmissionsCsv } from './codecarbon-csv';
import { appendEmissionsCsv, NodeTracker, type NodeTrackerOptions } from './node-tracker';
import type { CommandRunner } from './nvidia-smi';
import { probeRapl } from './rapl';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'wattformer-sysfs-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function fakeRaplDomain(index: number, energyUj: number, maxUj = 262143328850): Promise<string> {
  const dir = join(root, 'class', 'powercap', `intel-rapl:${index}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'name'), `package-${index}\n`);
  await writeFile(join(dir, 'energy_uj'), `${energyUj}\n`);
  await writeFile(join(dir, 'max_energy_range_uj'), `${maxUj}\n`);
  // A sub-domain (core) that must be ignored.
  await mkdir(join(root, 'class', 'powercap', `intel-rapl:${index}:0`), { recursive: true });
  return dir;
}

const missingBinary: CommandRunner = () => Promise.reject(Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' }));

/** A tracker with a manual clock and CPU-time source, so tests control time. */
function manualTracker(extra: Partial<NodeTrackerOptions> = {}) {
  const state = { ms: 1_700_000_000_000, cpu: 0 };
  const tracker = new NodeTracker({
    sysfsRoot: root,
    nvidiaSmi: { runner: missingBinary },
    region: 'FR',
    cpu: { model: 'AMD EPYC 7763 64-Core Processor' },
    ramTotalGb: 16,
    samplingIntervalMs: 3_600_000,
    clock: () => state.ms,
    cpuSeconds: () => state.cpu,
    ...extra,
  });
  return { tracker, state };
}

describe('RAPL probe', () => {
  it('reports absent when the powercap tree is missing', async () => {
    const probe = await probeRapl(root);
    expect(probe.status).toBe('absent');
    expect(probe.reason).toMatch(/ENOENT/);
  });

  it('finds package domains only', async () => {
    await fakeRaplDomain(0, 1000);
    await fakeRaplDomain(1, 2000);
    const probe = await probeRapl(root);
    expect(probe.status).toBe('present');
    expect(probe.domains.map((d) => d.name)).toEqual(['package-0', 'package-1']);
  });

  it('reports unreadable when a counter cannot be read', async () => {
    const dir = join(root, 'class', 'powercap', 'intel-rapl:0');
    await mkdir(join(dir, 'energy_uj'), { recursive: true }); // a directory: reading it fails with EISDIR
    const probe = await probeRapl(root);
    expect(probe.status).toBe('unreadable');
    expect(probe.reason).toMatch(/energy_uj: EISDIR/);
  });
});

describe('NodeTracker', () => {
  it('measures CPU energy from RAPL deltas (with counter wrap) when present', async () => {
    const dir = await fakeRaplDomain(0, 900_000, 1_000_000);
    const { tracker, state } = manualTracker();
    await tracker.start();
    state.ms += 10_000;
    // Wraps past 1,000,000 µJ: 900,000 -> 1,000,000 -> 400,000 is 500,000 µJ.
    await writeFile(join(dir, 'energy_uj'), '400000\n');
    const { record, report, rapl } = await tracker.stop();
    expect(rapl.status).toBe('present');
    expect(record.cpu_energy).toBeCloseTo(0.5 / 3.6e6, 15);
    expect(record.cpu_energy_basis).toBe('measured');
    expect(record.tracking_mode).toBe('machine');
    expect(report.components.find((c) => c.name === 'CPU')?.basis).toBe('measured');
  });

  it('models CPU energy from CPU time when RAPL is absent, and says so', async () => {
    const { tracker, state } = manualTracker();
    await tracker.start();
    state.ms += 10_000;
    state.cpu += 4; // 4 CPU-seconds
    const { record, report, rapl, gpu } = await tracker.stop();
    expect(rapl.status).toBe('absent');
    expect(gpu.status).toBe('absent');
    expect(record.cpu_energy).toBeCloseTo((4 * 280) / 128 / 3.6e6, 15);
    expect(record.cpu_energy_basis).toBe('modelled');
    expect(record.gpu_energy_basis).toBe('absent');
    expect(record.gpu_energy).toBe(0);
    expect(record.duration).toBe(10);
    expect(record.tracking_mode).toBe('process');
    expect(report.notes.join(' ')).toMatch(/RAPL absent/);
    expect(report.notes.join(' ')).toMatch(/GPU absent: nvidia-smi not found/);
    // France: 44 g central (Ember 2024), 57 g high (Luccioni 2022).
    const energy = Number(record.energy_consumed);
    expect(record.emissions).toBeCloseTo((energy * 44) / 1000, 15);
    expect(Number(record.emissions_high)).toBeGreaterThan(Number(record.emissions));
    expect(record.country_iso_code).toBe('FRA');
  });

  it('falls back to the CPU model when RAPL is unreadable', async () => {
    await mkdir(join(root, 'class', 'powercap', 'intel-rapl:0', 'energy_uj'), { recursive: true });
    const { tracker, state } = manualTracker();
    await tracker.start();
    state.ms += 1000;
    state.cpu += 1;
    const { record, rapl, report } = await tracker.stop();
    expect(rapl.status).toBe('unreadable');
    expect(record.cpu_energy_basis).toBe('modelled');
    expect(Number(record.cpu_energy)).toBeGreaterThan(0);
    expect(report.notes.join(' ')).toMatch(/RAPL unreadable/);
  });

  it('treats a missing nvidia-smi binary as no GPU (real spawn of a path that does not exist)', async () => {
    const { tracker, state } = manualTracker({ nvidiaSmi: { command: join(root, 'no-such-nvidia-smi') } });
    await tracker.start();
    state.ms += 1000;
    const { gpu, record } = await tracker.stop();
    expect(gpu.status).toBe('absent');
    expect(record.gpu_count).toBe(0);
  });

  it('integrates nvidia-smi power samples when a GPU is present', async () => {
    const watts = [100, 300, 300];
    let call = 0;
    const runner: CommandRunner = async () => ({ stdout: `0, NVIDIA H100 80GB HBM3, ${watts[Math.min(call++, watts.length - 1)]}.00, 97\n` });
    const { tracker, state } = manualTracker({ nvidiaSmi: { runner } });
    await tracker.start(); // probe (100 W) and first sample (300 W at t=0: no time elapsed)
    state.ms += 10_000;
    const { record, gpu } = await tracker.stop(); // 300 W over 10 s
    expect(gpu.status).toBe('present');
    expect(record.gpu_energy).toBeCloseTo((300 * 10) / 3.6e6, 15);
    expect(record.gpu_model).toBe('NVIDIA H100 80GB HBM3');
    expect(record.gpu_energy_basis).toBe('measured');
  });

  it('samples on its interval until stopped', async () => {
    vi.useFakeTimers();
    try {
      let calls = 0;
      const runner: CommandRunner = async () => {
        calls++;
        return { stdout: '0, NVIDIA A100-SXM4-80GB, 250, 90\n' };
      };
      const { tracker } = manualTracker({ nvidiaSmi: { runner }, samplingIntervalMs: 500 });
      await tracker.start();
      const afterStart = calls;
      await vi.advanceTimersByTimeAsync(2000);
      expect(calls - afterStart).toBe(4);
      await tracker.stop();
      const afterStop = calls;
      await vi.advanceTimersByTimeAsync(2000);
      expect(calls).toBe(afterStop);
    } finally {
      vi.useRealTimers();
    }
  });

  it('measures named tasks separately and refuses bad state transitions', async () => {
    const { tracker, state } = manualTracker();
    await expect(tracker.stop()).rejects.toMatchObject({ code: 'E_STATE' });
    await tracker.start();
    await tracker.startTask('epoch-1');
    state.ms += 2000;
    state.cpu += 2;
    const epoch = await tracker.stopTask('epoch-1');
    state.ms += 3000;
    const whole = await tracker.stop();
    expect(epoch.record.duration).toBe(2);
    expect(epoch.report.title).toBe('epoch-1');
    expect(whole.record.duration).toBe(5);
    await expect(tracker.stopTask('epoch-1')).rejects.toMatchObject({ code: 'E_STATE' });
  });

  it('writes an emissions.csv with CodeCarbon columns first, appending rows', async () => {
    const { tracker, state } = manualTracker({ projectName: 'demo' });
    await tracker.start();
    state.ms += 1000;
    state.cpu += 0.5;
    const { record } = await tracker.stop();
    const path = join(root, 'out', 'emissions.csv');
    await appendEmissionsCsv(path, [record]);
    await appendEmissionsCsv(path, [record]);
    const text = await readFile(path, 'utf8');
    const header = text.split('\n')[0]?.split(',') ?? [];
    expect(header.slice(0, CODECARBON_COLUMNS.length)).toEqual([...CODECARBON_COLUMNS]);
    const rows = parseEmissionsCsv(text);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.project_name).toBe('demo');
    expect(Number(rows[0]?.emissions)).toBeCloseTo(Number(record.emissions), 12);
    expect(rows[0]?.cpu_energy_basis).toBe('modelled');
  });
});

describe('NodeTracker.current', () => {
  it('reports the cost so far without stopping, growing with time, and agreeing with stop()', async () => {
    const { tracker, state } = manualTracker();
    await expect(tracker.current()).rejects.toMatchObject({ code: 'E_STATE' });
    await tracker.start();
    state.ms += 5000;
    state.cpu += 4;
    const first = await tracker.current();
    state.ms += 5000;
    state.cpu += 4;
    const second = await tracker.current();
    expect(tracker.running).toBe(true);
    expect(Number(second.record.energy_consumed)).toBeCloseTo(2 * Number(first.record.energy_consumed), 12);
    const final = await tracker.stop();
    expect(final.record.energy_consumed).toBe(second.record.energy_consumed);
  });
});
