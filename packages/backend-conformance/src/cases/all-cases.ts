import { blockCases } from './block-cases';
import { elementwiseCases } from './elementwise-cases';
import { mathCases } from './math-cases';
import { nnCases } from './nn-cases';
import type { OpCase } from './op-case';
import { gatherCases, matmulCases, movementCases, reduceCases } from './tensor-cases';

/** Every case, in a stable order. Names are unique. */
export const ALL_CASES: readonly OpCase[] = [
  ...elementwiseCases,
  ...mathCases,
  ...matmulCases,
  ...movementCases,
  ...reduceCases,
  ...gatherCases,
  ...nnCases,
  ...blockCases,
];
