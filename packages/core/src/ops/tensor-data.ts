import { WattformerError } from '../errors';

/**
 * Deepest nesting `tensor()` accepts (NumPy's limit is 64 dimensions too). Deeper input is
 * refused with a clear error instead of exhausting the stack or building a rank-10⁵ shape.
 */
export const MAX_RANK = 64;

const HELP = 'pass a number, nested arrays of numbers with equal-length rows, or a Float32Array/Int32Array, e.g. tensor([[1, 2], [3, 4]])';

/** A short, safe description of a value a user passed where numbers were expected. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  switch (typeof value) {
    case 'string': {
      const text = value.length > 24 ? `${value.slice(0, 24)}…` : value;
      return `a string (${JSON.stringify(text)})`;
    }
    case 'number':
      return `the number ${value}`;
    case 'boolean':
    case 'bigint':
      return `a ${typeof value} (${String(value)})`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default: {
      const name = (value as object).constructor?.name;
      return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
    }
  }
}

function dataError(op: string, expected: string, got: string, help = HELP): WattformerError {
  return new WattformerError('E_ARGUMENT', { packageName: 'core', op, expected, got, help });
}

const path = (indices: readonly number[]): string => (indices.length === 0 ? 'the top level' : indices.map((i) => `[${i}]`).join(''));

/** Numeric typed arrays read as flat values (DataView and BigInt arrays are refused). */
function isNumericView(data: unknown): data is ArrayLike<number> {
  return ArrayBuffer.isView(data) && !(data instanceof DataView) && !(data instanceof BigInt64Array) && !(data instanceof BigUint64Array);
}

/**
 * Reads `tensor()` data: a number, a numeric typed array (flat) or nested arrays of numbers.
 * Returns the row-major values and the shape the nesting implies. Iterative (no recursion, so
 * deep input cannot overflow the stack), linear in the input, and every refusal names the
 * position: `core: tensor: expected a number at [1][0], got a string ("2")`.
 */
export function readTensorData(op: string, data: unknown): { values: ArrayLike<number>; shape: number[] } {
  if (typeof data === 'number') return { values: [data], shape: [] };
  if (isNumericView(data)) return { values: data, shape: [data.length] };
  if (!Array.isArray(data)) {
    throw dataError(op, 'a number, a (nested) array of numbers or a Float32Array/Int32Array', describeValue(data));
  }
  // The shape the first elements imply; every other row must match it. Rows may also be typed
  // arrays (`[Float32Array, Float32Array]`), read like arrays of numbers.
  const isRow = (value: unknown): value is ArrayLike<unknown> => Array.isArray(value) || isNumericView(value);
  const shape: number[] = [];
  let level: unknown = data;
  while (isRow(level)) {
    if (shape.length === MAX_RANK) {
      throw dataError(
        op,
        `at most ${MAX_RANK} levels of nested arrays`,
        'deeper nesting',
        'nest one array level per dimension; flatten deeper data and pass a shape',
      );
    }
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  const rank = shape.length;
  const values: number[] = [];
  const arrays: ArrayLike<unknown>[] = [data];
  const positions: number[] = [0];
  while (arrays.length > 0) {
    const depth = arrays.length - 1;
    const current = arrays[depth]!;
    const i = positions[depth]!;
    if (i === current.length) {
      arrays.pop();
      positions.pop();
      if (positions.length > 0) positions[positions.length - 1]! += 1;
      continue;
    }
    const item: unknown = current[i];
    const where = path([...positions.slice(0, depth), i]);
    if (depth + 1 < rank) {
      if (!isRow(item)) {
        throw dataError(op, `an array of length ${shape[depth + 1]} at ${where} (rows must nest equally deep)`, describeValue(item));
      }
      if (item.length !== shape[depth + 1]) {
        throw dataError(
          op,
          `an array of length ${shape[depth + 1]} at ${where}, like the first row at that depth`,
          `length ${item.length} (ragged rows)`,
          'every row at one depth must have the same length; pad the short rows',
        );
      }
      arrays.push(item);
      positions.push(0);
    } else {
      if (typeof item !== 'number') {
        throw dataError(op, `a number at ${where}`, describeValue(item));
      }
      values.push(item);
      positions[depth] = i + 1;
    }
  }
  return { values, shape };
}
