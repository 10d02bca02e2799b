/**
 * Ctrl-C and SIGTERM during `wattformer train` (#13 item 6): the first signal aborts the run's
 * `AbortSignal`, so `trainLoop` finishes (or abandons) the current step and returns; the command
 * then writes a checkpoint and the report, prints the command that resumes, and exits 130.
 * `wattformer finetune` uses the same handler: it stops after the current step, scores the test
 * set, writes the output folder as of that step and final-metrics.json, and exits 130. The
 * handlers are removed at once, so a second Ctrl-C gets the default action and ends the process
 * immediately, even mid-step or mid-save (checkpoints are written to a temporary folder and
 * renamed, so the previous one stays intact).
 */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export interface Interrupt {
  readonly signal: AbortSignal;
  /** The signal received, if any. */
  readonly received: string | undefined;
  dispose(): void;
}

export function onInterrupt(log: (line: string) => void, then = 'saving a checkpoint and the report'): Interrupt {
  const controller = new AbortController();
  let received: string | undefined;
  const dispose = () => SIGNALS.forEach((name) => process.off(name, handle));
  const handle = (name: NodeJS.Signals) => {
    received = name;
    dispose();
    log(`\n${name}: stopping after the current step, then ${then} (press Ctrl-C again to quit at once)`);
    controller.abort(name);
  };
  SIGNALS.forEach((name) => process.on(name, handle));
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose,
  };
}

/** The command line that continues this run: the same arguments, with `--resume`. */
export function resumeCommand(argv: readonly string[] = process.argv.slice(2)): string {
  const args = argv.includes('--resume') ? [...argv] : [...argv, '--resume'];
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  return ['wattformer', ...args].map(quote).join(' ');
}
