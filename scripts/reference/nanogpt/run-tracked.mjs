// Runs one trainer as a child process and measures it the way @wattformer/carbon-estimator's
// `wattformer-carbon track` does: a NodeTracker (RAPL when readable, else CPU time × a per-thread
// power model; RAM from the DIMM model; GPU off) whose CPU time is the child's own, read from the
// POSIX shell builtin `times` (user + system seconds of the waited-for child) on fd 3. The same
// method for both trainers, so their energy figures compare like for like.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { NodeTracker, toEstimateJson } from '@wattformer/carbon-estimator/node';

/** Children's user + system seconds from `times` (second line: children's "XmY.Ys XmY.Ys"). */
function childCpuSeconds(text) {
  const values = [...text.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return values.length >= 4 ? values[2] + values[3] : undefined;
}

const component = (report, name) => report.components.find((c) => c.name === name)?.energyKWh?.value ?? 0;

/**
 * Runs `command args…` (stdout and stderr pass through) and resolves to its wall seconds, CPU
 * seconds, load averages around it and the tracker's energy and CO2e; rejects on a non-zero exit.
 */
export async function runTracked(label, command, args, { region = 'WORLD', cwd } = {}) {
  let cpuSeconds = 0;
  const tracker = new NodeTracker({
    projectName: `nanogpt reference: ${label}`,
    region,
    nvidiaSmi: false,
    samplingIntervalMs: 60_000,
    cpuSeconds: () => cpuSeconds,
  });
  const loadBefore = loadavg();
  await tracker.start();
  const started = performance.now();
  const { code, timesText } = await new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', '"$@"; s=$?; times >&3; exit $s', label, command, ...args], { cwd, stdio: ['ignore', 'inherit', 'inherit', 'pipe'] });
    let text = '';
    child.stdio[3].on('data', (chunk) => (text += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, timesText: text }));
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const measured = childCpuSeconds(timesText);
  if (code !== 0) {
    await tracker.stop();
    throw new Error(`reference: ${label}: expected exit code 0, got ${code}\nhelp: see the output above`);
  }
  if (measured === undefined) throw new Error(`reference: ${label}: expected the shell's \`times\` output, got ${JSON.stringify(timesText)}`);
  cpuSeconds = measured;
  const summary = await tracker.stop();
  const figures = toEstimateJson(summary.report);
  const scope = summary.report.notes?.find((note) => note.startsWith('What was measured')) ?? '';
  return {
    wallSeconds,
    cpuSeconds,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg(),
    energyKWh: figures.energyKWh,
    // The CPU part scales with the child's CPU seconds; the RAM part with its wall seconds (so a
    // busy shared machine inflates it).
    cpuEnergyKWh: component(summary.report, 'CPU'),
    ramEnergyKWh: component(summary.report, 'RAM'),
    energyKWhLow: figures.energyKWhLow,
    energyKWhHigh: figures.energyKWhHigh,
    co2eGrams: figures.co2eKg * 1000,
    co2eGramsLow: figures.co2eKgLow * 1000,
    co2eGramsHigh: figures.co2eKgHigh * 1000,
    intensityGramsPerKWh: figures.intensityGramsPerKWh,
    region: summary.report.location?.name ?? region,
    method: scope,
  };
}
