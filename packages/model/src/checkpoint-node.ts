/**
 * Saving and loading a GPT checkpoint folder in Node (`model.safetensors` + `config.json`, the
 * layout `save_pretrained` writes and `from_pretrained` reads). Each file is written atomically:
 * a temporary file in the same folder, fsync, rename, so a crash never leaves a half-written
 * checkpoint under the real name.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gptCheckpointFromBytes, gptCheckpointToBytes, type GptCheckpoint, type LoadGptOptions } from './checkpoint';
import { modelError } from './errors';
import type { GptParameters } from './gpt';
import type { GptConfig } from './gpt-config';
import { decodeSafetensors, encodeSafetensors } from './safetensors';

/** Writes `model.safetensors` and `config.json` into `folder` (created if needed). */
export async function saveGptCheckpoint(folder: string, parameters: GptParameters, config: GptConfig): Promise<void> {
  const { weights, config: json } = await gptCheckpointToBytes(parameters, config);
  await mkdir(folder, { recursive: true });
  await writeAtomically(join(folder, 'model.safetensors'), weights);
  await writeAtomically(join(folder, 'config.json'), new TextEncoder().encode(json));
  await syncFolder(folder);
}

/** Reads a checkpoint folder (also a sharded `model.safetensors.index.json` one) onto the active backend. */
export async function loadGptCheckpoint(folder: string, options: LoadGptOptions = {}): Promise<GptCheckpoint> {
  const config = await readFile(join(folder, 'config.json'), 'utf8').catch(() => {
    throw modelError('loadGptCheckpoint', `a config.json in '${folder}'`, 'none', 'a checkpoint folder holds config.json and model.safetensors (save_pretrained writes both)');
  });
  return gptCheckpointFromBytes({ weights: await readWeights(folder), config }, options);
}

async function readWeights(folder: string): Promise<Uint8Array> {
  const single = join(folder, 'model.safetensors');
  if (await exists(single)) return readFile(single);
  const index = join(folder, 'model.safetensors.index.json');
  if (await exists(index)) {
    // Shards: decode each and re-encode one file (simple, and only for loading).
    const weightMap = (JSON.parse(await readFile(index, 'utf8')) as { weight_map: Record<string, string> }).weight_map;
    const merged: [string, { shape: readonly number[]; data: Float32Array }][] = [];
    for (const shard of new Set(Object.values(weightMap))) {
      for (const [name, entry] of decodeSafetensors(await readFile(join(folder, shard))).tensors) {
        if (entry.data instanceof Float32Array) merged.push([name, entry as { shape: readonly number[]; data: Float32Array }]);
      }
    }
    return encodeSafetensors(merged);
  }
  const got = (await exists(join(folder, 'pytorch_model.bin'))) ? 'pytorch_model.bin only' : 'none';
  throw modelError('loadGptCheckpoint', `model.safetensors in '${folder}'`, got, "re-save in Python with model.save_pretrained(folder, safe_serialization=True)");
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

const exists = (path: string) => stat(path).then(() => true, () => false);
