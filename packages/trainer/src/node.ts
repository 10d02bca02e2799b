// Node-only additions (file system): training checkpoints. Everything else is in the main entry.
export * from './index';
export { listCheckpoints, restoreLatestCheckpoint, saveTrainingCheckpoint } from './checkpoint/checkpoint-store';
export type { LoadedCheckpoint, SaveCheckpointOptions, TrainingState } from './checkpoint/checkpoint-store';
export { readShakespeare, SHAKESPEARE_SOURCE } from './data/shakespeare';
export { IMDB_SOURCE, readImdb, resolveImdbPath } from './data/imdb';
export { openTokenFile, TokenFileWriter, tokenDtypeFor } from './data/token-file';
export type { OpenTokenFileOptions, TokenDtype, TokenFile } from './data/token-file';
