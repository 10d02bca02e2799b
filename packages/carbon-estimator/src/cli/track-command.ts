/**
 * `wattformer-carbon track -- <command>`: runs the command, tracks the machine while it runs,
 * and appends a CodeCarbon-compatible row to emissions.csv. The child's CPU time comes from the
 * POSIX shell builtin `times` (user + system time of waited-for children), written to fd 3 so
 * the command's own output is untouched.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { formatMass, formatNumber } from '../report/format';
import { NodeTracker, appendEmissionsCsv } from '../tracker/node-tracker';
import type { CliIo } from './io';
import { parseCliNumber } from './parse-number';

export interface TrackOptions {
  readonly region?: string;
  readonly intensity?: string;
  readonly pue?: string;
  readonly output?: string;
  readonly projectName?: string;
  readonly interval?: string;
  readonly sysfsRoot?: string;
  readonly nvidiaSmi?: string;
  readonly extraColumns?: boolean;
  readonly json?: boolean;
}

/** Children's user and system seconds from the second line of `times` output. */
export function parseShellTimes(text: string): number | undefined {
  const values = [...text.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (values.length < 4) return undefined;
  return (values[2] ?? 0) + (values[3] ?? 0);
}

export async function runTrack(commandLine: readonly string[], options: TrackOptions, io: CliIo): Promise<number> {
  const [command, ...args] = commandLine;
  if (!command) throw new Error('unreachable: commander requires <command>');
  const intensity = options.intensity !== undefined ? parseCliNumber('--intensity', options.intensity) : undefined;
  const pue = options.pue !== undefined ? parseCliNumber('--pue', options.pue, { positive: true }) : undefined;
  const interval = options.interval !== undefined ? parseCliNumber('--interval', options.interval, { positive: true }) : undefined;
  let childCpuSeconds = 0;
  let childCpuKnown = false;
  const tracker = new NodeTracker({
    projectName: options.projectName ?? 'wattformer-track',
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(intensity !== undefined ? { intensity } : {}),
    ...(pue !== undefined ? { pue } : {}),
    ...(interval !== undefined ? { samplingIntervalMs: interval } : {}),
    ...(options.sysfsRoot !== undefined ? { sysfsRoot: options.sysfsRoot } : {}),
    ...(options.nvidiaSmi !== undefined ? { nvidiaSmi: { command: options.nvidiaSmi } } : {}),
    cpuSeconds: () => childCpuSeconds,
  });
  await tracker.start();
  const startedMs = Date.now();
  const exitCode = await new Promise<number>((resolveExit) => {
    const child = spawn('/bin/sh', ['-c', '"$@"; s=$?; times >&3; exit $s', 'wattformer-track', command, ...args], {
      stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    });
    let timesText = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      timesText += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      io.stderr(`carbon-estimator: track: expected a runnable command, got '${command}' (${error.message})\n`);
      resolveExit(127);
    });
    child.on('close', (code, signal) => {
      const seconds = parseShellTimes(timesText);
      if (seconds !== undefined) {
        childCpuSeconds = seconds;
        childCpuKnown = true;
      }
      resolveExit(code ?? (signal ? 128 : 1));
    });
  });
  if (!childCpuKnown) {
    // No `times` output (killed by a signal): fall back to one busy thread for the wall time.
    childCpuSeconds = (Date.now() - startedMs) / 1000;
  }
  const summary = await tracker.stop();
  const output = resolve(io.cwd, options.output ?? 'emissions.csv');
  await appendEmissionsCsv(output, [summary.record], options.extraColumns !== false);
  const r = summary.record;
  io.stderr(
    `wattformer-carbon: ${formatNumber(Number(r.duration))} s, ${formatNumber(Number(r.energy_consumed) * 1000)} Wh, ${formatMass(Number(r.emissions))} CO2e` +
      ` (CPU ${r.cpu_energy_basis}${childCpuKnown ? '' : ' from wall time'}, GPU ${r.gpu_energy_basis}, RAM ${r.ram_energy_basis}) -> ${output}\n`,
  );
  if (options.json) io.stdout(`${JSON.stringify({ record: summary.record, report: summary.report, rapl: summary.rapl, gpu: summary.gpu }, null, 2)}\n`);
  return exitCode;
}
