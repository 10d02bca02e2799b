/** LoRA's public surface, re-exported by index.ts in one line (others append there too). */
export { applyLora, createLora, mergeLora } from './lora';
export type { ApplyLoraOptions, LoraAdapter } from './lora';
export { loraConfigFromPeft, loraConfigToPeft, loraScale } from './lora-config';
export type { LoraConfig, PeftConfigOptions } from './lora-config';
export { loraFromSafetensors, loraToSafetensors } from './lora-safetensors';
export type { LoadLoraOptions, LoraFiles } from './lora-safetensors';
export { loraDelta } from './lora-forward';
