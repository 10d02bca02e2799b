/**
 * Live tracking in Node: CPU from Linux RAPL package counters when readable, else process CPU
 * time x a per-core power model; NVIDIA GPUs from `nvidia-smi` power samples; RAM from a DIMM
 * model. Start/stop, named tasks, a sampling interval, and CodeCarbon-compatible output.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, open } from 'node:fs/promises';
import { arch, cpus, freemem, platform, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { findCpuByModel } from '../data/cpus';
import { TRACKER_DEFAULT_PUE } from '../data/pue';
import { CarbonEstimatorError, requireNonNegative } from '../errors';
import { exact, scale, type Range } from '../interval';
import { resolveRegion, type ResolvedLocation } from '../region';
import { TOOL_VERSION } from '../version';
import { parseEmissionsCsvHeader, toEmissionsCsv } from './codecarbon-csv';
import { cpuPowerModel, type CpuPowerInput, type CpuPowerModel } from './cpu-power';
import { buildMeasurement, type ComponentEnergy, type Measurement } from './measurement';
import { execFileRunner } from './node-command-runner';
import { queryNvidiaSmi, type CommandRunner, type GpuQuery } from './nvidia-smi';
import { probeRapl, RaplCounter, type RaplProbe } from './rapl';
import { ramPowerWatts } from './ram-power';

/**
 * Options of `NodeTracker`: project and experiment names, place or intensity, PUE, sampling interval and the probes to use.
 */
export interface NodeTrackerOptions {
  readonly projectName?: string;
  readonly experimentId?: string;
  /** ISO country code or cloud region; default `WORLD`. */
  readonly region?: string;
  /** gCO2e/kWh directly. */
  readonly intensity?: number;
  /** Default 1.0, as CodeCarbon. */
  readonly pue?: number;
  /** Milliseconds between samples; default 1000. */
  readonly samplingIntervalMs?: number;
  /** Root of sysfs for RAPL; default `/sys`. */
  readonly sysfsRoot?: string;
  /** `false` disables GPU tracking; otherwise the command and runner used to call nvidia-smi. */
  readonly nvidiaSmi?: false | { readonly command?: string; readonly runner?: CommandRunner };
  readonly cpu?: CpuPowerInput;
  readonly ramTotalGb?: number;
  /** Cumulative CPU seconds of what is tracked; default: this process (`process.cpuUsage`). */
  readonly cpuSeconds?: () => number;
  /** Milliseconds clock; default `Date.now`. */
  readonly clock?: () => number;
}

interface Counters {
  readonly timeMs: number;
  readonly cpuSeconds: number;
  readonly raplJoules: number;
  readonly gpuJoules: number;
}

/** The final measurement of `NodeTracker.stop`, with what the RAPL and GPU probes found. */
export interface TrackerSummary extends Measurement {
  readonly rapl: RaplProbe;
  readonly gpu: GpuQuery;
}

const processCpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

/**
 * Measures a Node process's training energy like CodeCarbon: RAPL counters for CPU (or a TDP model), nvidia-smi for GPUs and a RAM model; its rows fit a CodeCarbon-compatible emissions.csv.
 */
export class NodeTracker {
  private readonly options: NodeTrackerOptions;
  private readonly clock: () => number;
  private readonly cpuSecondsSource: () => number;
  private readonly location: ResolvedLocation | undefined;
  private readonly cpuModel: CpuPowerModel;
  private readonly runId = randomUUID();
  private rapl: RaplProbe = { status: 'absent', domains: [] };
  private raplCounter: RaplCounter | undefined;
  private gpu: GpuQuery = { status: 'absent', gpus: [], reason: 'not probed' };
  private gpuJoules = 0;
  private lastGpuWatts = 0;
  private lastSampleMs = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private start0: Counters | undefined;
  private startedAt: Date | undefined;
  private readonly tasks = new Map<string, { counters: Counters; startedAt: Date }>();

  constructor(options: NodeTrackerOptions = {}) {
    this.options = options;
    if (options.intensity !== undefined) requireNonNegative('NodeTracker', 'intensity', options.intensity);
    if (options.pue !== undefined) requireNonNegative('NodeTracker', 'pue', options.pue, true);
    if (options.samplingIntervalMs !== undefined) requireNonNegative('NodeTracker', 'samplingIntervalMs', options.samplingIntervalMs, true);
    this.clock = options.clock ?? Date.now;
    this.cpuSecondsSource = options.cpuSeconds ?? processCpuSeconds;
    this.location = options.region !== undefined || options.intensity === undefined ? resolveRegion(options.region ?? 'WORLD', 'NodeTracker') : undefined;
    const model = options.cpu?.model ?? cpus()[0]?.model;
    // A known model brings its own thread count (a VM may show only a slice of the host CPU).
    const threads = options.cpu?.threads ?? (model !== undefined && findCpuByModel(model) ? undefined : cpus().length);
    this.cpuModel = cpuPowerModel({
      ...(model !== undefined ? { model } : {}),
      ...(threads !== undefined ? { threads } : {}),
      ...(options.cpu?.tdpWatts !== undefined ? { tdpWatts: options.cpu.tdpWatts } : {}),
    });
  }

  get running(): boolean {
    return this.start0 !== undefined;
  }

  /** Probes RAPL and nvidia-smi and starts sampling (refused when already started). */
  async start(): Promise<void> {
    if (this.start0)
      throw new CarbonEstimatorError('E_STATE', {
        op: 'NodeTracker.start',
        expected: 'a stopped tracker',
        got: 'one already running',
        help: 'call stop() first',
      });
    this.rapl = await probeRapl(this.options.sysfsRoot ?? '/sys');
    this.raplCounter = this.rapl.status === 'present' ? new RaplCounter(this.rapl.domains) : undefined;
    this.gpu = this.options.nvidiaSmi === false ? { status: 'absent', gpus: [], reason: 'disabled' } : await this.queryGpu();
    this.gpuJoules = 0;
    this.lastGpuWatts = this.sumGpuWatts(this.gpu);
    this.lastSampleMs = this.clock();
    this.startedAt = new Date(this.lastSampleMs);
    this.start0 = await this.sample();
    const interval = this.options.samplingIntervalMs ?? 1000;
    this.timer = setInterval(() => void this.sample().catch(() => undefined), interval);
    this.timer.unref?.();
  }

  private queryGpu(): Promise<GpuQuery> {
    const config = this.options.nvidiaSmi === false ? {} : (this.options.nvidiaSmi ?? {});
    return queryNvidiaSmi(config.runner ?? execFileRunner, config.command ?? 'nvidia-smi');
  }

  private sumGpuWatts(query: GpuQuery): number {
    return query.gpus.reduce((sum, gpu) => sum + gpu.powerWatts, 0);
  }

  /** Takes one sample now (the timer calls this); returns cumulative counters. */
  async sample(): Promise<Counters> {
    const now = this.clock();
    if (this.gpu.status === 'present') {
      const reading = await this.queryGpu();
      const watts = reading.status === 'present' ? this.sumGpuWatts(reading) : this.lastGpuWatts;
      // Trapezoid between the last reading and this one.
      this.gpuJoules += (((this.lastGpuWatts + watts) / 2) * Math.max(0, now - this.lastSampleMs)) / 1000;
      this.lastGpuWatts = watts;
    }
    this.lastSampleMs = now;
    let raplJoules = 0;
    if (this.raplCounter) {
      try {
        raplJoules = await this.raplCounter.readJoules();
      } catch (error) {
        this.rapl = { status: 'unreadable', domains: [], reason: `stopped being readable: ${(error as Error).message}` };
        this.raplCounter = undefined;
      }
    }
    return { timeMs: now, cpuSeconds: this.cpuSecondsSource(), raplJoules, gpuJoules: this.gpuJoules };
  }

  /** Starts a named task inside the running tracker; tasks may overlap. */
  async startTask(name: string): Promise<void> {
    if (!this.start0)
      throw new CarbonEstimatorError('E_STATE', {
        op: 'NodeTracker.startTask',
        expected: 'a running tracker',
        got: 'a stopped one',
        help: 'await tracker.start() first',
      });
    if (this.tasks.has(name))
      throw new CarbonEstimatorError('E_STATE', { op: 'NodeTracker.startTask', expected: `task '${name}' not yet started`, got: 'it is running' });
    const startedAt = new Date(this.clock());
    this.tasks.set(name, { counters: await this.sample(), startedAt });
  }

  /** Ends the named task started with `startTask` and returns its measurement. */
  async stopTask(name: string): Promise<Measurement> {
    const task = this.tasks.get(name);
    if (!task)
      throw new CarbonEstimatorError('E_STATE', {
        op: 'NodeTracker.stopTask',
        expected: `a started task (${[...this.tasks.keys()].map((k) => `'${k}'`).join(', ') || 'none running'})`,
        got: `'${name}'`,
      });
    const end = await this.sample();
    this.tasks.delete(name);
    return this.measure(name, task.counters, end, task.startedAt);
  }

  /** What the run has cost so far, without stopping (CodeCarbon's flush): a ledger reads this. */
  async current(): Promise<Measurement> {
    if (!this.start0 || !this.startedAt)
      throw new CarbonEstimatorError('E_STATE', {
        op: 'NodeTracker.current',
        expected: 'a running tracker',
        got: 'a stopped one',
        help: 'await tracker.start() first',
      });
    return this.measure(this.options.projectName ?? 'wattformer', this.start0, await this.sample(), this.startedAt);
  }

  /**
   * Stops sampling and returns the whole run's measurement with what the probes found (write it with `appendEmissionsCsv`).
   */
  async stop(): Promise<TrackerSummary> {
    if (!this.start0 || !this.startedAt)
      throw new CarbonEstimatorError('E_STATE', {
        op: 'NodeTracker.stop',
        expected: 'a running tracker',
        got: 'a stopped one',
        help: 'await tracker.start() first',
      });
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const end = await this.sample();
    const measurement = this.measure(this.options.projectName ?? 'wattformer', this.start0, end, this.startedAt);
    this.start0 = undefined;
    return { ...measurement, rapl: this.rapl, gpu: this.gpu };
  }

  private measure(title: string, from: Counters, to: Counters, startedAt: Date): Measurement {
    const seconds = Math.max(0, (to.timeMs - from.timeMs) / 1000);
    const cpuSeconds = Math.max(0, to.cpuSeconds - from.cpuSeconds);
    const threads = this.options.cpu?.threads ?? Math.max(1, cpus().length);
    const utilizationPercent = seconds > 0 ? (100 * cpuSeconds) / (seconds * threads) : 0;
    const notes: string[] = [];
    let cpu: ComponentEnergy;
    if (this.rapl.status === 'present') {
      cpu = {
        energyKWh: exact(Math.max(0, to.raplJoules - from.raplJoules) / 3.6e6),
        basis: 'measured',
        method: `RAPL package counters (${this.rapl.domains.map((d) => d.name).join(', ')}), whole machine`,
        model: this.cpuModel.cpuName,
        utilizationPercent,
      };
    } else {
      const kWh: Range = scale(this.cpuModel.wattsPerBusyThread, cpuSeconds / 3.6e6);
      cpu = {
        energyKWh: kWh,
        basis: 'modelled',
        method: `CPU time ${cpuSeconds.toFixed(3)} s x ${this.cpuModel.wattsPerBusyThread.value.toFixed(2)} W per busy thread (${this.cpuModel.source})`,
        model: this.cpuModel.cpuName,
        utilizationPercent,
      };
      notes.push(`RAPL ${this.rapl.status}${this.rapl.reason ? `: ${this.rapl.reason}` : ''}.`);
    }
    let gpu: ComponentEnergy | undefined;
    if (this.gpu.status === 'present') {
      gpu = {
        energyKWh: exact(Math.max(0, to.gpuJoules - from.gpuJoules) / 3.6e6),
        basis: 'measured',
        method: 'nvidia-smi power.draw samples, trapezoid, whole device',
        count: this.gpu.gpus.length,
        model: this.gpu.gpus[0]?.name ?? '',
      };
    } else {
      notes.push(`GPU ${this.gpu.status}${this.gpu.reason ? `: ${this.gpu.reason}` : ''}; GPU energy counted as 0.`);
    }
    const ramTotalGb = this.options.ramTotalGb ?? totalmem() / 1e9;
    const ramWatts = ramPowerWatts(ramTotalGb, arch().startsWith('arm'));
    const ram = {
      energyKWh: scale(ramWatts, seconds / 3.6e6),
      basis: 'modelled' as const,
      method: `${ramWatts.value.toFixed(1)} W for ${ramTotalGb.toFixed(1)} GB (CodeCarbon v3 DIMM model)`,
      totalGb: ramTotalGb,
      usedGb: (totalmem() - freemem()) / 1e9,
    };
    return buildMeasurement({
      title,
      projectName: this.options.projectName ?? 'wattformer',
      runId: this.runId,
      ...(this.options.experimentId !== undefined ? { experimentId: this.options.experimentId } : {}),
      startedAt,
      durationSeconds: seconds,
      cpu,
      ...(gpu ? { gpu } : {}),
      ram,
      ...(this.location ? { location: this.location } : {}),
      ...(this.options.intensity !== undefined ? { intensity: this.options.intensity } : {}),
      pue: this.options.pue ?? TRACKER_DEFAULT_PUE.value,
      environment: { os: `${platform()}-${release()}`, runtime: `node ${process.versions.node}`, cpuCount: cpus().length },
      trackingMode: this.rapl.status === 'present' ? 'machine' : 'process',
      toolVersion: TOOL_VERSION,
      notes,
    });
  }
}

/** Columns without which a file is not an emissions.csv we may append to. */
const REQUIRED_COLUMNS = ['timestamp', 'project_name', 'run_id', 'duration', 'emissions', 'energy_consumed'] as const;

/** Bytes of an existing emissions.csv read to find its header (a header is ~700 bytes). */
const HEADER_PROBE_BYTES = 64 * 1024;

/**
 * Appends records to a CodeCarbon-style CSV, writing the header when the file is new. An existing
 * file is outside bytes: only its first 64 KiB and last byte are read. Its header decides the
 * columns and their order (CodeCarbon accepts any order with the same names): a file with exactly
 * CodeCarbon's columns gets rows without our extras, so CodeCarbon keeps appending to it rather
 * than backing it up; an older file (fewer columns) keeps its own; a column we do not know gets
 * an empty cell. A file without the core columns (timestamp, run_id, emissions, …) is not an
 * emissions.csv and is refused (E_STATE) instead of given misaligned rows.
 * A last line cut short (a crash mid-write) is closed with a newline first.
 */
export async function appendEmissionsCsv(path: string, records: Measurement['record'][], extraColumns = true): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const existing = await readHeaderAndTail(path);
  if (!existing) {
    await appendFile(path, toEmissionsCsv(records, { header: true, extraColumns }), 'utf8');
    return;
  }
  const names = parseEmissionsCsvHeader(existing.firstLine);
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new CarbonEstimatorError('E_STATE', {
      op: 'appendEmissionsCsv',
      expected: `${path} to be an emissions.csv (with ${REQUIRED_COLUMNS.join(', ')})`,
      got: `a header without ${missing.join(', ')}: '${existing.firstLine.slice(0, 80)}'`,
      help: 'write to another file (--output), or move this one aside (CodeCarbon itself renames such a file to .bak)',
    });
  }
  await appendFile(path, `${existing.endsWithNewline ? '' : '\n'}${toEmissionsCsv(records, { header: false, columns: names })}`, 'utf8');
}

async function readHeaderAndTail(path: string): Promise<{ firstLine: string; endsWithNewline: boolean } | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new CarbonEstimatorError('E_STATE', {
        op: 'appendEmissionsCsv',
        expected: `${path} to be a regular file`,
        got: 'something else',
        help: 'pass a file path to --output',
      });
    }
    if (info.size === 0) return undefined;
    const probe = Buffer.alloc(Math.min(HEADER_PROBE_BYTES, info.size));
    await handle.read(probe, 0, probe.length, 0);
    const text = probe.toString('utf8');
    const newline = text.indexOf('\n');
    if (newline < 0 && info.size > probe.length) {
      throw new CarbonEstimatorError('E_STATE', {
        op: 'appendEmissionsCsv',
        expected: `a header line within the first ${HEADER_PROBE_BYTES} bytes of ${path}`,
        got: 'none',
        help: 'this is not an emissions.csv; write to another file (--output)',
      });
    }
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, info.size - 1);
    return { firstLine: newline < 0 ? text : text.slice(0, newline), endsWithNewline: last[0] === 0x0a };
  } finally {
    await handle.close();
  }
}
