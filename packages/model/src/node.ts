export * from './index';
export { loadTextGenerator, saveModelFolder } from './model-folder-node';
export type { LoadTextGeneratorOptions } from './model-folder-node';
export { loadGptCheckpoint, saveGptCheckpoint } from './checkpoint-node';
export { loadLoraAdapter, saveLoraAdapter } from './lora-node';
export { checkBareFileName, MAX_READ_BYTES, readFolderFile } from './folder-file';
export type { FolderFileOptions } from './folder-file';
