/**
 * Fuzzing resume (#12): trainer-state.json with wild values (files naming anything, missing or
 * extra checksums, bad steps) or mutated text (truncate, flip, deepen, repeat keys), and the
 * checkpoint's other files mutated with their checksums recomputed (so the mutation reaches the
 * readers). Each case restores a checkpoint that matches this model, or throws the trainer's
 * WattformerError leaving the run's parameters untouched. WATTFORMER_FUZZ_RUNS / _SEED scale it.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setBackend, WattformerError, type Tensor } from '@wattformer/core';
import { initGptParameters, type GptConfig } from '@wattformer/model';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The mutation helpers are shared with the model package's fuzz suites (test code only; not shipped).
import { byteMutation, mutateBytes, mutateText, textMutation } from '../../../model/src/__fixtures__/fuzz';
import { createOptimizer } from '../optim/optimizer';
import { restoreLatestCheckpoint, saveTrainingCheckpoint } from './checkpoint-store';

const runs = Number(process.env.WATTFORMER_FUZZ_RUNS ?? 60);
const seed = Number(process.env.WATTFORMER_FUZZ_SEED ?? 20261206);
const timeout = Math.max(60_000, runs * 200);

const config: GptConfig = { vocabSize: 12, contextLength: 6, modelDim: 4, layers: 1, heads: 2, mlpDim: 8, tiedEmbeddings: true };
const packageDir = new URL('../../', import.meta.url).pathname;
let pristine: string;
let work: string;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  await setBackend('cpu');
  pristine = mkdtempSync(join(packageDir, '.tmp-fuzz-pristine-'));
  work = mkdtempSync(join(packageDir, '.tmp-fuzz-work-'));
  const parameters = initGptParameters(config, 1);
  const optimizer = createOptimizer(parameters, { kind: 'adamw', learningRate: 1e-2 });
  await saveTrainingCheckpoint(pristine, { parameters, config }, optimizer, { step: 3, batches: { rng: 7, cursor: 11 }, extra: { losses: [1, 2] } });
});
afterAll(() => {
  rmSync(pristine, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

const values = (parameters: Map<string, Tensor>) => [...parameters.values()].map((p) => Array.from(p.dataSync()));

/** Resume into a fresh model: a restored checkpoint or the trainer's error, never anything else; a refusal changes nothing. */
async function resumeOrRefuse(inputBytes: number): Promise<void> {
  const parameters = initGptParameters(config, 2);
  const optimizer = createOptimizer(parameters, { kind: 'adamw', learningRate: 1e-2 });
  const before = values(parameters);
  const memoryBefore = process.memoryUsage();
  try {
    const restored = await restoreLatestCheckpoint(work, { parameters, config }, optimizer);
    expect(restored).not.toBeNull();
    expect(Number.isSafeInteger(restored!.state.step)).toBe(true);
    expect(Number.isSafeInteger(restored!.state.batches.cursor)).toBe(true);
  } catch (error) {
    if (!(error instanceof WattformerError) || error.packageName !== 'trainer') {
      throw new Error(`expected a trainer WattformerError, got ${(error as Error)?.name}: ${(error as Error)?.message?.slice(0, 300)}`);
    }
    expect(values(parameters)).toEqual(before);
  }
  const after = process.memoryUsage();
  expect(after.heapUsed + after.arrayBuffers - memoryBefore.heapUsed - memoryBefore.arrayBuffers).toBeLessThan(64 * 2 ** 20 + 32 * inputBytes);
}

const folder = () => join(work, 'step-000003');
const reset = () => {
  rmSync(work, { recursive: true, force: true });
  cpSync(pristine, work, { recursive: true });
};

const wild = fc.oneof(
  fc.integer({ min: -3, max: 1000 }),
  fc.constantFrom(1.5, 1e308, NaN, null, true, '', '0'.repeat(64), 'f'.repeat(64), '../../dev/zero', '__proto__'),
  fc.string({ maxLength: 8 }),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 3 }),
);
const fileKey = fc.constantFrom(
  'model.safetensors',
  'config.json',
  'optimizer.safetensors',
  '../../dev/zero',
  '/etc/passwd',
  'trainer-state.json',
  '__proto__',
  'x',
);

describe('resume fuzz (#12)', () => {
  it(
    'trainer-state.json with wild values (files naming anything, checksums missing, bad steps)',
    async () => {
      const state = JSON.parse(readFileSync(join(pristine, 'step-000003', 'trainer-state.json'), 'utf8')) as Record<string, unknown>;
      const patch = fc.record(
        {
          format: wild,
          step: wild,
          optimizerStep: wild,
          batches: fc.oneof(wild, fc.record({ rng: wild, cursor: wild })),
          extra: wild,
          files: fc.oneof(wild, fc.dictionary(fileKey, wild, { maxKeys: 4 }), fc.constant({ ...(state.files as object), '../../dev/zero': '0'.repeat(64) })),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(patch, fc.boolean(), async (p, replaceFiles) => {
          reset();
          const next = { ...state, ...p, ...(replaceFiles ? {} : { files: state.files }) };
          const text = JSON.stringify(next) ?? 'null';
          writeFileSync(join(folder(), 'trainer-state.json'), text);
          await resumeOrRefuse(text.length);
        }),
        { numRuns: runs, seed },
      );
    },
    timeout,
  );

  it(
    'mutated trainer-state.json text (truncate, flip, deepen, repeat keys, big numbers)',
    async () => {
      const text = readFileSync(join(pristine, 'step-000003', 'trainer-state.json'), 'utf8');
      await fc.assert(
        fc.asyncProperty(fc.array(textMutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          reset();
          const mutated = mutateText(text, mutations);
          writeFileSync(join(folder(), 'trainer-state.json'), mutated);
          await resumeOrRefuse(mutated.length);
        }),
        { numRuns: runs, seed },
      );
    },
    timeout,
  );

  it(
    'mutated checkpoint files with matching checksums reach the readers: restored or refused',
    async () => {
      const state = JSON.parse(readFileSync(join(pristine, 'step-000003', 'trainer-state.json'), 'utf8')) as { files: Record<string, string> };
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('model.safetensors', 'config.json', 'optimizer.safetensors'),
          fc.array(byteMutation, { minLength: 1, maxLength: 3 }),
          async (file, mutations) => {
            reset();
            const bytes = mutateBytes(readFileSync(join(folder(), file)), mutations);
            writeFileSync(join(folder(), file), bytes);
            writeFileSync(join(folder(), 'trainer-state.json'), JSON.stringify({ ...state, files: { ...state.files, [file]: sha256(bytes) } }));
            await resumeOrRefuse(bytes.length);
          },
        ),
        { numRuns: runs, seed },
      );
    },
    timeout,
  );
});
