/**
 * Training progress (#13 item 6): on a terminal, a cli-progress bar; without one (stdout piped
 * to a file or a CI log), a plain line on the first step, every `intervalSeconds` (5 by default,
 * `WATTFORMER_PROGRESS_SECONDS` overrides) and on the last step:
 *   `step 120/2000 | loss 2.345 | 1,234 tok/s | ETA 3m05s | 0.123 g CO2e`
 * The ETA is the remaining steps at this run's own pace (resumed runs count from their start).
 */
import cliProgress from 'cli-progress';
import { formatDuration } from './duration';

export interface ProgressUpdate {
  readonly step: number;
  readonly loss: number;
  /** Tokens and seconds since this run started. */
  readonly tokens: number;
  readonly seconds: number;
}

export interface Progress {
  update(update: ProgressUpdate): void;
  /** The latest CO2e so far, as text (e.g. `0.123 g`). */
  carbon(text: string): void;
  /** The run's last step changed (a time budget fitted the schedule). */
  setTotal(total: number): void;
  stop(): void;
}

export interface ProgressOptions {
  readonly total: number;
  readonly startStep: number;
  readonly tty?: boolean;
  readonly intervalSeconds?: number;
  readonly log?: (line: string) => void;
  /**
   * A time budget (`--max-seconds`): until `setTotal` fits the last step to it, `total` is only a
   * cap, so lines show the step alone and the ETA is the budget left.
   */
  readonly budgetSeconds?: number;
}

/**
 * One progress line. `total` undefined: the last step is not known yet (a time budget not yet
 * fitted), so the step is shown alone and `budgetLeft` (seconds) is the ETA.
 */
export function trainProgressLine(
  total: number | undefined,
  startStep: number,
  { step, loss, tokens, seconds }: ProgressUpdate,
  co2: string,
  budgetLeft?: number,
): string {
  const done = step - startStep;
  const eta =
    total === undefined
      ? budgetLeft !== undefined
        ? formatDuration(Math.max(0, budgetLeft))
        : '-'
      : done > 0
        ? formatDuration(((total - step) * seconds) / done)
        : '-';
  const speed = seconds > 0 ? Math.round(tokens / seconds).toLocaleString('en-US') : '-';
  return `step ${total === undefined ? step : `${step}/${total}`} | loss ${loss.toFixed(3)} | ${speed} tok/s | ETA ${eta} | ${co2} CO2e`;
}

export function createProgress(options: ProgressOptions): Progress {
  const { startStep } = options;
  let total = options.total;
  let co2 = '-';
  if (options.tty ?? Boolean(process.stdout.isTTY)) {
    const bar = new cliProgress.SingleBar(
      { format: 'train |{bar}| step {value}/{total} | loss {loss} | {speed} tok/s | ETA {eta} | {co2} CO2e', hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, startStep, { loss: '-', speed: '-', eta: '-', co2 });
    return {
      update(u) {
        const done = u.step - startStep;
        bar.update(u.step, {
          loss: u.loss.toFixed(3),
          speed: Math.round(u.tokens / u.seconds).toLocaleString('en-US'),
          eta: formatDuration(((total - u.step) * u.seconds) / done),
          co2,
        });
      },
      carbon: (text) => void (co2 = text),
      setTotal: (value) => ((total = value), bar.setTotal(value)),
      stop: () => bar.stop(),
    };
  }
  const log = options.log ?? ((line: string) => console.log(line));
  const interval = options.intervalSeconds ?? (Number(process.env.WATTFORMER_PROGRESS_SECONDS) || 5);
  let printedAt = -Infinity;
  let known = options.budgetSeconds === undefined;
  return {
    update(u) {
      if (u.step === startStep + 1 || u.step === total || u.seconds - printedAt >= interval) {
        printedAt = u.seconds;
        log(
          trainProgressLine(known ? total : undefined, startStep, u, co2, options.budgetSeconds === undefined ? undefined : options.budgetSeconds - u.seconds),
        );
      }
    },
    carbon: (text) => void (co2 = text),
    setTotal: (value) => void ((total = value), (known = true)),
    stop: () => undefined,
  };
}
