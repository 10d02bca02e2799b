/**
 * Common CPUs: TDP from CodeCarbon's table (`mlco2/codecarbon: codecarbon/data/hardware/cpu_power.csv`,
 * v3.3.0, read 2026 via carbon-reference.md §3.2). Core/thread counts and base clocks are the
 * vendors' spec pages (from memory; override with `cpu: { tdpWatts, threads }` when in doubt).
 * Peak FP32 is derived: cores x base clock x FLOP/cycle/core (32 with two 256-bit FMA units,
 * 64 with two AVX-512 FMA units), carbon-reference.md §3.2; left out for hybrid desktop parts.
 */
export interface CpuSpec {
  readonly id: string;
  readonly name: string;
  /** Lower-case fragments matched against `os.cpus()[0].model`. */
  readonly match: readonly string[];
  readonly tdpWatts: number;
  readonly cores: number;
  readonly threads: number;
  readonly peakFp32Flops?: number;
}

const G = 1e9;

/** CPUs with TDP, cores and threads, used to model CPU power when RAPL is not readable. */
export const CPUS: readonly CpuSpec[] = [
  { id: 'apple-m1', name: 'Apple M1', match: ['apple m1'], tdpWatts: 10, cores: 8, threads: 8 },
  { id: 'core-i5-1135g7', name: 'Intel Core i5-1135G7', match: ['i5-1135g7'], tdpWatts: 28, cores: 4, threads: 8 },
  { id: 'core-i7-1165g7', name: 'Intel Core i7-1165G7', match: ['i7-1165g7'], tdpWatts: 28, cores: 4, threads: 8 },
  { id: 'core-i9-13900k', name: 'Intel Core i9-13900K', match: ['i9-13900k'], tdpWatts: 125, cores: 24, threads: 32 },
  { id: 'ryzen-9-7950x', name: 'AMD Ryzen 9 7950X', match: ['ryzen 9 7950x'], tdpWatts: 170, cores: 16, threads: 32 },
  { id: 'xeon-gold-6148', name: 'Intel Xeon Gold 6148', match: ['gold 6148'], tdpWatts: 150, cores: 20, threads: 40, peakFp32Flops: 20 * 2.4 * G * 64 },
  {
    id: 'xeon-platinum-8275cl',
    name: 'Intel Xeon Platinum 8275CL',
    match: ['platinum 8275cl'],
    tdpWatts: 240,
    cores: 24,
    threads: 48,
    peakFp32Flops: 24 * 3.0 * G * 64,
  },
  {
    id: 'xeon-platinum-8358',
    name: 'Intel Xeon Platinum 8358',
    match: ['platinum 8358'],
    tdpWatts: 250,
    cores: 32,
    threads: 64,
    peakFp32Flops: 32 * 2.6 * G * 64,
  },
  {
    id: 'xeon-platinum-8480',
    name: 'Intel Xeon Platinum 8480+',
    match: ['platinum 8480'],
    tdpWatts: 350,
    cores: 56,
    threads: 112,
    peakFp32Flops: 56 * 2.0 * G * 64,
  },
  { id: 'epyc-7543', name: 'AMD EPYC 7543', match: ['epyc 7543'], tdpWatts: 225, cores: 32, threads: 64, peakFp32Flops: 32 * 2.8 * G * 32 },
  { id: 'epyc-7763', name: 'AMD EPYC 7763', match: ['epyc 7763'], tdpWatts: 280, cores: 64, threads: 128, peakFp32Flops: 64 * 2.45 * G * 32 },
  { id: 'epyc-9654', name: 'AMD EPYC 9654', match: ['epyc 9654'], tdpWatts: 360, cores: 96, threads: 192, peakFp32Flops: 96 * 2.4 * G * 32 },
];

/** Defaults when the CPU is unknown (carbon-reference.md §2.1, §2.4). */
export const UNKNOWN_CPU = {
  /** Green Algorithms default per core (data/v3.0 referenceValues.csv, 2024). */
  wattsPerCore: 12,
  /** CodeCarbon's constant for an unknown CPU (codecarbon/external/hardware.py, v3.3.0). */
  wholeCpuWatts: 85,
  source: 'Green Algorithms 12 W per core (Lannelongue 2021, data v3.0, 2024); CodeCarbon 85 W fallback (v3.3.0)',
} as const;

/** The CPU table entry whose match strings occur in `model` (e.g. `os.cpus()[0].model`), or undefined. */
export function findCpuByModel(model: string): CpuSpec | undefined {
  const lower = model.toLowerCase();
  return CPUS.find((cpu) => cpu.match.some((fragment) => lower.includes(fragment)));
}
