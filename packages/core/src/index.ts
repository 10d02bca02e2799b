export { WattformerError, formatErrorMessage, unknownChoiceError } from './errors';
export type { ErrorCode, WattformerErrorDetails } from './errors';
export { formatShape, sizeOfShape } from './shape';
export type { Shape } from './shape';
export { matmulDims } from './matmul-contract';
export type { MatmulDims, MatmulOptions } from './matmul-contract';
export { matmulReference } from './matmul-reference';
