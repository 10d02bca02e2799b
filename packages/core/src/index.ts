export { WattformerError, formatErrorMessage, unknownChoiceError } from './errors';
export type { ErrorCode, WattformerErrorDetails } from './errors';
export { formatShape, sizeOfShape } from './shape';
export type { Shape } from './shape';
export { matmulDims } from './matmul-contract';
export type { MatmulDims, MatmulOptions } from './matmul-contract';
export { matmulReference } from './matmul-reference';

export type {
  AdamWPlan,
  AttentionPlan,
  Backend,
  BackendFactory,
  BinaryOp,
  BinaryPlan,
  DType,
  FusedKernels,
  GatherPlan,
  PadPlan,
  ReduceOp,
  ReducePlan,
  StridedPlan,
  TypedArray,
  UnaryOp,
} from './backend';
export { BYTES_PER_ELEMENT } from './backend';
export { Tensor } from './tensor';
export type { TensorLike } from './tensor';
export { AUTO_BACKEND, AUTO_PRIORITY, getBackend, getBackendName, listBackends, registerBackend, setBackend, withBackend } from './registry';
export type { SetBackendOptions } from './registry';
export { createCpuBackend } from './cpu/cpu-backend';
export type { CpuStorage } from './cpu/cpu-backend';
export { dispose, keep, memory, tidy } from './scope';
export type { MemoryInfo } from './scope';
export { backward, gradients, noGrad, valueAndGrad } from './tape';
export type { GradNode, ValueAndGrads } from './tape';
export { setSeed } from './random';

export { arange, full, ones, onesLike, rand, randn, scalar, tensor, zeros, zerosLike } from './ops/creation';
export type { NestedArray, RandomOptions, TensorData } from './ops/creation';
export { add, broadcastShapes, div, equal, maximum, minimum, mul, sub } from './ops/binary';
export { abs, cast, exp, log, neg, sqrt, square, tanh } from './ops/unary';
export { pow } from './ops/pow';
export { clamp, where } from './ops/select';
export { argMax, argMin } from './ops/arg-reduce';
export type { ArgReduceOptions } from './ops/arg-reduce';
// Every export of an op family file is public: a new op there needs no line here.
export * from './ops/activation';
export { matmul } from './ops/matmul';
export { broadcastTo, concat, pad, permute, reshape, slice, transpose } from './ops/movement';
export { max, mean, min, sum } from './ops/reduce';
export type { ReduceOptions } from './ops/reduce';
export { embedding, gather } from './ops/gather';
export { logSoftmax, softmax } from './ops/softmax';
export * from './ops/layer-norm';
export { dropout } from './ops/dropout';
export type { DropoutOptions } from './ops/dropout';
export { attention, MASKED_SCORE } from './ops/attention';
export type { AttentionOptions } from './ops/attention';
export { softmaxCrossEntropy } from './ops/cross-entropy';
export type { CrossEntropyOptions } from './ops/cross-entropy';
export { adamw } from './ops/adamw';
export { assign, assignValues } from './ops/assign';
export type { AdamWOptions } from './ops/adamw';
export { clipGradNorm } from './ops/clip-grad-norm';
export type { ClippedGradients } from './ops/clip-grad-norm';
