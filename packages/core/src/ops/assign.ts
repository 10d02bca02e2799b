import { formatShape } from '../shape';
import { replaceStorage } from '../tensor-storage';
import type { Tensor } from '../tensor';
import { backendFor, expectTensor, sameShape, shapeError } from './validate';

/**
 * `target ← value`, for optimizers and other update rules written with ops (SGD, schedules):
 * the target keeps its identity (parameter maps, optimizer state) and takes value's storage;
 * `value` is consumed. Not recorded for autograd. Shapes, dtypes and backends must match;
 * nothing changes when they do not.
 */
export function assign(targetInput: Tensor, valueInput: Tensor): void {
  const target = expectTensor('assign', 'target', targetInput);
  const value = expectTensor('assign', 'value', valueInput);
  if (!sameShape(target.shape, value.shape) || target.dtype !== value.dtype) {
    throw shapeError(
      'assign',
      `a value of the target's shape and dtype (${target.dtype} ${formatShape(target.shape)})`,
      `${value.dtype} ${formatShape(value.shape)}`,
    );
  }
  backendFor('assign', [target, value]);
  replaceStorage(target, value);
}
