import { expectShape, formatShape, sizeOfShape, type Shape } from '../shape';
import { record } from '../tape';
import { fromStorage, sharing, type Tensor } from '../tensor';
import { add } from './binary';
import { broadcastShapes, broadcastStrides, unbroadcast } from './binary';
import { argumentError, backendFor, checkFits, expectTensor, normalizeAxis, sameShape, shapeError, storage, stridesOf } from './validate';

/** Same values, new shape (one dimension may be -1). Shares storage: no copy. */
export function reshape(input: Tensor, shape: Shape): Tensor {
  const x = expectTensor('reshape', 'x', input);
  expectShape('reshape', shape);
  const unknown = shape.filter((n) => n === -1).length;
  const known = shape.filter((n) => n !== -1);
  const knownSize = sizeOfShape(known, 'reshape');
  const resolved = unknown === 1 && knownSize > 0 && x.size % knownSize === 0 ? shape.map((n) => (n === -1 ? x.size / knownSize : n)) : [...shape];
  if (unknown > 1 || resolved.includes(-1) || sizeOfShape(resolved, 'reshape') !== x.size) {
    throw shapeError('reshape', `a shape of ${x.size} elements for ${formatShape(x.shape)}`, formatShape(shape));
  }
  if (sameShape(resolved, x.shape)) return x;
  backendFor('reshape', [x]);
  const y = sharing(x, resolved, 'reshape');
  return record(y, 'reshape', [x], (dy) => [reshape(dy, x.shape)]);
}

/** Reorders dimensions: out.shape[i] = x.shape[axes[i]]. Copies. */
export function permute(input: Tensor, axes: readonly number[]): Tensor {
  const x = expectTensor('permute', 'x', input);
  const normalized = axes.map((axis) => normalizeAxis('permute', axis, x.rank));
  if (axes.length !== x.rank || new Set(normalized).size !== x.rank) {
    throw argumentError('permute', `a permutation of ${x.rank} axes for ${formatShape(x.shape)}`, `[${axes.join(',')}]`);
  }
  if (normalized.every((axis, i) => axis === i)) return x;
  const strides = stridesOf(x.shape);
  const outShape = normalized.map((axis) => x.shape[axis]!);
  const backend = backendFor('permute', [x]);
  const plan = { outShape, size: x.size, strides: normalized.map((axis) => strides[axis]!), offset: 0 };
  const y = fromStorage(backend, backend.copyStrided(storage(x, 'permute'), plan, x.dtype), outShape, x.dtype);
  const inverse = new Array<number>(x.rank);
  normalized.forEach((axis, i) => (inverse[axis] = i));
  return record(y, 'permute', [x], (dy) => [permute(dy, inverse)]);
}

/** Swaps two axes (the last two by default). */
export function transpose(x: Tensor, axisA = -2, axisB = -1): Tensor {
  const tensor = expectTensor('transpose', 'x', x);
  const a = normalizeAxis('transpose', axisA, tensor.rank);
  const b = normalizeAxis('transpose', axisB, tensor.rank);
  const axes = Array.from({ length: tensor.rank }, (_, i) => (i === a ? b : i === b ? a : i));
  return permute(tensor, axes);
}

/** x[begin : begin + size] per dimension; a size of -1 runs to the end. */
export function slice(input: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  const x = expectTensor('slice', 'x', input);
  const sizes = x.shape.map((n, d) => {
    const s = size?.[d] ?? -1;
    return s === -1 ? n - (begin[d] ?? 0) : s;
  });
  const starts = x.shape.map((_, d) => begin[d] ?? 0);
  const bad = x.shape.some(
    (n, d) => !Number.isInteger(starts[d]) || !Number.isInteger(sizes[d]) || starts[d]! < 0 || sizes[d]! < 0 || starts[d]! + sizes[d]! > n,
  );
  if (bad || begin.length > x.rank || (size?.length ?? 0) > x.rank) {
    throw shapeError('slice', `begin and size within ${formatShape(x.shape)}`, `begin [${begin.join(',')}] size [${(size ?? []).join(',')}]`);
  }
  if (sameShape(sizes, x.shape)) return x;
  const strides = stridesOf(x.shape);
  const offset = starts.reduce((sum, start, d) => sum + start * strides[d]!, 0);
  const backend = backendFor('slice', [x]);
  const plan = { outShape: sizes, size: sizes.reduce((p, n) => p * n, 1), strides, offset };
  const y = fromStorage(backend, backend.copyStrided(storage(x, 'slice'), plan, x.dtype), sizes, x.dtype);
  return record(y, 'slice', [x], (dy) => [pad(dy, starts, x.shape)]);
}

/** Zeros of `outShape` with x placed at `before` (the adjoint of slice). */
export function pad(input: Tensor, before: readonly number[], outShape: Shape): Tensor {
  const x = expectTensor('pad', 'x', input);
  const fits =
    before.length === x.rank &&
    outShape.length === x.rank &&
    x.shape.every((n, d) => Number.isInteger(before[d]) && before[d]! >= 0 && before[d]! + n <= outShape[d]!);
  if (!fits) {
    throw shapeError('pad', `x ${formatShape(x.shape)} placed inside the output`, `before [${before.join(',')}] out ${formatShape(outShape)}`);
  }
  const backend = backendFor('pad', [x]);
  checkFits('pad', backend, outShape, x.dtype, [x]);
  const plan = { inShape: x.shape, outShape, before, size: sizeOfShape(outShape, 'pad') };
  const y = fromStorage(backend, backend.pad(storage(x, 'pad'), plan, x.dtype), outShape, x.dtype);
  return record(y, 'pad', [x], (dy) => [slice(dy, before, x.shape)]);
}

/** Joins tensors along an axis; every other dimension must match. Built from pad and add. */
export function concat(inputs: readonly Tensor[], axis = 0): Tensor {
  if (inputs.length === 0) throw argumentError('concat', 'at least one tensor', 'none');
  const tensors = inputs.map((t, i) => expectTensor('concat', `inputs[${i}]`, t));
  const first = tensors[0]!;
  const a = normalizeAxis('concat', axis, first.rank);
  const mismatch = tensors.find((t) => t.dtype !== first.dtype || t.rank !== first.rank || t.shape.some((n, d) => d !== a && n !== first.shape[d]));
  if (mismatch !== undefined) {
    throw shapeError('concat', `equal dtypes and dimensions except axis ${a}`, tensors.map((t) => `${t.dtype} ${formatShape(t.shape)}`).join(', '));
  }
  backendFor('concat', tensors);
  if (tensors.length === 1) return first;
  const total = tensors.reduce((n, t) => n + t.shape[a]!, 0);
  const outShape = first.shape.map((n, d) => (d === a ? total : n));
  let position = 0;
  let out: Tensor | null = null;
  for (const t of tensors) {
    const before = first.shape.map((_, d) => (d === a ? position : 0));
    const placed = pad(t, before, outShape);
    out = out === null ? placed : add(out, placed);
    position += t.shape[a]!;
  }
  return out!;
}

/** Repeats size-1 (or missing leading) dimensions up to `shape`. Copies. */
export function broadcastTo(input: Tensor, shape: Shape): Tensor {
  const x = expectTensor('broadcastTo', 'x', input);
  const outShape = broadcastShapes('broadcastTo', x.shape, shape);
  if (!sameShape(outShape, shape)) {
    throw shapeError('broadcastTo', `a shape ${formatShape(x.shape)} broadcasts to`, formatShape(shape));
  }
  if (sameShape(shape, x.shape)) return x;
  const backend = backendFor('broadcastTo', [x]);
  checkFits('broadcastTo', backend, outShape, x.dtype, [x]);
  const plan = { outShape, size: sizeOfShape(outShape), strides: broadcastStrides(x.shape, outShape), offset: 0 };
  const y = fromStorage(backend, backend.copyStrided(storage(x, 'broadcastTo'), plan, x.dtype), outShape, x.dtype);
  return record(y, 'broadcastTo', [x], (dy) => [unbroadcast(dy, x.shape)]);
}
