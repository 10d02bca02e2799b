export * from './index';
export { loadGptCheckpoint, saveGptCheckpoint } from './checkpoint-node';
export { loadLoraAdapter, saveLoraAdapter } from './lora-node';
