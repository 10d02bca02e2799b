import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, requireBuiltBin } from './test-support/tiny-run';

// #13 item 6: --config uses the flag names (camelCase) and lists unknown keys; every bad value
// exits 2 with `cli: <flag>: expected <x>, got <y>` + `help:`; --version. The real bin.
const bin = CLI_BIN;
let work: string;
const wattformer = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });

beforeAll(() => {
  requireBuiltBin('cli test');
  work = mkdtempSync(join(tmpdir(), 'wattformer-config-'));
  writeFileSync(join(work, 'text.txt'), 'To be, or not to be, that is the question: whether tis nobler in the mind to suffer. '.repeat(40));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('wattformer --config and flag errors', () => {
  it('reads a config written with the flag names in camelCase; flags on the command line win', () => {
    const config = {
      data: 'text.txt',
      tokenizer: 'char',
      steps: 4,
      layers: 1,
      dModel: 16,
      heads: 2,
      context: 16,
      batch: 4,
      evalEvery: 2,
      checkpointEvery: 2,
      workers: 1,
      lr: '2e-3',
      backend: 'wasm',
    };
    writeFileSync(join(work, 'run.json'), JSON.stringify(config));
    const run = wattformer('train', '--config', 'run.json', '--out', 'configured', '--steps', '3');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/GPT 1×16 \(.* parameters\), context 16, batch 4, 3 steps on wasm, 1 worker/);
    const steps = readFileSync(join(work, 'configured', 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"loss"'));
    expect(steps).toHaveLength(3);
    expect(JSON.parse(steps[2]!).learningRate).toBeGreaterThan(0);
  }, 120_000);

  it('lists every unknown key at once, with the closest flag, and refuses what is not an object of settings', () => {
    writeFileSync(join(work, 'typos.json'), JSON.stringify({ stepz: 3, batchSize: 4, dModel: 16, __proto__x: 1 }));
    const typos = wattformer('train', '--config', 'typos.json');
    expect(typos.status).toBe(2);
    expect(typos.stderr).toMatch(
      /^cli: --config: expected keys among the flags of 'wattformer train' in camelCase: data, .*dModel.*, got unknown keys 'stepz' \(did you mean 'steps'\?\), 'batchSize', '__proto__x'\nhelp: write a flag's name in camelCase/,
    );
    for (const [content, got] of [
      ['[1, 2]', 'an array'],
      ['"steps"', 'string'],
      ['{"steps": 3,', 'JSON'],
      ['{"steps": {"nested": true}}', '{"nested":true}'],
    ] as const) {
      writeFileSync(join(work, 'bad.json'), content);
      const result = wattformer('train', '--config', 'bad.json');
      expect(result.status, content).toBe(2);
      expect(result.stderr, content).toMatch(/^cli: --(config|steps): expected .*, got /);
      expect(result.stderr, content).toContain(got);
    }
    expect(wattformer('train', '--config', 'missing.json').stderr).toMatch(/^cli: --config: expected a JSON file, got 'missing.json' \(no such file\)\nhelp:/);
    writeFileSync(join(work, 'value.json'), JSON.stringify({ steps: 'many' }));
    expect(wattformer('train', '--config', 'value.json').stderr).toMatch(/^cli: --steps: expected a number, got 'many'\nhelp:/);
  }, 120_000);

  it.each([
    [['train', '--steps', 'ten'], /^cli: --steps: expected a number, got 'ten'\nhelp: see wattformer train --help/],
    [['train', '--lr', ''], /^cli: --lr: expected a number, got ''\nhelp:/],
    [['train', '--stepz', '3'], /^cli: --stepz: expected one of the options of this command, got an unknown option\nhelp: did you mean --steps\?/],
    [['train', '--steps'], /^cli: --steps: expected a value after the flag, got none\nhelp:/],
    [['generate'], /^cli: --model: expected a value \(this option is required\), got none\nhelp:/],
    [['generate', '--model', 'm', '--temperature', 'hot'], /^cli: --temperature: expected a number, got 'hot'\nhelp:/],
    [['train', '--weight-decay', '-1'], /^cli: --weight-decay: expected a number ≥ 0, got -1/],
    [['train', '--context', '0'], /^cli: --context: expected a positive integer, got 0/],
    [['frobnicate'], /^cli: wattformer: expected a command: train, generate or finetune, got 'frobnicate'\nhelp:/],
  ])(
    '%j exits 2 with a cli: <flag>: message',
    (args, message) => {
      const result = wattformer(...args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/^error: /m);
    },
    60_000,
  );

  it('--version prints the package version and exits 0; --help exits 0', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = wattformer('--version');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(version);
    const help = wattformer('train', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--config <file>/);
    const bare = wattformer(); // no command: the usage, as commander gives it
    expect(bare.stderr).toMatch(/^Usage: wattformer \[options\] \[command\]/);
    expect(bare.stderr).toMatch(/\btrain\b[\s\S]*\bgenerate\b/);
  });
});
