export * from './index';
export { loadGptCheckpoint, saveGptCheckpoint } from './checkpoint-node';
export { loadLoraAdapter, saveLoraAdapter } from './lora-node';
export { loadTextGenerator, saveModelFolder } from './model-folder-node';
export type { LoadTextGeneratorOptions } from './model-folder-node';
