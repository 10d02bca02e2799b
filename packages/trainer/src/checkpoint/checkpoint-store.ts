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
import {
  CONFIG_JSON_LIMITS,
  countGptParameters,
  describeJson,
  encodeSafetensors,
  gptCheckpointFromBytes,
  MAX_SAFETENSORS_HEADER_BYTES,
  parseBoundedJson,
  readFolderFile,
  readSafetensorsHeader,
  readSafetensorsTensor,
  saveGptCheckpoint,
  type GptConfig,
} from '@wattformer/model/node';
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
    const optimizerBytes = encodeSafetensors(optimizerState, { kind: optimizer.options.kind, step: String(optimizer.step) });
    await writeSynced(join(temporary, 'optimizer.safetensors'), optimizerBytes);
    await options.onStage?.('optimizer');
    const files: Record<string, string> = {};
    for (const name of CHECKPOINT_FILES) files[name] = sha256(await readFile(join(temporary, name)));
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

/** The files every checkpoint holds besides trainer-state.json, each with its SHA-256 there; fixed here, never taken from the file. */
export const CHECKPOINT_FILES = ['model.safetensors', 'config.json', 'optimizer.safetensors'] as const;
const STATE_FILE = 'trainer-state.json';
/** trainer-state.json holds a few numbers and the caller's `extra` (losses, options): 64 MiB is far above any real one. */
const MAX_STATE_BYTES = 64 * 2 ** 20;
const op = 'resume';

/**
 * Checks trainer-state.json's shape: the format tag, integer steps, the batch position, and a
 * SHA-256 for exactly the files in CHECKPOINT_FILES (a missing or extra entry is refused, so a
 * state file cannot skip a checksum or point at another file).
 */
function checkStateFile(json: unknown): StateFile {
  const fail = (expected: string, got: unknown): never => {
    throw trainerError('E_ARGUMENT', op, `${STATE_FILE} ${expected}`, describeJson(got), 'the checkpoint was not written by this trainer, or was edited');
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('to hold an object', json);
  const state = json as Record<string, unknown>;
  if (state.format !== 'wattformer-training-checkpoint/1') fail("format 'wattformer-training-checkpoint/1'", state.format);
  for (const field of ['step', 'optimizerStep'] as const) {
    if (!Number.isSafeInteger(state[field]) || (state[field] as number) < 0) fail(`${field} a non-negative integer`, state[field]);
  }
  const batches = state.batches as Record<string, unknown> | null;
  if (
    batches === null ||
    typeof batches !== 'object' ||
    !Number.isSafeInteger(batches.rng) ||
    !Number.isSafeInteger(batches.cursor) ||
    (batches.cursor as number) < 0
  ) {
    fail('batches { rng, cursor } integers', batches);
  }
  if (state.extra !== undefined && (state.extra === null || typeof state.extra !== 'object' || Array.isArray(state.extra)))
    fail('extra an object', state.extra);
  const files = state.files as Record<string, unknown> | null;
  if (files === null || typeof files !== 'object' || Array.isArray(files)) fail('files an object (file name → SHA-256)', files);
  const names = Object.keys(files!);
  const unexpected = names.filter((name) => !(CHECKPOINT_FILES as readonly string[]).includes(name));
  if (unexpected.length > 0) fail(`files naming only ${CHECKPOINT_FILES.join(', ')}`, unexpected[0]);
  for (const name of CHECKPOINT_FILES) {
    const digest = files![name];
    if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) fail(`files['${name}'] a SHA-256 (64 hex digits)`, digest);
  }
  return json as StateFile;
}

/**
 * Restores the newest checkpoint whose files match their checksums into `parameters` and the
 * optimizer's state (in place), removing leftover temporary folders. Returns null when there is
 * none. A checkpoint that fails verification is skipped for the one before it.
 *
 * Every file is treated as hostile: the file set is fixed (CHECKPOINT_FILES), each file must be a
 * regular file inside the checkpoint folder no larger than this model and optimizer can need,
 * every checksum must be present and match, and the optimizer state must hold exactly the names
 * and shapes of this optimizer, all before anything is decoded or changed.
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
  const optimizerTensors = [...optimizer.stateTensors()];
  // F64 is the widest dtype a reader accepts; the header is bounded separately.
  const headerRoom = MAX_SAFETENSORS_HEADER_BYTES + 8;
  const limits: Record<(typeof CHECKPOINT_FILES)[number], number> = {
    'model.safetensors': countGptParameters(model.config).total * 8 + headerRoom,
    'config.json': CONFIG_JSON_LIMITS.maxLength,
    'optimizer.safetensors': optimizerTensors.reduce((n, [, t]) => n + t.size * 8, 0) + headerRoom,
  };
  for (const step of steps.reverse()) {
    const path = join(dir, folderFor(step));
    try {
      const stateBytes = await readFolderFile(path, STATE_FILE, MAX_STATE_BYTES, op);
      if (stateBytes === null) throw new Error(`no ${STATE_FILE}`);
      const state = checkStateFile(parseBoundedJson(new TextDecoder().decode(stateBytes), op, STATE_FILE, { maxLength: MAX_STATE_BYTES, maxDepth: 64 }));
      const bytes = new Map<string, Uint8Array>();
      for (const file of CHECKPOINT_FILES) {
        const content = await readFolderFile(path, file, limits[file], op);
        if (content === null) throw new Error(`no ${file}`);
        if (sha256(content) !== state.files[file]) throw new Error(`${file} does not match its checksum`);
        bytes.set(file, content);
      }
      const loaded = gptCheckpointFromBytes(
        { weights: bytes.get('model.safetensors')!, config: new TextDecoder().decode(bytes.get('config.json')) },
        { expectedConfig: model.config },
      );
      // Build and check everything before changing anything, so a bad file leaves the run as it was.
      const updates: [Tensor, Tensor][] = [];
      try {
        for (const [name, target] of model.parameters) updates.push([target, loaded.parameters.get(name)!]);
        const optimizerBytes = bytes.get('optimizer.safetensors')!;
        const header = readSafetensorsHeader(optimizerBytes);
        const expected = new Set(optimizerTensors.map(([name]) => name));
        const extra = [...header.tensors.keys()].find((name) => !expected.has(name));
        if (extra !== undefined) throw new Error(`optimizer state '${extra}' is not one of this optimizer's`);
        for (const [name, target] of optimizerTensors) {
          const info = header.tensors.get(name);
          if (info?.dtype !== 'F32' || info.shape.join() !== target.shape.join())
            throw new Error(`optimizer state '${name}' is missing or has another shape or dtype`);
        }
        for (const [name, target] of optimizerTensors) {
          const entry = readSafetensorsTensor(optimizerBytes, header.tensors.get(name)!);
          updates.push([target, tensor(entry.data as Float32Array, entry.shape)]);
        }
      } catch (error) {
        for (const t of loaded.parameters.values()) t.dispose();
        throw error;
      }
      for (const [target, value] of updates) assign(target, value);
      optimizer.setStep(state.optimizerStep);
      return { path, state: { step: state.step, batches: state.batches, ...(state.extra ? { extra: state.extra } : {}) }, config: loaded.config };
    } catch (error) {
      problems.push(`${folderFor(step)}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (problems.length > 0) {
    throw trainerError(
      'E_ARGUMENT',
      'resume',
      'a checkpoint that verifies',
      problems.join('; '),
      'the run folder holds no usable checkpoint; start without --resume',
    );
  }
  return null;
}
