// The `wattformer` command as a library: build the program, or resolve and run a command's settings.
export { createProgram } from './program';
export { runTrain } from './train-command';
export { defaultWorkers, MAX_DEFAULT_WORKERS, resolveTrainSettings, TRAIN_DEFAULTS } from './train-settings';
export type { TrainSettings } from './train-settings';
export { runFinetune } from './finetune-command';
export { FINETUNE_DEFAULTS, resolveFinetuneSettings } from './finetune-settings';
export type { FinetuneSettings } from './finetune-settings';
export { runGenerate } from './generate-command';
export type { GenerateSettings } from './generate-command';
export { CLI_BACKENDS, useCliBackend } from './use-backend';
export { cliError } from './errors';
