/**
 * A LoRA adapter folder in Node, the layout PEFT's `save_pretrained` writes and
 * `PeftModel.from_pretrained` reads: `adapter_model.safetensors` + `adapter_config.json`. Each
 * file is written atomically (temporary file, fsync, rename), as GPT checkpoints are.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { syncFolder, writeAtomically } from './checkpoint-node';
import { modelError } from './errors';
import type { PeftConfigOptions } from './lora-config';
import type { LoraAdapter } from './lora';
import { loraFromSafetensors, loraToSafetensors } from './lora-safetensors';

/** Writes `adapter_model.safetensors` and `adapter_config.json` into `folder` (created if needed). */
export async function saveLoraAdapter(folder: string, adapter: LoraAdapter, options: PeftConfigOptions = {}): Promise<void> {
  const { weights, config } = await loraToSafetensors(adapter, options);
  await mkdir(folder, { recursive: true });
  await writeAtomically(join(folder, 'adapter_model.safetensors'), weights);
  await writeAtomically(join(folder, 'adapter_config.json'), new TextEncoder().encode(JSON.stringify(config, null, 2) + '\n'));
  await syncFolder(folder);
}

/** Reads an adapter folder (ours or PEFT's) onto the active backend. */
export async function loadLoraAdapter(folder: string): Promise<LoraAdapter> {
  const op = 'loadLoraAdapter';
  const help = "an adapter folder holds adapter_model.safetensors and adapter_config.json (PEFT's save_pretrained writes both)";
  const configText = await readFile(join(folder, 'adapter_config.json'), 'utf8').catch(() => {
    throw modelError(op, `an adapter_config.json in '${folder}'`, 'none', help);
  });
  const weights = await readFile(join(folder, 'adapter_model.safetensors')).catch(async () => {
    const legacy = await readFile(join(folder, 'adapter_model.bin')).then(() => true, () => false);
    throw modelError(op, `an adapter_model.safetensors in '${folder}'`, legacy ? 'adapter_model.bin only' : 'none', legacy ? 're-save in Python with save_pretrained(folder, safe_serialization=True)' : help);
  });
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(configText) as Record<string, unknown>;
  } catch (error) {
    throw modelError(op, 'adapter_config.json to be JSON', (error as Error).message);
  }
  return loraFromSafetensors(weights, config);
}
