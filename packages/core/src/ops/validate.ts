import { BYTES_PER_ELEMENT, type Backend, type DType } from '../backend';
import { activeBackend } from '../engine';
import { WattformerError } from '../errors';
import { formatShape, type Shape } from '../shape';
import { fromStorage, Tensor, type TensorLike } from '../tensor';

/** Shared input checks for ops: every message names the op and the shapes involved. */
export function shapeError(op: string, expected: string, got: string, help?: string): WattformerError {
  return new WattformerError('E_SHAPE', { packageName: 'core', op, expected, got, ...(help ? { help } : {}) });
}

export function argumentError(op: string, expected: string, got: string, help?: string): WattformerError {
  return new WattformerError('E_ARGUMENT', { packageName: 'core', op, expected, got, ...(help ? { help } : {}) });
}

export function describe(tensor: Tensor): string {
  return `${tensor.dtype} ${formatShape(tensor.shape)}`;
}

export function expectTensor(op: string, name: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) {
    throw argumentError(op, `${name} to be a Tensor`, value === null ? 'null' : typeof value);
  }
  return value;
}

export function expectDtype(op: string, name: string, tensor: Tensor, dtypes: readonly DType[]): void {
  if (!dtypes.includes(tensor.dtype)) {
    throw new WattformerError('E_DTYPE', {
      packageName: 'core',
      op,
      expected: `${name} of dtype ${dtypes.join(' or ')}`,
      got: describe(tensor),
      ...(dtypes.includes('f32') && tensor.dtype === 'i32' ? { help: `convert with ${name}.cast('f32')` } : {}),
    });
  }
}

/**
 * The backend an op runs on, after checking every input is live and lives there. Call it before
 * allocating anything, so a refused op leaves no state behind.
 */
export function backendFor(op: string, inputs: readonly Tensor[]): Backend {
  const backend = activeBackend(op);
  for (const input of inputs) {
    const owner = input.handle(op).backend;
    if (owner !== backend) {
      throw argumentError(
        op,
        `tensors on the active backend '${backend.name}'`,
        `a ${describe(input)} tensor on '${owner.name}'`,
        'make tensors after setBackend(), or copy: tensor(await t.data(), t.shape, t.dtype)',
      );
    }
  }
  return backend;
}

/** Bytes for a message; a rounded figure that is not exact carries the exact count, so a limit and a request never read the same. */
function formatBytes(bytes: number): string {
  const exact = Number.isSafeInteger(bytes) ? ` (${bytes} B)` : '';
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB${bytes % 2 ** 30 === 0 ? '' : exact}`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB${bytes % 2 ** 20 === 0 ? '' : exact}`;
  return `${bytes} B`;
}

/** The longest typed array V8 makes (2^32 elements); every backend's host copies are typed arrays. */
export const MAX_ELEMENTS = 2 ** 32;

/**
 * Refuses an output larger than the backend's `maxBufferBytes` before any kernel runs, so an
 * oversize request fails with the op and shapes named and nothing allocated.
 */
export function checkFits(op: string, backend: Backend, shape: Shape, dtype: DType, inputs: readonly Tensor[] = []): void {
  const size = sizeOf(shape);
  const from = inputs.length ? ` from ${inputs.map((t) => formatShape(t.shape)).join(' and ')}` : '';
  if (!(size <= MAX_ELEMENTS)) {
    throw new WattformerError('E_OUT_OF_MEMORY', {
      packageName: 'core',
      op,
      expected: `at most ${MAX_ELEMENTS} elements (2^32, the longest JavaScript typed array)`,
      got: `${dtype} ${formatShape(shape)} = ${size} elements${from}`,
      help: 'use a smaller batch, sequence length or vocabulary',
    });
  }
  const limit = backend.maxBufferBytes;
  if (limit === undefined) return;
  const bytes = size * BYTES_PER_ELEMENT[dtype];
  if (bytes <= limit) return;
  throw new WattformerError('E_OUT_OF_MEMORY', {
    packageName: 'core',
    op,
    expected: `an output of at most ${formatBytes(limit)} on backend '${backend.name}'`,
    got: `${dtype} ${formatShape(shape)} = ${formatBytes(bytes)}${from}`,
    help: 'use a smaller batch, sequence length or vocabulary, or a backend with more memory',
  });
}

export function storage(tensor: Tensor, op: string): object {
  return tensor.handle(op).storage;
}

/** A number becomes a one-element tensor of `dtype` on the active backend. */
export function toTensor(op: string, value: TensorLike, dtype: DType): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value !== 'number') throw argumentError(op, 'a Tensor or a number', typeof value);
  if (dtype === 'i32' && !Number.isInteger(value)) {
    throw new WattformerError('E_DTYPE', { packageName: 'core', op, expected: 'an integer operand for an i32 tensor', got: String(value) });
  }
  const backend = activeBackend(op);
  return fromStorage(backend, backend.fill(1, value, dtype), [], dtype);
}

export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw argumentError(op, `an axis in [${-rank}, ${rank})`, String(axis));
  }
  return axis < 0 ? axis + rank : axis;
}

/** Sorted, unique, non-negative axes; `undefined` means all of them. */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : [...axes];
  const normalized = [...new Set(list.map((axis) => normalizeAxis(op, axis, rank)))].sort((a, b) => a - b);
  if (normalized.length !== list.length) throw argumentError(op, 'distinct axes', `[${list.join(',')}]`);
  return normalized;
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d]!;
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

export function sizeOf(shape: Shape): number {
  return shape.reduce((p, n) => p * n, 1);
}
