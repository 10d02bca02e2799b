/**
 * Saving and loading a GPT checkpoint folder in Node (`model.safetensors` + `config.json`, the
 * layout `save_pretrained` writes and `from_pretrained` reads). Each file is written atomically:
 * a temporary file in the same folder, fsync, rename, so a crash never leaves a half-written
 * checkpoint under the real name.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_JSON_LIMITS, describeJson, parseBoundedJson } from './bounded-json';
import { checkGptConfig, gptCheckpointToBytes, gptParametersFromSafetensors, type GptCheckpoint, type LoadGptOptions } from './checkpoint';
import { modelError } from './errors';
import { checkBareFileName, readFolderFile, type FolderFileOptions } from './folder-file';
import type { GptParameters } from './gpt';
import { countGptParameters, type GptConfig } from './gpt-config';
import { gptConfigFromHf } from './hf-config';
import { MAX_SAFETENSORS_HEADER_BYTES, readSafetensorsHeader, safetensorsSources, type TensorSource } from './safetensors';

/** Writes `model.safetensors` and `config.json` into `folder` (created if needed). */
export async function saveGptCheckpoint(folder: string, parameters: GptParameters, config: GptConfig): Promise<void> {
  const { weights, config: json } = await gptCheckpointToBytes(parameters, config);
  await mkdir(folder, { recursive: true });
  await writeAtomically(join(folder, 'model.safetensors'), weights);
  await writeAtomically(join(folder, 'config.json'), new TextEncoder().encode(json));
  await syncFolder(folder);
}

/**
 * Reads a checkpoint folder (also a sharded `model.safetensors.index.json` one) onto the active
 * backend. Every file is read through `readFolderFile` (bare names, regular files inside the
 * folder, sizes bounded before reading): config.json first, so its dimensions bound how large the
 * weights may be, then the weights, whose header is checked against the config before decoding.
 */
export async function loadGptCheckpoint(folder: string, options: LoadGptOptions & FolderFileOptions = {}): Promise<GptCheckpoint> {
  const text = await readFolderFile(folder, 'config.json', CONFIG_JSON_LIMITS.maxLength, op, options);
  if (text === null) {
    throw modelError(op, `a config.json in '${folder}'`, 'none', 'a checkpoint folder holds config.json and model.safetensors (save_pretrained writes both)');
  }
  const config = gptConfigFromHf(parseBoundedJson(decodeUtf8(text, 'config.json'), op, 'config.json'));
  if (options.expectedConfig !== undefined) checkGptConfig(config, options.expectedConfig);
  const sources = await readWeights(folder, maxGptCheckpointBytes(config), options);
  return { config, parameters: gptParametersFromSafetensors(sources, config, options) };
}

const op = 'loadGptCheckpoint';

/**
 * The most bytes a checkpoint of `config` can take: every parameter as F64, plus what Hub files
 * may carry besides (the attention-mask buffers, a copy of the tied head) and the largest header.
 */
function maxGptCheckpointBytes(config: GptConfig): number {
  const extra = config.layers * config.contextLength * config.contextLength + config.vocabSize * config.modelDim;
  return (countGptParameters(config).total + extra) * 8 + MAX_SAFETENSORS_HEADER_BYTES + 8;
}

async function readWeights(folder: string, maxBytes: number, options: FolderFileOptions): Promise<Map<string, TensorSource>> {
  const single = await readFolderFile(folder, 'model.safetensors', maxBytes, op, options);
  if (single !== null) return safetensorsSources(single, readSafetensorsHeader(single));
  const index = await readFolderFile(folder, 'model.safetensors.index.json', CONFIG_JSON_LIMITS.maxLength, op, options);
  if (index !== null) {
    const json = parseBoundedJson(decodeUtf8(index, 'model.safetensors.index.json'), op, 'model.safetensors.index.json');
    const weightMap = (json !== null && typeof json === 'object' ? (json as Record<string, unknown>).weight_map : undefined) as unknown;
    if (weightMap === null || typeof weightMap !== 'object' || Array.isArray(weightMap)) {
      throw modelError(op, 'model.safetensors.index.json with a weight_map object (tensor name → shard file)', describeJson(weightMap));
    }
    const shards = new Set<string>();
    for (const shard of Object.values(weightMap)) shards.add(checkBareFileName(op, shard, 'each weight_map value'));
    // Shards are read one by one, each bounded by what is left of the checkpoint's bound.
    const sources = new Map<string, TensorSource>();
    let left = maxBytes;
    for (const shard of shards) {
      const bytes = await readFolderFile(folder, shard, left, op, options);
      if (bytes === null) throw modelError(op, `shard '${shard}' (named in model.safetensors.index.json) in '${folder}'`, 'none');
      left -= bytes.length;
      for (const [name, source] of safetensorsSources(bytes, readSafetensorsHeader(bytes))) {
        if (sources.has(name)) throw modelError(op, `each tensor in one shard`, `'${name}' in two`, 'the shards are from different checkpoints, or crafted');
        sources.set(name, source);
      }
    }
    return sources;
  }
  const got = await stat(join(folder, 'pytorch_model.bin')).then(
    () => 'pytorch_model.bin only',
    () => 'none',
  );
  throw modelError(op, `model.safetensors in '${folder}'`, got, 're-save in Python with model.save_pretrained(folder, safe_serialization=True)');
}

/** Checkpoint text is UTF-8; a byte sequence that is not is refused rather than replaced. */
export function decodeUtf8(bytes: Uint8Array, what: string, operation = op): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw modelError(operation, `${what} in UTF-8`, 'invalid UTF-8 bytes', 'is it the right file?');
  }
}

/** Writes a file atomically: a temporary file in the same folder, fsync, rename. */
export async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Makes the renames durable; some platforms (Windows) cannot fsync a folder, which is fine there. */
export async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
