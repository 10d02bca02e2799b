export { learningRateAt } from './lr-schedule';
export type { LrSchedule } from './lr-schedule';
// The gradient replicas and the shared-memory buffer behind ParallelGptGradients stay internal
// (not exported): their worker protocol is no API.
export { ParallelGptGradients } from './data-parallel/parallel-gradients';
export type { ParallelGradientsOptions } from './data-parallel/parallel-gradients';
export { serveReplica } from './data-parallel/serve-replica';
export type { ReplicaRequest } from './data-parallel/serve-replica';
export type { ReplicaWorker, ReplicaWorkerSource } from './data-parallel/replica-workers';
export { sliceTokenSource, splitTokens, TokenBatches, tokenSource } from './data/token-batches';
export type { TokenBatch, TokenBatchOptions, TokenBatchState, TokenSource } from './data/token-batches';
export { createOptimizer, decays } from './optim/optimizer';
export type { Optimizer, OptimizerOptions } from './optim/optimizer';
export { evaluate, trainLoop } from './loop/train-loop';
export type { BatchSource, StopReason, TrainableModel, TrainEvent, TrainLoopOptions, TrainResult } from './loop/train-loop';
export { CarbonLedger } from './carbon/carbon-ledger';
export type { CarbonBudget, CarbonSource, LedgerEntry } from './carbon/carbon-ledger';
export * from './finetune/finetune-index';
