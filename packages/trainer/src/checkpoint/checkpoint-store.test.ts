import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setBackend, tensor, type Tensor } from '@wattformer/core';
import { gptLoss, initGptParameters, type GptConfig } from '@wattformer/model';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TokenBatches } from '../data/token-batches';
import { trainLoop } from '../loop/train-loop';
import { createOptimizer } from '../optim/optimizer';
import { listCheckpoints, restoreLatestCheckpoint, saveTrainingCheckpoint } from './checkpoint-store';

const config: GptConfig = { vocabSize: 16, contextLength: 8, modelDim: 16, layers: 1, heads: 2, mlpDim: 32, tiedEmbeddings: true };
const stream = Int32Array.from({ length: 300 }, (_, i) => (i * 5 + (i >> 3)) % 16);
const packageDir = new URL('../../', import.meta.url).pathname;
let dir: string;

beforeAll(async () => {
  await setBackend('cpu');
});
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function run(seed: number, batchSeed: number) {
  const parameters = initGptParameters(config, seed);
  const model = {
    parameters,
    config,
    loss: ({ tokens, targets }: { tokens: Int32Array; targets: Int32Array }) =>
      gptLoss(parameters, config, tensor(tokens, [2, 8], 'i32'), tensor(targets, [2, 8], 'i32')),
  };
  const optimizer = createOptimizer(parameters, { kind: 'adamw', learningRate: 1e-2 });
  const batches = new TokenBatches(stream, { batchSize: 2, contextLength: 8, seed: batchSeed });
  return { model, optimizer, batches };
}

const values = (parameters: Map<string, Tensor>) => [...parameters.values()].map((p) => Array.from(p.dataSync()));

describe('training checkpoints', () => {
  it('resume continues exactly as the uninterrupted run (losses and parameters bit for bit)', async () => {
    dir = mkdtempSync(join(packageDir, '.tmp-checkpoints-'));
    const a = run(1, 2);
    const schedule = { kind: 'cosine', learningRate: 1e-2, warmupSteps: 2, totalSteps: 6 } as const;
    const whole = await trainLoop({
      ...a,
      steps: 6,
      schedule,
      onEvent: async (e) => {
        if (e.type === 'step' && e.step === 3) await saveTrainingCheckpoint(dir, a.model, a.optimizer, { step: 3, batches: a.batches.state() });
      },
    });
    const b = run(99, 77); // another init and data order: everything must come from the checkpoint
    const restored = await restoreLatestCheckpoint(dir, b.model, b.optimizer);
    expect(restored?.state.step).toBe(3);
    b.batches.restore(restored!.state.batches);
    const rest = await trainLoop({ ...b, steps: 6, startStep: 3, schedule });
    expect(rest.losses).toEqual(whole.losses.slice(3));
    expect(values(b.model.parameters)).toEqual(values(a.model.parameters));
    expect(b.optimizer.step).toBe(6);
  });

  it('keeps the last N and skips a checkpoint whose files fail their checksums', async () => {
    dir = mkdtempSync(join(packageDir, '.tmp-checkpoints-'));
    const a = run(1, 2);
    for (let step = 1; step <= 4; step++) {
      await trainLoop({ ...a, steps: step, startStep: step - 1 });
      await saveTrainingCheckpoint(dir, a.model, a.optimizer, { step, batches: a.batches.state() }, { keepLast: 2 });
    }
    expect(await listCheckpoints(dir)).toEqual([3, 4]);
    const file = join(dir, 'step-000004', 'optimizer.safetensors');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(file, bytes);
    const b = run(5, 5);
    const restored = await restoreLatestCheckpoint(dir, b.model, b.optimizer);
    expect(restored?.state.step).toBe(3);
  });

  it('a process killed (SIGKILL) in the middle of a save leaves the previous checkpoint usable', async () => {
    dir = mkdtempSync(join(packageDir, '.tmp-checkpoints-'));
    const marker = join(dir, 'killed-mid-save');
    const script = join(packageDir, `.tmp-kill-${process.pid}.mjs`);
    writeFileSync(
      script,
      `import { tensor } from '@wattformer/core';
import { gptLoss, initGptParameters } from '@wattformer/model';
import { createOptimizer, saveTrainingCheckpoint, TokenBatches, trainLoop } from '@wattformer/trainer/node';
import { writeFileSync } from 'node:fs';
const config = ${JSON.stringify(config)};
const parameters = initGptParameters(config, 1);
const model = { parameters, config, loss: ({ tokens, targets }) => gptLoss(parameters, config, tensor(tokens, [2, 8], 'i32'), tensor(targets, [2, 8], 'i32')) };
const optimizer = createOptimizer(parameters, { kind: 'adamw', learningRate: 1e-2 });
const batches = new TokenBatches(Int32Array.from(${JSON.stringify(Array.from(stream))}), { batchSize: 2, contextLength: 8, seed: 2 });
await trainLoop({ model, optimizer, batches, steps: 1 });
await saveTrainingCheckpoint(${JSON.stringify(dir)}, model, optimizer, { step: 1, batches: batches.state() });
await trainLoop({ model, optimizer, batches, steps: 2, startStep: 1 });
await saveTrainingCheckpoint(${JSON.stringify(dir)}, model, optimizer, { step: 2, batches: batches.state() }, {
  onStage: async (stage) => {
    if (stage === 'optimizer') { writeFileSync(${JSON.stringify(marker)}, stage); await new Promise(() => setInterval(() => {}, 1000)); }
  },
});
`,
    );
    try {
      const child = spawn(process.execPath, [script], { stdio: 'ignore' });
      const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      const deadline = Date.now() + 60_000;
      while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(marker)).toBe(true);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
    } finally {
      rmSync(script, { force: true });
    }
    expect(readdirSync(dir).some((name) => name.startsWith('.tmp-step-000002'))).toBe(true); // the half-written save
    expect(await listCheckpoints(dir)).toEqual([1]);
    const b = run(9, 9);
    const restored = await restoreLatestCheckpoint(dir, b.model, b.optimizer);
    expect(restored?.state.step).toBe(1);
    expect(b.optimizer.step).toBe(1);
    expect(readdirSync(dir).filter((name) => name.startsWith('.tmp-'))).toEqual([]); // cleaned up
  }, 90_000);

  it('a full disk mid-save (a write failing with EFBIG under ulimit -f) keeps the previous checkpoint and resumes from it', async () => {
    dir = mkdtempSync(join(packageDir, '.tmp-checkpoints-'));
    const a = run(1, 2);
    await trainLoop({ model: a.model, optimizer: a.optimizer, batches: a.batches, steps: 1 });
    await saveTrainingCheckpoint(dir, a.model, a.optimizer, { step: 1, batches: a.batches.state() });
    const saved = values(a.model.parameters);
    const modelBytes = readFileSync(join(dir, 'step-000001', 'model.safetensors')).length;
    const script = join(packageDir, `.tmp-full-${process.pid}.mjs`);
    const report = join(dir, 'save-error');
    writeFileSync(
      script,
      `import { initGptParameters } from '@wattformer/model';
import { createOptimizer, saveTrainingCheckpoint } from '@wattformer/trainer/node';
import { writeFileSync } from 'node:fs';
const config = ${JSON.stringify(config)};
const parameters = initGptParameters(config, 5);
const optimizer = createOptimizer(parameters, { kind: 'adamw', learningRate: 1e-2 });
try {
  await saveTrainingCheckpoint(${JSON.stringify(dir)}, { parameters, config }, optimizer, { step: 2, batches: { rng: 1, cursor: 0 } });
  writeFileSync(${JSON.stringify(report)}, 'saved');
} catch (error) {
  writeFileSync(${JSON.stringify(report)}, String(error.code));
}
`,
    );
    try {
      // The file-size limit (1 KiB blocks) stops the save in the model file, then in the optimizer file.
      for (const blocks of [4, Math.ceil(modelBytes / 1024) + 1]) {
        const child = spawn('bash', ['-c', `ulimit -f ${blocks} && exec "$0" "$1"`, process.execPath, script], { stdio: 'ignore' });
        expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
        expect(readFileSync(report, 'utf8')).toBe('EFBIG');
        expect(await listCheckpoints(dir)).toEqual([1]);
        expect(readdirSync(dir).filter((name) => name.startsWith('.tmp-'))).toEqual([]); // the failed save cleaned up after itself
      }
    } finally {
      rmSync(script, { force: true });
    }
    const b = run(9, 9);
    expect((await restoreLatestCheckpoint(dir, b.model, b.optimizer))?.state.step).toBe(1);
    expect(values(b.model.parameters)).toEqual(saved);
  }, 90_000);

  it('refuses to resume from a folder whose only checkpoint is broken', async () => {
    dir = mkdtempSync(join(packageDir, '.tmp-checkpoints-'));
    const a = run(1, 2);
    await saveTrainingCheckpoint(dir, a.model, a.optimizer, { step: 1, batches: a.batches.state() });
    writeFileSync(join(dir, 'step-000001', 'model.safetensors'), 'not safetensors');
    await expect(restoreLatestCheckpoint(dir, run(2, 2).model, run(2, 2).optimizer)).rejects.toThrow(
      /^trainer: resume: expected a checkpoint that verifies, got step-000001: model.safetensors does not match its checksum/,
    );
    expect(await restoreLatestCheckpoint(join(dir, 'nothing-here'), a.model, a.optimizer)).toBeNull();
  });

  it('#12 trainer-state.json whose files names ../../dev/zero, or is {}: refused; the file set is fixed and every checksum required', async () => {
    dir = mkdtempSync(join(packageDir, '.tmp-checkpoints-'));
    const a = run(1, 2);
    await saveTrainingCheckpoint(dir, a.model, a.optimizer, { step: 1, batches: a.batches.state() });
    const statePath = join(dir, 'step-000001', 'trainer-state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { files: Record<string, string> };
    const b = run(2, 2);
    const before = values(b.model.parameters);
    const resume = () => restoreLatestCheckpoint(dir, b.model, b.optimizer);
    // A file outside the checkpoint (it was read without bound: 10 GB of /dev/zero).
    writeFileSync(statePath, JSON.stringify({ ...state, files: { ...state.files, '../../dev/zero': '0'.repeat(64) } }));
    await expect(resume()).rejects.toThrow(
      /^trainer: resume: expected a checkpoint that verifies, got step-000001: trainer: resume: expected trainer-state\.json files naming only model\.safetensors, config\.json, optimizer\.safetensors, got "\.\.\/\.\.\/dev\/zero"/,
    );
    // No checksums at all: the tampered weights must not load.
    const weightsPath = join(dir, 'step-000001', 'model.safetensors');
    const weights = readFileSync(weightsPath);
    weights[weights.length - 1]! ^= 0x40;
    writeFileSync(weightsPath, weights);
    for (const files of [{}, { 'model.safetensors': state.files['model.safetensors'] }]) {
      writeFileSync(statePath, JSON.stringify({ ...state, files }));
      await expect(resume()).rejects.toThrow(
        /expected trainer-state\.json files\['(model|config)\.(safetensors|json)'\] a SHA-256 \(64 hex digits\), got undefined/,
      );
    }
    writeFileSync(statePath, '{}');
    await expect(resume()).rejects.toThrow(/expected trainer-state\.json format 'wattformer-training-checkpoint\/1', got undefined/);
    // With every checksum present, the tampered file is caught by its checksum.
    writeFileSync(statePath, JSON.stringify(state));
    await expect(resume()).rejects.toThrow(/model\.safetensors does not match its checksum/);
    expect(values(b.model.parameters)).toEqual(before); // nothing changed
  });

  it('#12 crafted trainer-state.json values and a swapped-in device are refused with the trainer error', async () => {
    dir = mkdtempSync(join(packageDir, '.tmp-checkpoints-'));
    const a = run(1, 2);
    await saveTrainingCheckpoint(dir, a.model, a.optimizer, { step: 1, batches: a.batches.state() });
    const folder = join(dir, 'step-000001');
    const statePath = join(folder, 'trainer-state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, unknown>;
    const b = run(2, 2);
    const resume = () => restoreLatestCheckpoint(dir, b.model, b.optimizer);
    for (const [patch, message] of [
      [{ step: -1 }, /step a non-negative integer, got -1/],
      [{ optimizerStep: 1.5 }, /optimizerStep a non-negative integer, got 1\.5/],
      [{ batches: null }, /batches \{ rng, cursor \} integers, got null/],
      [{ extra: [1] }, /extra an object, got \[1\]/],
    ] as const) {
      writeFileSync(statePath, JSON.stringify({ ...state, ...patch }));
      await expect(resume()).rejects.toThrow(message);
    }
    writeFileSync(statePath, `{"format":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    await expect(resume()).rejects.toThrow(/expected trainer-state\.json nested at most 64 levels deep/);
    writeFileSync(statePath, JSON.stringify(state));
    rmSync(join(folder, 'optimizer.safetensors'));
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/dev/zero', join(folder, 'optimizer.safetensors'));
    await expect(resume()).rejects.toThrow(/expected 'optimizer\.safetensors' a file inside '.*', got a link to '\/dev\/zero'/);
  });
});
