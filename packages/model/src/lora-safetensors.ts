/**
 * LoRA adapters as PEFT saves them: `adapter_model.safetensors` (f32 A/B matrices under PEFT
 * names) and `adapter_config.json`. These work on bytes and objects, so they run in browsers too;
 * `@wattformer/model/node` adds a folder (lora-node.ts).
 */
import { tensor } from '@wattformer/core';
import { modelError } from './errors';
import { loraConfigFromPeft, loraConfigToPeft, type PeftConfigOptions } from './lora-config';
import { loraModulesOf } from './lora-modules';
import type { LoraAdapter } from './lora';
import { checkFiniteWeights, encodeSafetensors, readSafetensorsHeader, readSafetensorsTensor } from './safetensors';

/** The two files of a PEFT LoRA adapter: `adapter_model.safetensors` bytes and `adapter_config.json`. */
export interface LoraFiles {
  /** `adapter_model.safetensors` */
  readonly weights: Uint8Array;
  /** `adapter_config.json`, parsed. */
  readonly config: Record<string, unknown>;
}

/** Serialises an adapter (read back from the backend, so it also works on WebGPU). */
export async function loraToSafetensors(adapter: LoraAdapter, options: PeftConfigOptions = {}): Promise<LoraFiles> {
  const config = loraConfigToPeft(adapter.config, options);
  const shapes = new Map([...adapter.parameters].map(([name, t]) => [name, t.shape] as const));
  loraModulesOf(shapes, adapter.config, 'loraToSafetensors');
  const tensors: [string, { shape: readonly number[]; data: Float32Array }][] = [];
  for (const [name, t] of adapter.parameters) {
    if (t.dtype !== 'f32') throw modelError('loraToSafetensors', `'${name}' of dtype f32`, t.dtype, undefined, 'E_DTYPE');
    tensors.push([name, { shape: t.shape, data: (await t.data()) as Float32Array }]);
  }
  return { weights: encodeSafetensors(tensors, { format: 'pt' }), config };
}

/**
 * Reads a PEFT LoRA adapter onto the active backend (kept tensors), checking tensor names, A/B
 * pairs, dtypes and the rank against the config. Fit to a base model is checked by `applyLora`.
 */
export function loraFromSafetensors(weights: Uint8Array, config: Record<string, unknown>, options: LoadLoraOptions = {}): LoraAdapter {
  const op = 'loadLoraAdapter';
  const lora = loraConfigFromPeft(config);
  // Names, dtypes, pairs and ranks are checked on the header, before any tensor is decoded.
  const entries = readSafetensorsHeader(weights).tensors;
  if (entries.size === 0) throw modelError(op, 'at least one LoRA tensor in adapter_model.safetensors', 'an empty file');
  for (const [name, entry] of entries) {
    if (entry.dtype !== 'F32' && entry.dtype !== 'F16' && entry.dtype !== 'BF16' && entry.dtype !== 'F64') {
      throw modelError(op, `'${name}' a float tensor (F32, F16, BF16 or F64)`, entry.dtype, undefined, 'E_DTYPE');
    }
  }
  loraModulesOf(new Map([...entries].map(([name, entry]) => [name, entry.shape])), lora, op);
  const decoded = new Map<string, Float32Array>();
  for (const [name, info] of entries) {
    const data = readSafetensorsTensor(weights, info).data as Float32Array;
    if (options.allowNonFinite !== true) checkFiniteWeights(op, name, data);
    decoded.set(name, data);
  }
  const parameters = new Map([...decoded].map(([name, data]) => [name, tensor(data, [...entries.get(name)!.shape]).keep()]));
  return { config: lora, parameters };
}

/** Options of loading a LoRA adapter: whether non-finite A/B values are accepted. */
export interface LoadLoraOptions {
  /** Load A/B matrices holding NaN or ±Infinity (refused by default, naming the tensor). */
  readonly allowNonFinite?: boolean;
}
