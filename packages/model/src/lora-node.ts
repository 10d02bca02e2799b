/**
 * A LoRA adapter folder in Node, the layout PEFT's `save_pretrained` writes and
 * `PeftModel.from_pretrained` reads: `adapter_model.safetensors` + `adapter_config.json`. Each
 * file is written atomically (temporary file, fsync, rename), as GPT checkpoints are.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_JSON_LIMITS, parseBoundedJson } from './bounded-json';
import { decodeUtf8, syncFolder, writeAtomically } from './checkpoint-node';
import { modelError } from './errors';
import { MAX_READ_BYTES, readFolderFile, type FolderFileOptions } from './folder-file';
import type { PeftConfigOptions } from './lora-config';
import type { LoraAdapter } from './lora';
import { loraFromSafetensors, loraToSafetensors, type LoadLoraOptions } from './lora-safetensors';

/** Writes `adapter_model.safetensors` and `adapter_config.json` into `folder` (created if needed). */
export async function saveLoraAdapter(folder: string, adapter: LoraAdapter, options: PeftConfigOptions = {}): Promise<void> {
  const { weights, config } = await loraToSafetensors(adapter, options);
  await mkdir(folder, { recursive: true });
  await writeAtomically(join(folder, 'adapter_model.safetensors'), weights);
  await writeAtomically(join(folder, 'adapter_config.json'), new TextEncoder().encode(JSON.stringify(config, null, 2) + '\n'));
  await syncFolder(folder);
}

/**
 * Reads an adapter folder (ours or PEFT's) onto the active backend. Files are read through
 * `readFolderFile` (regular files inside the folder, sizes bounded before reading); the
 * safetensors header is checked against adapter_config.json before any tensor is decoded.
 */
export async function loadLoraAdapter(folder: string, options: LoadLoraOptions & FolderFileOptions = {}): Promise<LoraAdapter> {
  const op = 'loadLoraAdapter';
  const help = "an adapter folder holds adapter_model.safetensors and adapter_config.json (PEFT's save_pretrained writes both)";
  const configBytes = await readFolderFile(folder, 'adapter_config.json', CONFIG_JSON_LIMITS.maxLength, op, options);
  if (configBytes === null) throw modelError(op, `an adapter_config.json in '${folder}'`, 'none', help);
  const config = parseBoundedJson(decodeUtf8(configBytes, 'adapter_config.json', op), op, 'adapter_config.json') as Record<string, unknown>;
  const weights = await readFolderFile(folder, 'adapter_model.safetensors', MAX_READ_BYTES, op, options);
  if (weights === null) {
    const legacy = await stat(join(folder, 'adapter_model.bin')).then(
      () => true,
      () => false,
    );
    throw modelError(
      op,
      `an adapter_model.safetensors in '${folder}'`,
      legacy ? 'adapter_model.bin only' : 'none',
      legacy ? 're-save in Python with save_pretrained(folder, safe_serialization=True)' : help,
    );
  }
  return loraFromSafetensors(weights, config, options);
}
