export { learningRateAt } from './lr-schedule';
export type { LrSchedule } from './lr-schedule';
export { DataParallelGpt } from './data-parallel/data-parallel';
export type { DataParallelOptions } from './data-parallel/data-parallel';
export { GptReplica } from './data-parallel/gpt-replica';
export type { AdamWSettings, ReplicaInit, ShardStep } from './data-parallel/gpt-replica';
export { SharedGradients, createSharedGradients } from './data-parallel/shared-gradients';
export type { SharedGradientsLayout } from './data-parallel/shared-gradients';
