import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, requireBuiltBin, tinyRunFlags } from './test-support/tiny-run';
import { resumeCommand } from './interrupt';
import { acquireRunLock, LOCK_FILE } from './run-lock';

// The real bin in child processes: Ctrl-C (SIGINT from the test), a second run on the same
// folder, a kill between checkpoints, then --resume. Progress lines every 0.2 s (stdout is a pipe).
const bin = CLI_BIN;
let work: string;
const small = [...tinyRunFlags({ evalEvery: 25 }), '--workers', '1', '--tokenizer', 'char', '--seed', '3'];
const env = { ...process.env, WATTFORMER_PROGRESS_SECONDS: '0.2' };
const wattformer = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work, env });

interface Running {
  child: ChildProcess;
  stdout: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(...args: string[]): Running {
  const child = spawn(process.execPath, [bin, ...args], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, exit };
}

async function until(what: string, predicate: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`interrupt test: expected ${what} within ${ms / 1000} s, got nothing`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const metricsOf = (run: string) =>
  readFileSync(join(work, run, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, number>);
const trainSteps = (run: string) =>
  metricsOf(run)
    .filter((m) => 'loss' in m)
    .map((m) => m.step!);
/** While a run writes it, the file's last line may be partial: then "not yet". */
const reached = (run: string, step: number) => {
  try {
    return trainSteps(run).some((s) => s >= step);
  } catch {
    return false;
  }
};
const lastLoss = (run: string) =>
  metricsOf(run)
    .filter((m) => 'loss' in m)
    .at(-1)!;
const stepLine = (text: string) => Math.max(0, ...[...text.matchAll(/^step (\d+)\//gm)].map((m) => Number(m[1])));

beforeAll(() => {
  requireBuiltBin('cli test');
  work = mkdtempSync(join(tmpdir(), 'wattformer-interrupt-'));
  writeFileSync(join(work, 'text.txt'), 'To be, or not to be, that is the question: whether tis nobler in the mind to suffer. '.repeat(40));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('wattformer train: interrupting and resuming', () => {
  it('#13 item 6: SIGINT mid-run checkpoints, reports, prints the resume command and exits 130; --resume reaches the same final loss as an uninterrupted run; #12: a second run on the folder exits 2 naming the PID', async () => {
    const steps = ['--steps', '600', '--checkpoint-every', '1000'];
    const reference = wattformer('train', '--data', 'text.txt', '--out', 'whole', ...steps, ...small);
    expect(reference.status, reference.stderr).toBe(0);

    const run = start('train', '--data', 'text.txt', '--out', 'cut', ...steps, ...small);
    await until('a first progress line', () => stepLine(run.stdout()) >= 1);
    expect(run.stdout()).toMatch(/^step 1\/600 \| loss \d+\.\d{3} \| [\d,]+ tok\/s \| ETA (\d+s|\d+m\d\ds) \| - CO2e$/m);

    // #12 (two runs on one --out): the second is refused while the first holds the folder (paused
    // meanwhile with SIGSTOP, so it cannot finish first on a fast machine).
    run.child.kill('SIGSTOP');
    const second = wattformer('train', '--data', 'text.txt', '--out', 'cut', ...steps, ...small);
    // Ctrl-C while it is still paused: delivered the moment it continues, so the interrupt lands
    // mid-run however fast this machine is (waiting for a step number raced the run's end).
    run.child.kill('SIGINT');
    run.child.kill('SIGCONT');
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(
      new RegExp(
        `^cli: --out: expected a run folder not in use by another run, got a run in progress: PID ${run.child.pid}, since .* \\(cut/\\.wattformer\\.lock\\)\nhelp: wait for it or stop it \\(kill -INT ${run.child.pid}\\)`,
        'm',
      ),
    );

    const { code } = await run.exit;
    const output = run.stdout();
    expect(code, output).toBe(130);
    expect(output).toMatch(/SIGINT: stopping after the current step/);
    const stoppedAt = Number(/trained to step (\d+) \(stopped by SIGINT; checkpoint saved\)/.exec(output)?.[1]);
    expect(stoppedAt).toBeGreaterThanOrEqual(1);
    expect(stoppedAt).toBeLessThan(600);
    expect(existsSync(join(work, 'cut', 'report.html'))).toBe(true);
    expect(existsSync(join(work, 'cut', LOCK_FILE))).toBe(false); // released
    expect(trainSteps('cut')).toEqual(Array.from({ length: stoppedAt }, (_, i) => i + 1));
    const command = /to continue:\n {2}(wattformer train .*--resume)\n/.exec(output)?.[1];
    expect(command).toBe(resumeCommand(['train', '--data', 'text.txt', '--out', 'cut', ...steps, ...small]));

    const resumed = wattformer(...command!.split(' ').slice(1));
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`resumed from .*step-0*${stoppedAt} \\(step ${stoppedAt}\\)`));
    expect(trainSteps('cut')).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    const [a, b] = [lastLoss('whole'), lastLoss('cut')];
    expect(b.step).toBe(600);
    expect(Math.abs(a.loss! - b.loss!)).toBeLessThanOrEqual(1e-6);
  }, 300_000);

  it('#12: a kill between checkpoints, with a cut-off last line in metrics.jsonl, resumes without repeating a step', async () => {
    const run = start('train', '--data', 'text.txt', '--out', 'killed', '--steps', '200', '--checkpoint-every', '5', ...small);
    await until('step 8 in metrics.jsonl', () => existsSync(join(work, 'killed', 'metrics.jsonl')) && reached('killed', 8));
    run.child.kill('SIGKILL');
    await run.exit;
    appendFileSync(join(work, 'killed', 'metrics.jsonl'), '{"step":99,"lo'); // as a disk-full or a kill mid-write leaves it
    expect(existsSync(join(work, 'killed', LOCK_FILE))).toBe(true); // the killed run could not release it

    // Resume to the same 200 steps: on a fast machine the kill can land after several checkpoints.
    const resumed = wattformer('train', '--data', 'text.txt', '--out', 'killed', '--steps', '200', '--checkpoint-every', '5', '--resume', ...small);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/taking over the stale lock of PID \d+ \(no such process/);
    expect(resumed.stdout).toMatch(/metrics\.jsonl: dropped \d+ line\(s\) after step \d+ or cut short/);
    const checkpoint = Number(/resumed from .* \(step (\d+)\)/.exec(resumed.stdout)?.[1]);
    expect(checkpoint % 5).toBe(0);
    expect(trainSteps('killed')).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(readFileSync(join(work, 'killed', 'metrics.jsonl'), 'utf8')).toMatch(/\}\n$/);
  }, 300_000);

  it('#12: the lock names a live holder and takes over a dead one', async () => {
    const folder = mkdtempSync(join(work, 'lock-'));
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(folder, LOCK_FILE), JSON.stringify({ pid: sleeper.pid, host: hostname(), started: 'earlier' }));
      expect(() => acquireRunLock(folder, () => undefined)).toThrow(new RegExp(`got a run in progress: PID ${sleeper.pid}, since earlier`));
    } finally {
      sleeper.kill();
    }
    await new Promise((resolve) => sleeper.on('exit', resolve));
    const lines: string[] = [];
    const lock = acquireRunLock(folder, (line) => lines.push(line));
    expect(lines).toEqual([expect.stringMatching(new RegExp(`taking over the stale lock of PID ${sleeper.pid} \\(no such process`))]);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });
});

describe('resumeCommand', () => {
  it('repeats the arguments with --resume, quoting what a shell would split', () => {
    expect(resumeCommand(['train', '--data', 'my text.txt', '--steps', '10'])).toBe("wattformer train --data 'my text.txt' --steps 10 --resume");
    expect(resumeCommand(['train', '--resume', '--data', "it's"])).toBe("wattformer train --resume --data 'it'\\''s'");
  });
});
