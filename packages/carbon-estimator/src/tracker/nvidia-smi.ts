/**
 * NVIDIA GPUs through `nvidia-smi` (device-level power, as CodeCarbon's GPU figures are).
 * The command runner is injectable so tests can run without a GPU or without the binary.
 */
export interface CommandResult {
  readonly stdout: string;
}

/** Runs a command and resolves to its output (nvidia-smi); replaceable in tests. */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<CommandResult>;

/** One GPU as nvidia-smi reports it: index, name, power draw (W) and utilisation (%). */
export interface GpuSample {
  readonly index: number;
  readonly name: string;
  readonly powerWatts: number;
  readonly utilizationPercent: number;
}

export type GpuProbeStatus = 'present' | 'absent' | 'error';

/** What querying nvidia-smi found: status, the GPUs and the reason when none. */
export interface GpuQuery {
  readonly status: GpuProbeStatus;
  readonly gpus: readonly GpuSample[];
  readonly reason?: string;
}

/** Arguments `NodeTracker` passes to nvidia-smi (index, name, power draw, utilisation as CSV). */
export const NVIDIA_SMI_ARGS = ['--query-gpu=index,name,power.draw,utilization.gpu', '--format=csv,noheader,nounits'] as const;

/** Parses the CSV nvidia-smi prints for `NVIDIA_SMI_ARGS` into one sample per GPU. */
export function parseNvidiaSmi(stdout: string): GpuSample[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [index, name, power, utilization] = line.split(',').map((cell) => cell.trim());
      const powerWatts = Number(power);
      const utilizationPercent = Number(utilization);
      return {
        index: Number(index),
        name: name ?? 'NVIDIA GPU',
        powerWatts: Number.isFinite(powerWatts) ? powerWatts : 0,
        utilizationPercent: Number.isFinite(utilizationPercent) ? utilizationPercent : 0,
      };
    });
}

/** One reading of every GPU; `absent` when the binary is missing, `error` when it fails. */
export async function queryNvidiaSmi(runner: CommandRunner, command = 'nvidia-smi'): Promise<GpuQuery> {
  try {
    const { stdout } = await runner(command, NVIDIA_SMI_ARGS);
    const gpus = parseNvidiaSmi(stdout);
    return gpus.length > 0 ? { status: 'present', gpus } : { status: 'absent', gpus: [], reason: 'nvidia-smi listed no GPU' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'absent', gpus: [], reason: `${command} not found` };
    return { status: 'error', gpus: [], reason: `${command}: ${(error as Error).message.split('\n')[0]}` };
  }
}
