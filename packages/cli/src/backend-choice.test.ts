import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, requireBuiltBin } from './test-support/tiny-run';

// The built bin, as users run it. WebGPU runs on SwiftShader (Debian chromium's CPU Vulkan driver).
const bin = CLI_BIN;
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const small = [
  '--tokenizer',
  'char',
  '--layers',
  '1',
  '--d-model',
  '16',
  '--heads',
  '2',
  '--context',
  '16',
  '--batch',
  '2',
  '--eval-every',
  '2',
  '--checkpoint-every',
  '2',
  '--steps',
  '2',
];
let work: string;

function wattformer(env: Record<string, string | undefined>, ...args: string[]) {
  const base = { ...process.env, VK_ICD_FILENAMES: undefined, LD_LIBRARY_PATH: undefined };
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work, env: { ...base, ...env } });
}

beforeAll(() => {
  requireBuiltBin('cli test');
  // The optional WebGPU package is a workspace sibling here; its build must exist.
  createRequire(import.meta.url).resolve('@wattformer/backend-webgpu');
  work = mkdtempSync(join(tmpdir(), 'wattformer-backend-'));
  writeFileSync(join(work, 'text.txt'), 'To be, or not to be, that is the question. '.repeat(30));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('wattformer train --backend', () => {
  it('trains on webgpu (one worker by default) when an adapter exists', () => {
    expect(existsSync(SWIFTSHADER_ICD), `SwiftShader ICD at ${SWIFTSHADER_ICD} (apt-get install chromium)`).toBe(true);
    const run = wattformer(
      { VK_ICD_FILENAMES: SWIFTSHADER_ICD, LD_LIBRARY_PATH: '/usr/lib/chromium' },
      'train',
      '--data',
      'text.txt',
      '--out',
      'gpu',
      '--backend',
      'webgpu',
      ...small,
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/2 steps on webgpu, 1 worker/);
    const losses = readFileSync(join(work, 'gpu/metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { loss?: number })
      .filter((m) => m.loss !== undefined);
    expect(losses).toHaveLength(2);
    expect(losses.every((m) => Number.isFinite(m.loss))).toBe(true);
  }, 60_000);

  it('fine-tunes that run on webgpu (evaluation reads asynchronously)', () => {
    // Distinct texts built only from characters the run's tokenizer saw: i's bits pick the words.
    const words = (i: number) => ['that', 'is', 'the', 'question', 'or'].filter((_, bit) => (i >> bit) & 1).join(' ');
    const rows = Array.from({ length: 16 }, (_, i) => [
      { text: `to be ${words(i)}`, label: 1 },
      { text: `not to be ${words(i)}`, label: 0 },
    ]).flat();
    writeFileSync(join(work, 'rows.jsonl'), rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
    const run = wattformer(
      { VK_ICD_FILENAMES: SWIFTSHADER_ICD, LD_LIBRARY_PATH: '/usr/lib/chromium' },
      'finetune',
      '--model',
      'gpu',
      '--data',
      'rows.jsonl',
      '--out',
      'gpu-ft',
      '--backend',
      'webgpu',
      '--steps',
      '2',
      '--batch',
      '4',
      '--eval-every',
      '2',
      '--max-length',
      '16',
      '--train-size',
      '16',
      '--test-size',
      '8',
    );
    expect(run.status, run.stderr).toBe(0);
    const final = JSON.parse(readFileSync(join(work, 'gpu-ft/final-metrics.json'), 'utf8')) as {
      steps: number;
      test: { examples: number; accuracy: number; confusion: number[][] };
    };
    expect(final.steps).toBe(2);
    expect(final.test.examples).toBe(8);
    // The confusion matrix covers every test example, and accuracy is its diagonal share.
    expect(final.test.confusion.flat().reduce((a, b) => a + b)).toBe(8);
    expect(final.test.accuracy).toBeCloseTo((final.test.confusion[0]![0]! + final.test.confusion[1]![1]!) / 8, 10);
  }, 60_000);

  it('auto falls back to wasm when there is no adapter, and says why', () => {
    const run = wattformer(
      { VK_ICD_FILENAMES: '/nonexistent/icd.json' },
      'train',
      '--data',
      'text.txt',
      '--out',
      'auto',
      '--backend',
      'auto',
      '--workers',
      '1',
      ...small,
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/setBackend\('auto'\): using 'wasm' \(fell back: webgpu: /);
    expect(run.stdout).toMatch(/2 steps on wasm, 1 worker/);
  });

  it('refuses unknown backends and more than one worker on webgpu, with help', () => {
    const unknown = wattformer({}, 'train', '--data', 'text.txt', '--out', 'x', '--backend', 'tpu', ...small);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/cli: --backend: expected one of wasm, cpu, webgpu, auto, got 'tpu'/);
    const workers = wattformer(
      { VK_ICD_FILENAMES: SWIFTSHADER_ICD, LD_LIBRARY_PATH: '/usr/lib/chromium' },
      'train',
      '--data',
      'text.txt',
      '--out',
      'y',
      '--backend',
      'webgpu',
      '--workers',
      '2',
      ...small,
    );
    expect(workers.status).toBe(2);
    expect(workers.stderr).toMatch(/^cli: --workers: expected 1 on webgpu/m);
    expect(workers.stderr).toMatch(/help: /);
  });
});
