import { WattformerError } from './errors';

/** A tensor shape: the size of each axis, outermost first (`[]` for a scalar). */
export type Shape = readonly number[];

/** `[2, 3]` → `'[2,3]'`, the form every error message uses. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** Number of elements; throws on a dimension that is not a non-negative integer. */
export function sizeOfShape(shape: Shape, op = 'sizeOfShape'): number {
  let size = 1;
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw new WattformerError('E_SHAPE', {
        packageName: 'core',
        op,
        expected: 'every dimension to be a non-negative integer',
        got: formatShape(shape),
      });
    }
    size *= dim;
  }
  return size;
}
