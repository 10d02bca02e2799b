import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors } from '@wattformer/model/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, requireBuiltBin } from './test-support/tiny-run';
import { LOCK_FILE } from './run-lock';

// `wattformer finetune` interrupted (#13 item 6 for fine-tuning): the real bin in a child process,
// paused with SIGSTOP (so a fast machine cannot finish first), a second run on the same folder
// refused by the run-folder lock, then SIGINT delivered as it continues.
const bin = CLI_BIN;
let work: string;
const tiny = [
  '--d-model',
  '16',
  '--heads',
  '2',
  '--layers',
  '1',
  '--vocab-size',
  '300',
  '--batch',
  '8',
  '--max-length',
  '24',
  '--train-size',
  '48',
  '--test-size',
  '16',
  '--eval-every',
  '100000',
  '--backend',
  'wasm',
];
const metricSteps = (out: string) =>
  readFileSync(join(work, out, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line) as Record<string, number>)
    .filter((m) => 'loss' in m)
    .map((m) => m.step!);
const started = (out: string) => {
  try {
    return metricSteps(out).length >= 1;
  } catch {
    return false;
  }
};

beforeAll(() => {
  requireBuiltBin('cli test');
  work = mkdtempSync(join(tmpdir(), 'wattformer-finetune-interrupt-'));
  const rows = Array.from({ length: 40 }, (_, i) => [
    { text: `a good play, well acted ${i}`, label: 1 },
    { text: `a dull play, badly acted ${i}`, label: 0 },
  ]).flat();
  writeFileSync(join(work, 'reviews.jsonl'), rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('wattformer finetune: interrupting', () => {
  it('SIGINT mid-run stops after the step, scores the test set, writes the folder as of that step and final-metrics.json, releases the lock and exits 130; a second run on the folder exits 2 naming the PID', async () => {
    const child = spawn(process.execPath, [bin, 'finetune', '--data', 'reviews.jsonl', '--out', 'cut', '--steps', '100000', ...tiny], {
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 120_000;
    while (!started('cut')) {
      if (Date.now() > deadline) throw new Error(`finetune interrupt test: expected a first step in metrics.jsonl within 120 s, got output:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGSTOP');
    const second = spawnSync(process.execPath, [bin, 'finetune', '--data', 'reviews.jsonl', '--out', 'cut', '--steps', '5', ...tiny], {
      cwd: work,
      encoding: 'utf8',
    });
    child.kill('SIGINT');
    child.kill('SIGCONT');
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(
      new RegExp(
        `^cli: --out: expected a run folder not in use by another run, got a run in progress: PID ${child.pid}, since .* \\(cut/\\.wattformer\\.lock\\)`,
        'm',
      ),
    );

    const code = await exit;
    expect(code, output).toBe(130);
    expect(output).toMatch(/SIGINT: stopping after the current step, then scoring the test set and writing the folder as of that step/);
    const stoppedAt = Number(/interrupted at step (\d+) of 100000 \(SIGINT\): cut holds the classifier as of that step/.exec(output)?.[1]);
    expect(stoppedAt).toBeGreaterThanOrEqual(1);
    expect(stoppedAt).toBeLessThan(100000);
    // Every step up to the stop is in metrics.jsonl, none after; the test set was scored at that step.
    expect(metricSteps('cut')).toEqual(Array.from({ length: stoppedAt }, (_, i) => i + 1));
    const final = JSON.parse(readFileSync(join(work, 'cut', 'final-metrics.json'), 'utf8')) as {
      steps: number;
      interrupted: string;
      stepsAsked: number;
      test: { examples: number; confusion: number[][] };
    };
    expect(final).toMatchObject({ steps: stoppedAt, interrupted: 'SIGINT', stepsAsked: 100000 });
    expect(final.test.confusion.flat().reduce((a, b) => a + b, 0)).toBe(16);
    // The folder is complete: the GPT2ForSequenceClassification weights, config and tokenizer.
    const weights = decodeSafetensors(readFileSync(join(work, 'cut', 'model.safetensors'))).tensors;
    expect(weights.get('score.weight')!.shape).toEqual([2, 16]);
    expect(JSON.parse(readFileSync(join(work, 'cut', 'config.json'), 'utf8'))).toMatchObject({ architectures: ['GPT2ForSequenceClassification'] });
    expect(existsSync(join(work, 'cut', 'tokenizer.json'))).toBe(true);
    expect(existsSync(join(work, 'cut', LOCK_FILE))).toBe(false); // released

    // The lock is free again: a new run on the folder works.
    const again = spawnSync(process.execPath, [bin, 'finetune', '--data', 'reviews.jsonl', '--out', 'cut', '--steps', '2', ...tiny], {
      cwd: work,
      encoding: 'utf8',
    });
    expect(again.status, again.stderr).toBe(0);
  }, 300_000);
});
