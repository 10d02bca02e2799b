/**
 * Tracking in a browser. No web API exposes power (carbon-reference.md §2.8), so this measures
 * compute time (wall time inside `measure()` / between `begin()` and `end()`) and multiplies it
 * by a device power model. Every figure is labelled modelled. No Node imports.
 */
import { TRACKER_DEFAULT_PUE } from '../data/pue';
import { CarbonEstimatorError, requireNonNegative } from '../errors';
import { scale } from '../interval';
import { resolveRegion, type ResolvedLocation } from '../region';
import { TOOL_VERSION } from '../version';
import { cpuPowerModel, type CpuPowerInput, type CpuPowerModel } from './cpu-power';
import { buildMeasurement, type Measurement } from './measurement';
import { ramPowerWatts } from './ram-power';

/** Options of `BrowserTracker`: project name, place or intensity, PUE and the CPU to model. */
export interface BrowserTrackerOptions {
  readonly projectName?: string;
  readonly region?: string;
  readonly intensity?: number;
  readonly pue?: number;
  readonly cpu?: CpuPowerInput;
  /** GB of device memory (Chrome's `navigator.deviceMemory`); RAM is left out when unknown. */
  readonly deviceMemoryGb?: number;
  /** Milliseconds clock; default `performance.now`. */
  readonly now?: () => number;
}

/**
 * Estimates a browser run's energy and CO2e by modelling CPU power over the time you mark as busy (browsers expose no power counters); reports say it is modelled.
 */
export class BrowserTracker {
  private readonly options: BrowserTrackerOptions;
  private readonly now: () => number;
  private readonly location: ResolvedLocation | undefined;
  private readonly cpuModel: CpuPowerModel;
  private computeMs = 0;
  private openSince: number | undefined;
  private startedAt: Date | undefined;
  private startMs = 0;
  private readonly runId: string;

  constructor(options: BrowserTrackerOptions = {}) {
    this.options = options;
    if (options.intensity !== undefined) requireNonNegative('BrowserTracker', 'intensity', options.intensity);
    if (options.pue !== undefined) requireNonNegative('BrowserTracker', 'pue', options.pue, true);
    this.now = options.now ?? (() => performance.now());
    this.location = options.region !== undefined || options.intensity === undefined ? resolveRegion(options.region ?? 'WORLD', 'BrowserTracker') : undefined;
    this.cpuModel = cpuPowerModel(options.cpu ?? {});
    this.runId = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `run-${Date.now()}`;
  }

  /** Starts timing (refused when already started). */
  start(): void {
    if (this.startedAt) throw new CarbonEstimatorError('E_STATE', { op: 'BrowserTracker.start', expected: 'a stopped tracker', got: 'one already running' });
    this.startedAt = new Date();
    this.startMs = this.now();
    this.computeMs = 0;
  }

  /** Marks the start of a span of compute. */
  begin(): void {
    if (this.openSince === undefined) this.openSince = this.now();
  }

  /** Marks the end of a span of compute. */
  end(): void {
    if (this.openSince !== undefined) this.computeMs += this.now() - this.openSince;
    this.openSince = undefined;
  }

  /** Runs `work` and counts its wall time as compute time. */
  async measure<T>(work: () => T | Promise<T>): Promise<T> {
    const t0 = this.now();
    try {
      return await work();
    } finally {
      this.computeMs += this.now() - t0;
    }
  }

  /** Stops and returns the measurement of the whole run (modelled from busy time and the CPU's power). */
  stop(): Measurement {
    const measurement = this.current('BrowserTracker.stop');
    this.end();
    this.startedAt = undefined;
    return measurement;
  }

  /** What the run has cost so far, without stopping; an open compute span counts up to now. */
  current(op = 'BrowserTracker.current'): Measurement {
    if (!this.startedAt) throw new CarbonEstimatorError('E_STATE', { op, expected: 'a running tracker', got: 'a stopped one', help: 'call start() first' });
    const seconds = (this.now() - this.startMs) / 1000;
    const computeSeconds = (this.computeMs + (this.openSince === undefined ? 0 : this.now() - this.openSince)) / 1000;
    const memoryGb = this.options.deviceMemoryGb ?? 0;
    const ramWatts = ramPowerWatts(memoryGb);
    const startedAt = this.startedAt;
    return buildMeasurement({
      title: this.options.projectName ?? 'browser run',
      projectName: this.options.projectName ?? 'wattformer-browser',
      runId: this.runId,
      startedAt,
      durationSeconds: seconds,
      cpu: {
        energyKWh: scale(this.cpuModel.wattsPerBusyThread, computeSeconds / 3.6e6),
        basis: 'modelled',
        method: `compute time ${computeSeconds.toFixed(3)} s x ${this.cpuModel.wattsPerBusyThread.value.toFixed(2)} W per busy thread (${this.cpuModel.source})`,
        model: this.cpuModel.cpuName,
      },
      ram: {
        energyKWh: scale(ramWatts, computeSeconds / 3.6e6),
        basis: 'modelled',
        method:
          memoryGb > 0
            ? `${ramWatts.value.toFixed(1)} W for ${memoryGb} GB over compute time (CodeCarbon v3 DIMM model)`
            : 'device memory unknown; RAM not counted',
        totalGb: memoryGb,
      },
      ...(this.location ? { location: this.location } : {}),
      ...(this.options.intensity !== undefined ? { intensity: this.options.intensity } : {}),
      pue: this.options.pue ?? TRACKER_DEFAULT_PUE.value,
      environment: {
        os: typeof navigator !== 'undefined' ? navigator.userAgent : 'unknown',
        runtime: 'browser',
        cpuCount: typeof navigator !== 'undefined' ? (navigator.hardwareConcurrency ?? 0) : 0,
      },
      trackingMode: 'process',
      toolVersion: TOOL_VERSION,
      notes: ['Browser figures are modelled: compute time x a device power model; no browser API exposes power.'],
    });
  }
}
