/**
 * Training checkpoints in Node: `<dir>/step-000120/` holds the model (`model.safetensors` +
 * `config.json`, loadable by Hugging Face `from_pretrained`), the optimizer state
 * (`optimizer.safetensors`) and `trainer-state.json` (step, batch-source position, SHA-256 of every
 * file). A checkpoint is written into a temporary sibling folder, every file fsynced, then renamed
 * into place and the parent fsynced: the rename is the commit, so a crash mid-save leaves the
 * previous checkpoints intact and only a `.tmp-*` folder behind (ignored, then removed).
 * `keepLast` prunes older checkpoints after a successful save.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assign, tensor, type Tensor } from '@wattformer/core';
import { decodeSafetensors, encodeSafetensors, loadGptCheckpoint, saveGptCheckpoint, type GptConfig } from '@wattformer/model/node';
import type { TokenBatchState } from '../data/token-batches';
import { trainerError } from '../errors';
import type { Optimizer } from '../optim/optimizer';

/**
 * Where a training run stands, saved with a checkpoint: the step, the batch stream's position and anything else to restore.
 */
export interface TrainingState {
  readonly step: number;
  readonly batches: TokenBatchState;
  /** Anything else the caller wants back on resume (losses so far, CLI options, …). */
  readonly extra?: Record<string, unknown>;
}

interface StateFile extends TrainingState {
  readonly format: 'wattformer-training-checkpoint/1';
  readonly optimizerStep: number;
  readonly files: Record<string, string>;
}

/** Options of `saveTrainingCheckpoint`: how many checkpoints to keep, and a hook after each stage. */
export interface SaveCheckpointOptions {
  readonly keepLast?: number;
  /** Called after each stage (tests use it to crash mid-save). */
  readonly onStage?: (stage: 'model' | 'optimizer' | 'state') => void | Promise<void>;
}

const STEP_FOLDER = /^step-(\d+)$/;
const folderFor = (step: number) => `step-${String(step).padStart(6, '0')}`;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeSynced(path: string, bytes: Uint8Array | string): Promise<void> {
  await writeFile(path, bytes);
  await fsyncPath(path);
}

/**
 * Saves model, optimizer state and training state into `dir/step-NNNNNN` with checksums, atomically (a crash mid-save leaves earlier checkpoints intact), keeping the newest `keepLast`; resolves to the folder written.
 */
export async function saveTrainingCheckpoint(
  dir: string,
  model: { parameters: Map<string, Tensor>; config: GptConfig },
  optimizer: Optimizer,
  state: TrainingState,
  options: SaveCheckpointOptions = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const final = join(dir, folderFor(state.step));
  const temporary = join(dir, `.tmp-${folderFor(state.step)}-${randomBytes(4).toString('hex')}`);
  await mkdir(temporary);
  try {
    await saveGptCheckpoint(temporary, model.parameters, model.config);
    await options.onStage?.('model');
    // `await data()`: backends such as WebGPU have no synchronous read.
    const optimizerState = await Promise.all(
      [...optimizer.stateTensors()].map(async ([name, t]) => [name, { shape: t.shape, data: (await t.data()) as Float32Array }] as const),
    );
    const optimizerBytes = encodeSafetensors(optimizerState,
      { kind: optimizer.options.kind, step: String(optimizer.step) },
    );
    await writeSynced(join(temporary, 'optimizer.safetensors'), optimizerBytes);
    await options.onStage?.('optimizer');
    const files: Record<string, string> = {};
    for (const name of ['model.safetensors', 'config.json', 'optimizer.safetensors']) files[name] = sha256(await readFile(join(temporary, name)));
    const stateFile: StateFile = { format: 'wattformer-training-checkpoint/1', ...state, optimizerStep: optimizer.step, files };
    await writeSynced(join(temporary, 'trainer-state.json'), JSON.stringify(stateFile, null, 2));
    await options.onStage?.('state');
    await fsyncPath(temporary);
    await rm(final, { recursive: true, force: true }); // a re-save of the same step replaces it
    await rename(temporary, final);
    await fsyncPath(dir);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  if (options.keepLast !== undefined) {
    const steps = await listCheckpoints(dir);
    for (const old of steps.slice(0, Math.max(0, steps.length - options.keepLast))) await rm(join(dir, folderFor(old)), { recursive: true, force: true });
  }
  return final;
}

/** Steps of the complete checkpoints in `dir`, ascending (temporary folders are not listed). */
export async function listCheckpoints(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.flatMap((name) => (STEP_FOLDER.test(name) ? [Number(STEP_FOLDER.exec(name)![1])] : [])).sort((a, b) => a - b);
}

/** What restoring a checkpoint returns: its folder, the training state and the model config. */
export interface LoadedCheckpoint {
  readonly path: string;
  readonly state: TrainingState;
  readonly config: GptConfig;
}

/**
 * Restores the newest checkpoint whose files match their checksums into `parameters` and the
 * optimizer's state (in place), removing leftover temporary folders. Returns null when there is
 * none. A checkpoint that fails verification is skipped for the one before it.
 */
export async function restoreLatestCheckpoint(
  dir: string,
  model: { parameters: Map<string, Tensor>; config: GptConfig },
  optimizer: Optimizer,
): Promise<LoadedCheckpoint | null> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name.startsWith('.tmp-')) await rm(join(dir, name), { recursive: true, force: true });
  }
  const steps = await listCheckpoints(dir);
  const problems: string[] = [];
  for (const step of steps.reverse()) {
    const path = join(dir, folderFor(step));
    try {
      const state = JSON.parse(await readFile(join(path, 'trainer-state.json'), 'utf8')) as StateFile;
      for (const [file, digest] of Object.entries(state.files)) {
        if (sha256(await readFile(join(path, file))) !== digest) throw new Error(`${file} does not match its checksum`);
      }
      const loaded = await loadGptCheckpoint(path, { expectedConfig: model.config });
      const optimizerFile = decodeSafetensors(await readFile(join(path, 'optimizer.safetensors')));
      // Build and check everything before changing anything, so a bad file leaves the run as it was.
      const updates: [Tensor, Tensor][] = [];
      for (const [name, target] of model.parameters) updates.push([target, loaded.parameters.get(name)!]);
      for (const [name, target] of optimizer.stateTensors()) {
        const entry = optimizerFile.tensors.get(name);
        if (!entry || entry.shape.join() !== target.shape.join()) throw new Error(`optimizer state '${name}' is missing or has another shape`);
        updates.push([target, tensor(entry.data as Float32Array, entry.shape)]);
      }
      for (const [target, value] of updates) assign(target, value);
      optimizer.setStep(state.optimizerStep);
      return { path, state: { step: state.step, batches: state.batches, ...(state.extra ? { extra: state.extra } : {}) }, config: loaded.config };
    } catch (error) {
      problems.push(`${folderFor(step)}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (problems.length > 0) {
    throw trainerError('E_ARGUMENT', 'resume', 'a checkpoint that verifies', problems.join('; '), 'the run folder holds no usable checkpoint; start without --resume');
  }
  return null;
}
