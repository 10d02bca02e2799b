import type { Backend, DType, TypedArray } from './backend';
import { disposeTracked, engine, newHandle, retainHandle, trackTensor, untrack, type DataHandle, type HandleBox } from './engine';
import { WattformerError } from './errors';
import type { MatmulOptions } from './matmul-contract';
import { describeTensor } from './format';
import { gelu, relu, sigmoid } from './ops/activation';
import { argMax, argMin, type ArgReduceOptions } from './ops/arg-reduce';
import { add, div, equal, maximum, minimum, mul, sub } from './ops/binary';
import type { NestedArray } from './ops/creation';
import { pow } from './ops/pow';
import { clamp } from './ops/select';
import { gather } from './ops/gather';
import { matmul } from './ops/matmul';
import { broadcastTo, permute, reshape, slice, transpose } from './ops/movement';
import { max, mean, min, sum, type ReduceOptions } from './ops/reduce';
import { logSoftmax, softmax } from './ops/softmax';
import { abs, cast, exp, log, neg, sqrt, square, tanh } from './ops/unary';
import { formatShape, type Shape } from './shape';
import { backward, type GradNode } from './tape';

/** Marks tensors of every copy of core in the process (ESM and CJS builds share one engine). */
const TENSOR_BRAND = Symbol.for('wattformer.core.tensor');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A tensor or a plain number (a scalar of the other operand's dtype). */
export type TensorLike = Tensor | number;

/**
 * An n-dimensional array on one backend. Immutable to users: ops return new tensors. Memory is
 * released by the innermost `tidy` scope it was made in, by `dispose()`, or by the garbage
 * collector when unreachable — users never have to dispose by hand.
 */
export class Tensor {
  readonly id: number;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly size: number;
  /** @internal Storage box, shared with the finalizer; `null` once disposed. */
  readonly box: HandleBox;
  /** Accumulated gradient after `backward()` (leaves with `requiresGrad` only). */
  grad: Tensor | null = null;
  /** @internal The op that made this tensor, when autograd recorded it. */
  node: GradNode | null = null;
  #requiresGrad = false;

  /**
   * `x instanceof Tensor` holds for tensors of any copy of `@wattformer/core` loaded in this
   * process (its ESM and CJS builds), since they share one engine and registry.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TENSOR_BRAND] === true;
  }

  /** @internal Use `tensor()`, `zeros()` and ops; this wraps a backend allocation. */
  constructor(handle: DataHandle, shape: Shape, dtype: DType) {
    this.id = engine.nextTensorId++;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = shape.reduce((p, n) => p * n, 1);
    this.box = { handle: retainHandle(handle) };
    trackTensor(this);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Whether autograd tracks ops on this tensor. Parameters set it; only f32 can. */
  get requiresGrad(): boolean {
    return this.#requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (value && this.dtype !== 'f32') {
      throw new WattformerError('E_DTYPE', {
        packageName: 'core',
        op: 'requiresGrad',
        expected: 'an f32 tensor',
        got: `${this.dtype} ${formatShape(this.shape)}`,
        help: 'integer tensors (ids, targets) have no gradient',
      });
    }
    this.#requiresGrad = value;
  }

  get isDisposed(): boolean {
    return this.box.handle === null;
  }

  /** @internal The live handle, or a clear error naming the op that wanted it. */
  handle(op: string): DataHandle {
    const handle = this.box.handle;
    if (handle === null) {
      throw new WattformerError('E_ARGUMENT', {
        packageName: 'core',
        op,
        expected: 'a live tensor',
        got: `a disposed ${this.dtype} tensor ${formatShape(this.shape)}`,
        help: 'it was freed when its tidy() scope ended: return it from the scope, or call keep()',
      });
    }
    return handle;
  }

  get backend(): Backend {
    return this.handle('backend').backend;
  }

  /** A copy of the values (row-major). Waits for the device on async backends. */
  async data(): Promise<TypedArray> {
    const handle = this.handle('data');
    return handle.backend.read(handle.storage, this.dtype, this.size);
  }

  /** Synchronous read, where the backend allows it (cpu, wasm). */
  dataSync(): TypedArray {
    const handle = this.handle('dataSync');
    if (handle.backend.readSync === undefined) {
      throw new WattformerError('E_UNSUPPORTED', {
        packageName: 'core',
        op: 'dataSync',
        expected: 'a backend that reads synchronously',
        got: `backend '${handle.backend.name}'`,
        help: 'use await tensor.data()',
      });
    }
    return handle.backend.readSync(handle.storage, this.dtype, this.size);
  }

  /**
   * {@link dataSync} into an array you own, without allocating one: `out` is a `Float32Array`
   * (f32) or `Int32Array` (i32) of exactly `size` elements, e.g. a view of a (shared) buffer.
   */
  dataSyncInto(out: TypedArray): void {
    const handle = this.handle('dataSyncInto');
    const type = this.dtype === 'f32' ? Float32Array : Int32Array;
    if (!(out instanceof type) || out.length !== this.size) {
      throw new WattformerError('E_ARGUMENT', {
        packageName: 'core',
        op: 'dataSyncInto',
        expected: `${type === Int32Array ? 'an' : 'a'} ${type.name} of ${this.size} elements (the tensor is ${this.dtype} ${formatShape(this.shape)})`,
        got: describeArray(out),
        help: `pass new ${type.name}(${this.size}) or a subarray of that length`,
      });
    }
    const { backend, storage } = handle;
    if (backend.readInto !== undefined && backend.readSync !== undefined) backend.readInto(storage, this.dtype, out);
    else if (backend.readSync !== undefined) out.set(backend.readSync(storage, this.dtype, this.size));
    else {
      throw new WattformerError('E_UNSUPPORTED', {
        packageName: 'core',
        op: 'dataSyncInto',
        expected: 'a backend that reads synchronously',
        got: `backend '${backend.name}'`,
        help: 'use out.set(await tensor.data())',
      });
    }
  }

  /**
   * The values as nested arrays following the shape (a number for a scalar), like TF.js
   * `array()` / PyTorch `tolist()`. Waits for the device on async backends.
   */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape);
  }

  /** Synchronous {@link array}, where the backend reads synchronously (cpu, wasm). */
  arraySync(): NestedArray {
    return nest(this.dataSync(), this.shape);
  }

  /** The single value of a one-element tensor, read asynchronously (works on every backend). */
  async item(): Promise<number> {
    this.#expectScalar('item');
    return (await this.data())[0]!;
  }

  /** The single value of a one-element tensor, read synchronously (cpu and wasm; not WebGPU). */
  itemSync(): number {
    this.#expectScalar('itemSync');
    return this.dataSync()[0]!;
  }

  #expectScalar(op: string): void {
    if (this.size !== 1) {
      throw new WattformerError('E_SHAPE', {
        packageName: 'core',
        op,
        expected: 'a tensor of one element',
        got: formatShape(this.shape),
      });
    }
  }

  /** Frees the backend memory now (optional: scopes and the garbage collector also do it). */
  dispose(): void {
    disposeTracked(this);
  }

  /** Keeps this tensor alive past the `tidy` scope it was made in. */
  keep(): this {
    untrack(this);
    return this;
  }

  /** Reverse-mode autograd from this scalar: fills `.grad` of every leaf with `requiresGrad`. */
  backward(gradient?: Tensor): void {
    backward(this, gradient);
  }

  /**
   * Writes dtype, shape and the values (summarised past 1,000 elements) to `console.log`, like
   * TF.js `print()`. Backends that read synchronously (cpu, wasm) print at once; on WebGPU the
   * values arrive asynchronously, so `await t.print()` there.
   */
  print(): Promise<void> {
    if (this.isDisposed || this.backend.readSync !== undefined) {
      console.log(this.toString());
      return Promise.resolve();
    }
    return this.data().then((values) => console.log(describeTensor(this.shape, this.dtype, values)));
  }

  /**
   * `Tensor(f32 [2,3])` and the values on the next lines (summarised past 1,000 elements) when
   * the backend reads synchronously; on WebGPU, dtype and shape with a pointer to `print()`.
   */
  toString(): string {
    const handle = this.box.handle;
    if (handle === null) return describeTensor(this.shape, this.dtype, null, 'disposed');
    if (handle.backend.readSync === undefined) {
      return describeTensor(this.shape, this.dtype, null, `on ${handle.backend.name}: await t.print() or t.array() for values`);
    }
    return describeTensor(this.shape, this.dtype, handle.backend.readSync(handle.storage, this.dtype, this.size));
  }

  /** What `console.log(t)` and `util.inspect(t)` show in Node: the same as `toString()`. */
  [INSPECT](): string {
    return this.toString();
  }

  /** `this + other` elementwise, with broadcasting (see `add`). */
  add(other: TensorLike): Tensor {
    return add(this, other);
  }
  /** `this - other` elementwise, with broadcasting (see `sub`). */
  sub(other: TensorLike): Tensor {
    return sub(this, other);
  }
  /** `this * other` elementwise, with broadcasting (see `mul`). */
  mul(other: TensorLike): Tensor {
    return mul(this, other);
  }
  /** `this / other` elementwise, with broadcasting (see `div`). */
  div(other: TensorLike): Tensor {
    return div(this, other);
  }
  /** Elementwise maximum of this and `other` (see `maximum`). */
  maximum(other: TensorLike): Tensor {
    return maximum(this, other);
  }
  /** Elementwise minimum of this and `other` (see `minimum`). */
  minimum(other: TensorLike): Tensor {
    return minimum(this, other);
  }
  /** This tensor raised elementwise to `exponent` (see `pow`). */
  pow(exponent: TensorLike): Tensor {
    return pow(this, exponent);
  }
  /** Elementwise |x| (see `abs`). */
  abs(): Tensor {
    return abs(this);
  }
  /** Elementwise logistic sigmoid `1 / (1 + e^-x)` (see `sigmoid`). */
  sigmoid(): Tensor {
    return sigmoid(this);
  }
  /** This tensor limited to [min, max]; either bound may be undefined (see `clamp`). */
  clamp(min: number | undefined, max: number | undefined): Tensor {
    return clamp(this, min, max);
  }
  /** 1 where `this === other` elementwise, else 0 (see `equal`). */
  equal(other: TensorLike): Tensor {
    return equal(this, other);
  }
  /** Elementwise `-x` (see `neg`). */
  neg(): Tensor {
    return neg(this);
  }
  /** Elementwise `e^x` (see `exp`). */
  exp(): Tensor {
    return exp(this);
  }
  /** Elementwise natural logarithm (see `log`). */
  log(): Tensor {
    return log(this);
  }
  /** Elementwise hyperbolic tangent (see `tanh`). */
  tanh(): Tensor {
    return tanh(this);
  }
  /** Elementwise square root (see `sqrt`). */
  sqrt(): Tensor {
    return sqrt(this);
  }
  /** Elementwise `x * x` (see `square`). */
  square(): Tensor {
    return square(this);
  }
  /** `max(x, 0)` elementwise (see `relu`). */
  relu(): Tensor {
    return relu(this);
  }
  /** GELU activation (see `gelu`). */
  gelu(): Tensor {
    return gelu(this);
  }
  /** This tensor converted to `dtype` (see `cast`). */
  cast(dtype: DType): Tensor {
    return cast(this, dtype);
  }
  /** Matrix product `this · other`, optionally transposed (see `matmul`). */
  matmul(other: Tensor, options?: MatmulOptions): Tensor {
    return matmul(this, other, options);
  }
  /** The same elements in a new shape; one axis may be -1 (see `reshape`). */
  reshape(shape: Shape): Tensor {
    return reshape(this, shape);
  }
  /** This tensor with two axes swapped (default: the last two) (see `transpose`). */
  transpose(axisA?: number, axisB?: number): Tensor {
    return transpose(this, axisA, axisB);
  }
  /** This tensor with its axes reordered (see `permute`). */
  permute(axes: readonly number[]): Tensor {
    return permute(this, axes);
  }
  /** The block starting at `begin` of `size` (default: to the end) (see `slice`). */
  slice(begin: readonly number[], size?: readonly number[]): Tensor {
    return slice(this, begin, size);
  }
  /** This tensor repeated along broadcast axes to `shape` (see `broadcastTo`). */
  broadcastTo(shape: Shape): Tensor {
    return broadcastTo(this, shape);
  }
  /** Slices of this tensor at `indices` along `axis` (default 0) (see `gather`). */
  gather(indices: Tensor, axis?: number): Tensor {
    return gather(this, indices, axis);
  }
  /** Sum over `axes` (default: all) (see `sum`). */
  sum(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return sum(this, axes, options);
  }
  /** Mean over `axes` (default: all) (see `mean`). */
  mean(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return mean(this, axes, options);
  }
  /** Maximum over `axes` (default: all) (see `max`). */
  max(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return max(this, axes, options);
  }
  /** Minimum over `axes` (default: all) (see `min`). */
  min(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return min(this, axes, options);
  }
  /** Index of the largest value along `axis` (default: flattened), as i32 (see `argMax`). */
  argMax(axis?: number, options?: ArgReduceOptions): Tensor {
    return argMax(this, axis, options);
  }
  /** Index of the smallest value along `axis` (default: flattened), as i32 (see `argMin`). */
  argMin(axis?: number, options?: ArgReduceOptions): Tensor {
    return argMin(this, axis, options);
  }
  /** Softmax along `axis` (default: last) (see `softmax`). */
  softmax(axis?: number): Tensor {
    return softmax(this, axis);
  }
  /** Log-softmax along `axis` (default: last) (see `logSoftmax`). */
  logSoftmax(axis?: number): Tensor {
    return logSoftmax(this, axis);
  }
}

Object.defineProperty(Tensor.prototype, TENSOR_BRAND, { value: true });

/** What a caller passed where a typed array was expected, for error messages. */
function describeArray(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  const name: string = value.constructor?.name ?? 'object';
  const length = ArrayBuffer.isView(value) || Array.isArray(value) ? ` of ${(value as { length: number }).length} elements` : '';
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}${length}`;
}

/** Row-major values as nested arrays of `shape`. Iterative: builds the innermost rows first. */
function nest(values: ArrayLike<number>, shape: Shape): NestedArray {
  if (shape.length === 0) return values[0]!;
  let level: NestedArray[] = Array.from(values);
  for (let d = shape.length - 1; d >= 1; d--) {
    const n = shape[d]!;
    const rows = sizeOfLeading(shape, d);
    const next: NestedArray[] = new Array<NestedArray>(rows);
    for (let i = 0; i < rows; i++) next[i] = level.slice(i * n, (i + 1) * n);
    level = next;
  }
  return level;
}

/** Number of rows of length shape[d] (the product of the dimensions before d). */
function sizeOfLeading(shape: Shape, d: number): number {
  return shape.slice(0, d).reduce((p, n) => p * n, 1);
}

/** @internal Wraps a fresh backend allocation in a tensor (the op's output). */
export function fromStorage(backend: Backend, storage: object, shape: Shape, dtype: DType): Tensor {
  return new Tensor(newHandle(backend, storage), shape, dtype);
}

/** @internal A tensor sharing `source`'s storage under another shape (reshape). */
export function sharing(source: Tensor, shape: Shape, op: string): Tensor {
  return new Tensor(source.handle(op), shape, source.dtype);
}
