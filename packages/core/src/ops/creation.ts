import type { DType, TypedArray } from '../backend';
import { activeBackend } from '../engine';
import { WattformerError } from '../errors';
import { normalAt, nextRandomKey } from '../random';
import { formatShape, sizeOfShape, type Shape } from '../shape';
import { fromStorage, type Tensor } from '../tensor';
import { readTensorData } from './tensor-data';
import { argumentError, checkFits, shapeError } from './validate';

/** A number or arbitrarily nested arrays of numbers, e.g. `[[1, 2], [3, 4]]`; rows must be equally long. */
export type NestedArray = number | readonly NestedArray[];
/** What `tensor()` accepts: a typed array (flat, with a shape) or nested number arrays. */
export type TensorData = TypedArray | NestedArray;

function checkDtype(op: string, dtype: unknown): DType {
  if (dtype !== 'f32' && dtype !== 'i32') {
    throw new WattformerError('E_UNKNOWN_CHOICE', {
      packageName: 'core',
      op,
      expected: "dtype to be one of 'f32', 'i32'",
      got: `'${String(dtype)}'`,
    });
  }
  return dtype;
}

/**
 * A tensor from values: a typed array or (nested) numbers, row-major. `shape` defaults to the
 * nesting (or `[n]` for a flat list); `dtype` defaults to i32 for an Int32Array, else f32.
 */
export function tensor(data: TensorData, shape?: Shape, dtype?: DType): Tensor {
  const op = 'tensor';
  const resolvedDtype = checkDtype(op, dtype ?? (data instanceof Int32Array ? 'i32' : 'f32'));
  // A given shape is checked against the backend before the values are flattened or copied.
  if (shape !== undefined) {
    sizeOfShape(shape, op);
    checkFits(op, activeBackend(op), shape, resolvedDtype);
  }
  const { values, shape: nestedShape } = readTensorData(op, data);
  const resolvedShape = shape ?? nestedShape;
  const size = sizeOfShape(resolvedShape, op);
  if (size !== values.length) {
    throw shapeError(op, `${size} values for shape ${formatShape(resolvedShape)}`, `${values.length} values`);
  }
  if (resolvedDtype === 'i32' && !(data instanceof Int32Array)) {
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
        throw new WattformerError('E_DTYPE', {
          packageName: 'core',
          op,
          expected: '32-bit integers for dtype i32',
          got: `${value} at position ${i}`,
        });
      }
    }
  }
  const backend = activeBackend(op);
  checkFits(op, backend, resolvedShape, resolvedDtype);
  // `upload` copies, so a typed array of the dtype goes as it is (one copy, not two).
  const typed =
    resolvedDtype === 'f32'
      ? values instanceof Float32Array
        ? values
        : Float32Array.from(values)
      : values instanceof Int32Array
        ? values
        : Int32Array.from(values);
  return fromStorage(backend, backend.upload(typed, resolvedDtype), resolvedShape, resolvedDtype);
}

/** A rank-0 tensor (shape `[]`) holding `value`. */
export function scalar(value: number, dtype: DType = 'f32'): Tensor {
  return tensor([value], [], dtype);
}

/** A tensor of `shape` with every element equal to `value`. */
export function full(shape: Shape, value: number, dtype: DType = 'f32'): Tensor {
  const size = sizeOfShape(shape, 'full');
  checkDtype('full', dtype);
  if (typeof value !== 'number') throw argumentError('full', 'a number', typeof value);
  if (dtype === 'i32' && !Number.isInteger(value)) {
    throw new WattformerError('E_DTYPE', { packageName: 'core', op: 'full', expected: 'an integer fill value for dtype i32', got: String(value) });
  }
  const backend = activeBackend('full');
  checkFits('full', backend, shape, dtype);
  return fromStorage(backend, backend.fill(size, value, dtype), shape, dtype);
}

/** A tensor of `shape` filled with zeros. */
export function zeros(shape: Shape, dtype: DType = 'f32'): Tensor {
  return full(shape, 0, dtype);
}

/** A tensor of `shape` filled with ones. */
export function ones(shape: Shape, dtype: DType = 'f32'): Tensor {
  return full(shape, 1, dtype);
}

/** Zeros with the shape and dtype of `like`. */
export function zerosLike(like: Tensor): Tensor {
  return full(like.shape, 0, like.dtype);
}

/** Ones with the shape and dtype of `like`. */
export function onesLike(like: Tensor): Tensor {
  return full(like.shape, 1, like.dtype);
}

/** 0, 1, …, n - 1 as i32 (or f32). */
export function arange(n: number, dtype: DType = 'i32'): Tensor {
  if (!Number.isInteger(n) || n < 0) throw argumentError('arange', 'a non-negative integer', String(n));
  checkDtype('arange', dtype);
  // Checked before generating anything, as every creation op does.
  checkFits('arange', activeBackend('arange'), [n], dtype);
  const values = dtype === 'i32' ? new Int32Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = i;
  return tensor(values, [n], dtype);
}

/** Options of `rand` and `randn`: an explicit seed for reproducible draws. */
export interface RandomOptions {
  /** Explicit seed (reproducible alone); without it the global `setSeed` stream is used. */
  readonly seed?: number;
}

/** Normal samples (Box–Muller over the counter-based generator), made on the host and uploaded. */
export function randn(shape: Shape, options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const size = sizeOfShape(shape, 'randn');
  // Checked before generating: an oversize request is refused at once, not after minutes of sampling.
  checkFits('randn', activeBackend('randn'), shape, 'f32');
  const { seed, offset } = nextRandomKey(size, options.seed);
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  const values = new Float32Array(size);
  // offset counts uniforms; normal i consumes uniforms 2i and 2i + 1 past it.
  for (let i = 0; i < size; i++) values[i] = mean + std * normalAt(seed, offset / 2 + i);
  return tensor(values, shape, 'f32');
}

/** Uniform samples in [0, 1), generated by the backend from the same counter-based bits. */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  const size = sizeOfShape(shape, 'rand');
  checkFits('rand', activeBackend('rand'), shape, 'f32');
  const { seed, offset } = nextRandomKey(size, options.seed);
  const backend = activeBackend('rand');
  return fromStorage(backend, backend.randomUniform(size, seed, offset), shape, 'f32');
}
