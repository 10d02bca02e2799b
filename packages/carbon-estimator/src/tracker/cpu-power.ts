import { CPUS, UNKNOWN_CPU, findCpuByModel } from '../data/cpus';
import { argumentError } from '../errors';
import { range, type Range } from '../interval';

/** What models a CPU's power: its model string, TDP override and thread count. */
export interface CpuPowerInput {
  /** CPU model string, e.g. `os.cpus()[0].model`. */
  readonly model?: string;
  /** Overrides the table's TDP. */
  readonly tdpWatts?: number;
  /** Logical CPUs (hardware threads). */
  readonly threads?: number;
}

/** A CPU power model: which CPU, watts per busy thread (a range) and the source. */
export interface CpuPowerModel {
  readonly cpuName: string;
  /** Watts drawn per busy logical CPU (one CPU-second per second). */
  readonly wattsPerBusyThread: Range;
  readonly source: string;
}

// Spread of per-thread and per-core power across the CPU table (TDP/threads .. TDP/cores).
const TABLE_LOW = Math.min(...CPUS.map((c) => c.tdpWatts / c.threads));
const TABLE_HIGH = Math.max(...CPUS.map((c) => c.tdpWatts / c.cores));

/**
 * Per-core power model: a CPU-second of process time costs TDP / threads joules (central),
 * half that at the low end (CodeCarbon's older constant mode assumed 50% of TDP) and TDP / cores
 * at the high end (one busy thread may hold a whole core). Unknown CPU: Green Algorithms' 12 W
 * per core, ranged over the spread of the known table.
 */
export function cpuPowerModel(input: CpuPowerInput = {}): CpuPowerModel {
  const known = input.model ? findCpuByModel(input.model) : undefined;
  const threads = input.threads ?? known?.threads;
  if (threads !== undefined && !(Number.isFinite(threads) && threads > 0)) {
    throw argumentError('cpuPowerModel', 'threads > 0', String(threads));
  }
  const tdp = input.tdpWatts ?? known?.tdpWatts;
  if (tdp !== undefined && !(Number.isFinite(tdp) && tdp > 0)) {
    throw argumentError('cpuPowerModel', 'tdpWatts > 0', String(tdp));
  }
  if (tdp !== undefined && threads !== undefined) {
    const cores = known?.cores ?? Math.max(1, threads / 2);
    const central = tdp / threads;
    return {
      cpuName: known?.name ?? input.model ?? 'unknown CPU',
      wattsPerBusyThread: range(central, central * 0.5, tdp / cores),
      source: input.tdpWatts !== undefined ? 'given TDP / threads' : 'TDP from CodeCarbon cpu_power.csv (v3.3.0) / threads',
    };
  }
  return {
    cpuName: input.model ?? 'unknown CPU',
    wattsPerBusyThread: range(UNKNOWN_CPU.wattsPerCore, TABLE_LOW, Math.max(TABLE_HIGH, UNKNOWN_CPU.wattsPerCore)),
    source: `${UNKNOWN_CPU.source}; range: per-thread to per-core power across the known CPU table`,
  };
}
