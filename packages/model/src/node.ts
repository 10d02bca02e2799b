export * from './index';
export { loadGptCheckpoint, saveGptCheckpoint } from './checkpoint-node';
