import { Command, CommanderError } from 'commander';
import { CarbonEstimatorError } from '../errors';
import { TOOL_VERSION } from '../version';
import { runCompare } from './compare-command';
import { runEstimate, type EstimateOptions } from './estimate-command';
import type { CliIo } from './io';
import { runHardware, runRegions } from './list-commands';
import { runTrack, type TrackOptions } from './track-command';

/** Exit code for bad input (flags, values, unknown hardware or region). */
export const EXIT_BAD_INPUT = 2;

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('wattformer-carbon')
    .description('Energy and CO2e of machine-learning training: projections with intervals, and live tracking.')
    .version(TOOL_VERSION.split(' ')[1] ?? '0.0.0')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showSuggestionAfterError(true)
    .enablePositionalOptions();

  program
    .command('estimate')
    .description('energy and CO2e of a training run: planned (params + tokens, or FLOPs) or done (device-hours, or hours x devices)')
    .option('--params <n>', 'parameters N (active parameters for MoE), e.g. 7B or 175e9')
    .option('--tokens <n>', 'training tokens D, e.g. 2T or 300e9')
    .option('--flops <n>', 'training FLOPs instead of params x tokens, e.g. 3.1e23')
    .option('--hardware <id>', 'hardware id or alias, e.g. h100, a100-80gb, tpu-v3 (see `hardware`)')
    .option('--devices <n>', 'number of devices (a whole number >= 1)')
    .option('--device-hours <n>', 'device-hours actually used')
    .option('--hours <n>', 'wall-clock hours (x devices)')
    .option('--power-watts <n>', 'measured average power per device, W')
    .option('--mfu <x>', 'whole-run model FLOPs utilisation, 0-1')
    .option('--pue <x>', 'power usage effectiveness, >= 1')
    .option('--region <id>', 'ISO country code (FR, US), WORLD, or cloud region (gcp:europe-west1)')
    .option('--intensity <g>', 'grid intensity, gCO2e/kWh (overrides the region figure)')
    .option('--embodied <kg>', 'embodied CO2e per device, kg, before amortisation (0 leaves it out)')
    .option('--json', 'print one JSON object')
    .option('--markdown', 'print a Markdown report with a chart')
    .option('--html', 'print an HTML report with a chart')
    .option('--dtype <dtype>', 'dtype of the peak used with MFU: bf16 (default), fp16, tf32, fp32')
    .option('--peak-flops <n>', 'dense peak FLOP/s per device (overrides the table)')
    .option('--layers <n>', 'layers, to add the attention term (with --d-model, --context-length)')
    .option('--d-model <n>', 'model width')
    .option('--context-length <n>', 'training sequence length')
    .option('--idle-kwh <n>', 'idle energy of the allocation, kWh, when known')
    .option('--energy-kwh <n>', 'measured device energy, kWh (replaces device-hours x power)')
    .option('--service-life <years>', 'embodied amortisation period')
    .option('--lifetime-utilisation <x>', 'share of the service life the devices are busy, 0-1')
    .option('--memory-gb <n>', 'memory available to the job, GB (adds 0.3725 W/GB, as Green Algorithms)')
    .option('--title <text>', 'report title')
    .action((options: EstimateOptions) => runEstimate(options, io));

  program
    .command('compare')
    .description('one training job across hardware, regions, precisions and token budgets, ranked by CO2e with intervals')
    .option('--params <n>', 'parameters N, e.g. 7B')
    .option('--tokens <n>', 'training tokens D, e.g. 2T')
    .option('--flops <n>', 'training FLOPs instead of params x tokens')
    .option('--hardware <ids>', 'comma list of hardware ids, e.g. h100,a100-80gb,v100')
    .option('--regions <ids>', 'comma list of places, e.g. US,FR,DE,gcp:europe-west9')
    .option('--region <id>', 'one place (same as --regions with one item)')
    .option('--dtypes <list>', 'comma list of peak dtypes, e.g. bf16,fp32')
    .option('--token-budgets <list>', 'comma list of token budgets: counts (2T,140B) or tokens per parameter (20x)')
    .option('--chinchilla', "add Chinchilla's 20 tokens per parameter to the budgets")
    .option('--devices <n>', 'number of devices (for wall-clock days)')
    .option('--mfu <x>', 'whole-run model FLOPs utilisation, 0-1')
    .option('--pue <x>', 'power usage effectiveness, >= 1')
    .option('--json', 'print the ranked rows as JSON')
    .action((options: EstimateOptions) => runCompare(options, io));

  program
    .command('hardware')
    .description('list known accelerators and CPUs with TDP, peaks, measured draw and sources')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => runHardware(options, io));

  program
    .command('regions')
    .description('list countries and cloud regions with grid intensity, year and source')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => runRegions(options, io));

  program
    .command('track')
    .description('run a command and append its energy and CO2e to a CodeCarbon-style emissions.csv')
    .argument('<command...>', 'the command to run, after --')
    .option('--region <id>', 'ISO country code or cloud region (default WORLD)')
    .option('--intensity <g>', 'grid intensity, gCO2e/kWh')
    .option('--pue <x>', 'power usage effectiveness (default 1.0, as CodeCarbon)')
    .option('--output <file>', 'CSV file to append to', 'emissions.csv')
    .option('--project-name <name>', 'project_name column', 'wattformer-track')
    .option('--interval <ms>', 'sampling interval in milliseconds', '1000')
    .option('--sysfs-root <dir>', 'sysfs root for RAPL counters', '/sys')
    .option('--nvidia-smi <path>', 'nvidia-smi command', 'nvidia-smi')
    .option('--no-extra-columns', 'write only CodeCarbon columns')
    .option('--json', 'also print the record and report as JSON on stdout')
    .passThroughOptions()
    .action(async (commandLine: string[], options: TrackOptions) => {
      setExit(await runTrack(commandLine, options, io));
    });

  program.commands.forEach((command) => command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }));
  return program;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. Never calls process.exit. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT_BAD_INPUT;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander already printed its message.
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (error instanceof CarbonEstimatorError) {
      io.stderr(`${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    io.stderr(`carbon-estimator: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
