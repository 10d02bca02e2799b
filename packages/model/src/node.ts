export * from './index';
export { loadGptCheckpoint, saveGptCheckpoint } from './checkpoint-node';
export { loadLoraAdapter, saveLoraAdapter } from './lora-node';
export { checkBareFileName, MAX_READ_BYTES, readFolderFile } from './folder-file';
export type { FolderFileOptions } from './folder-file';
