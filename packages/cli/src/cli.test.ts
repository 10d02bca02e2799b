import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, requireBuiltBin, tinyRunFlags } from './test-support/tiny-run';

// The built bin, as users run it (turbo builds before tests).
const bin = CLI_BIN;
let work: string;
const small = tinyRunFlags({ evalEvery: 3, checkpointEvery: 3 });
const wattformer = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
const readMetrics = (run: string) =>
  readFileSync(join(work, run, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, number>);

beforeAll(() => {
  requireBuiltBin('cli test');
  work = mkdtempSync(join(tmpdir(), 'wattformer-cli-'));
  const text = 'To be, or not to be, that is the question: whether tis nobler in the mind to suffer. '.repeat(40);
  writeFileSync(join(work, 'text.txt'), text);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('wattformer train / generate', () => {
  it('trains, writes metrics.jsonl, checkpoints and an HTML report, then resumes and generates', () => {
    const first = wattformer('train', '--data', 'text.txt', '--out', 'run', '--steps', '6', '--workers', '1', '--tokenizer', 'char', ...small);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/trained to step 6/);
    expect(first.stdout).toMatch(/carbon: .* g CO2e \(.*–.* g\)/);
    const metrics = readFileSync(join(work, 'run/metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, number>);
    const steps = metrics.filter((m) => 'loss' in m);
    expect(steps.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(metrics.filter((m) => 'valLoss' in m).map((m) => m.step)).toEqual([3, 6]);
    expect(readdirSync(join(work, 'run/training_state/checkpoints'))).toEqual(['step-000003', 'step-000006']);
    const report = readFileSync(join(work, 'run/report.html'), 'utf8');
    expect(report).toMatch(/<svg[^>]*aria-label="loss curve"/);
    expect(report).toMatch(/<h2>Sample<\/h2>/);
    expect(report).toMatch(/g CO2e/);
    expect(existsSync(join(work, 'run/carbon-report.html'))).toBe(true);
    expect(readFileSync(join(work, 'run/emissions.csv'), 'utf8')).toMatch(/^timestamp,project_name/);

    const resumed = wattformer('train', '--data', 'text.txt', '--out', 'run', '--steps', '9', '--resume', '--workers', '1', ...small);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/resumed from .*step-000006 \(step 6\)/);
    const after = readFileSync(join(work, 'run/metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, number>);
    expect(after.filter((m) => 'loss' in m).map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);

    // Character-level: five new tokens are five characters.
    const generated = execFileSync(process.execPath, [bin, 'generate', '--model', 'run', '--prompt', 'To be', '--max-new-tokens', '5', '--temperature', '0'], {
      cwd: work,
      encoding: 'utf8',
    });
    expect(generated).toMatch(/^To be.{5}\n$/s);
  }, 120_000);

  it('trains with 2 workers like with 1, checkpoints, and resumes (with 2 workers, then with 1)', () => {
    const two = wattformer('train', '--data', 'text.txt', '--out', 'run-2w', '--steps', '6', '--workers', '2', ...small);
    expect(two.status, two.stderr).toBe(0);
    expect(two.stdout).toMatch(/2 workers \(data-parallel\)/);
    expect(two.stdout).toMatch(/trained to step 6/);
    expect(readdirSync(join(work, 'run-2w/training_state/checkpoints'))).toEqual(['step-000003', 'step-000006']);
    const one = wattformer('train', '--data', 'text.txt', '--out', 'run-1w', '--steps', '6', '--workers', '1', ...small);
    expect(one.status, one.stderr).toBe(0);
    // Same batches, same schedule, same optimizer: only the order of the gradient sums differs.
    const [twoSteps, oneSteps] = [readMetrics('run-2w'), readMetrics('run-1w')].map((m) => m.filter((x) => 'loss' in x));
    expect(twoSteps!.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
    twoSteps!.forEach((m, i) => {
      expect(Math.abs(m.loss! - oneSteps![i]!.loss!)).toBeLessThan(1e-4);
      expect(Math.abs(m.gradNorm! - oneSteps![i]!.gradNorm!)).toBeLessThan(1e-3);
    });

    const resumed = wattformer('train', '--data', 'text.txt', '--out', 'run-2w', '--steps', '9', '--resume', '--workers', '2', ...small);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/resumed from .*step-000006 \(step 6\)/);
    // The optimizer state lives in the main thread only: a checkpoint resumes with any worker count.
    const single = wattformer('train', '--data', 'text.txt', '--out', 'run-2w', '--steps', '10', '--resume', '--workers', '1', ...small);
    expect(single.status, single.stderr).toBe(0);
    expect(single.stdout).toMatch(/resumed from .*step-000009 \(step 9\)/);
    const steps = readMetrics('run-2w').filter((m) => 'loss' in m);
    expect(steps.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(steps.every((m) => Number.isFinite(m.loss))).toBe(true);
    expect(readdirSync(join(work, 'run-2w/training_state/checkpoints'))).toEqual(['step-000006', 'step-000009', 'step-000010']);
  }, 120_000);

  it('refuses bad input with a clear message and exit code 2', () => {
    const cases: [string[], RegExp][] = [
      [['train', '--steps', '-1'], /^cli: --steps: expected a positive integer, got -1/],
      [['train', '--data', 'text.txt', '--backend', 'tpu', '--out', 'x'], /^cli: --backend: expected one of wasm, cpu, webgpu, auto, got 'tpu'\nhelp:/],
      [['train', '--d-model', '10', '--heads', '4'], /^cli: --d-model: expected a multiple of --heads \(4\), got 10\nhelp:/],
      [['train', '--workers', '0'], /^cli: --workers: expected a positive integer, got 0/],
      [['train', '--workers', '1.5'], /^cli: --workers: expected a positive integer, got 1.5/],
      [
        ['train', '--workers', '5', '--batch', '4'],
        /^cli: --workers: expected at most --batch \(4\): each worker takes at least one row of the batch, got 5\nhelp: use fewer --workers or a larger --batch/,
      ],
      [
        ['train', '--data', 'missing.txt'],
        /^cli: --data: expected a text file, a folder of .txt\/.md\/.jsonl files, or one of shakespeare, chinese-poetry, imdb, got 'missing.txt' \(no such file or folder\)\nhelp:/,
      ],
      [
        ['train', '--tokenizer', 'wordpiece'],
        /^cli: --tokenizer: expected char, bpe\[:VOCAB\], r50k_base, cl100k_base, o200k_base or the path of a tokenizer.json, got 'wordpiece'\nhelp:/,
      ],
      [
        ['train', '--tokenizer', 'bpe:12'],
        /^cli: --tokenizer: expected bpe:VOCAB with VOCAB an integer from 257 \(256 bytes \+ <\|endoftext\|>\) to 1000000, got 'bpe:12'\nhelp: e.g. --tokenizer bpe:4096/,
      ],
      [
        ['train', '--data', 'text.txt', '--tokenizer', 'missing/tokenizer.json', '--out', 'x'],
        /^cli: --tokenizer: expected .*got 'missing\/tokenizer.json' \(no such file\)\nhelp:/,
      ],
      [
        ['generate', '--model', 'nowhere'],
        /^cli: --model: expected a model folder \(config.json, model.safetensors, tokenizer.json\), got 'nowhere' \(no such folder\)\nhelp:/,
      ],
      [['generate', '--model', 'run', '--top-p', '2'], /^cli: --top-p: expected in \(0, 1\], got 2/],
    ];
    for (const [args, message] of cases) {
      const result = wattformer(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  }, 60_000); // one process per case
});
