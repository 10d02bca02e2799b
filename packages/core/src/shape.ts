import { WattformerError } from './errors';

/** A tensor shape: the size of each axis, outermost first (`[]` for a scalar). */
export type Shape = readonly number[];

/** `[2, 3]` → `'[2,3]'`, the form every error message uses. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** Refuses a shape argument that is not an array (`zeros(3)`, `tensor(v, '2x3')`) clearly. */
export function expectShape(op: string, shape: unknown): asserts shape is Shape {
  if (Array.isArray(shape)) return;
  const got =
    shape === null || shape === undefined
      ? String(shape)
      : typeof shape === 'number' || typeof shape === 'string'
        ? `${typeof shape} ${JSON.stringify(shape)}`
        : typeof shape === 'object'
          ? `a ${(shape as object).constructor?.name ?? 'object'}`
          : typeof shape;
  throw new WattformerError('E_SHAPE', {
    packageName: 'core',
    op,
    expected: 'a shape: an array of non-negative integers',
    got,
    help: typeof shape === 'number' ? `wrap it in brackets: [${shape}]` : 'e.g. [2, 3]',
  });
}

/** Number of elements; throws on a dimension that is not a non-negative integer. */
export function sizeOfShape(shape: Shape, op = 'sizeOfShape'): number {
  expectShape(op, shape);
  let size = 1;
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw new WattformerError('E_SHAPE', {
        packageName: 'core',
        op,
        expected: 'every dimension to be a non-negative integer',
        got: formatShape(shape),
        help: 'a shape lists whole numbers ≥ 0, one per dimension, e.g. [2, 3]',
      });
    }
    size *= dim;
  }
  return size;
}
