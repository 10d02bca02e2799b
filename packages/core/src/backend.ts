import type { MatmulDims } from './matmul-contract';
import type { Shape } from './shape';

/**
 * The `Backend` interface: memory (upload, read, free) plus a small table of kernels.
 *
 * Core validates every call before it reaches a backend (the `*-contract` and `ops/*` files), so
 * a kernel receives only well-formed plans and may trust them. Kernels are synchronous and return
 * a fresh output storage: a WASM backend runs the kernel on offsets into linear memory; a WebGPU
 * backend enqueues work and returns the buffer it will write. Only `read` is asynchronous, so a
 * training step never waits on the device until a value is asked for.
 *
 * `S` is the backend's own handle for one allocation (a `{ ptr, length }` in linear memory, a
 * `GPUBuffer`, a typed array on cpu). Core never looks inside it; it reference-counts handles and
 * calls `free` exactly once per handle. Kernels must not mutate their inputs, except the in-place
 * update kernels named as such (`fused.adamw`).
 */
export type DType = 'f32' | 'i32';
/** The typed arrays tensor data is read and written as: `Float32Array` (f32) or `Int32Array` (i32). */
export type TypedArray = Float32Array | Int32Array;

/** Elementwise unary ops a backend implements (`step` is the derivative of `relu`: 1 where x > 0). */
export type UnaryOp = 'neg' | 'exp' | 'log' | 'tanh' | 'sqrt' | 'relu' | 'step';
/**
 * `equal` yields 1 or 0 in the operands' dtype. On i32: add, sub and mul wrap (two's
 * complement), `div` truncates toward zero and gives 0 for a zero divisor (never traps).
 */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'equal';
/** Reductions a backend implements: `sum` and `max`. */
export type ReduceOp = 'sum' | 'max';

/** Elementwise op with broadcasting: out[i] = a[Σ idx·aStrides] ∘ b[Σ idx·bStrides]. */
export interface BinaryPlan {
  readonly outShape: Shape;
  readonly size: number;
  /** Element strides of A per output dimension; 0 where A is broadcast. */
  readonly aStrides: readonly number[];
  readonly bStrides: readonly number[];
}

/** Reduce the middle axis of x viewed as [outer, size, inner] → out [outer, inner]. */
export interface ReducePlan {
  readonly outer: number;
  readonly size: number;
  readonly inner: number;
}

/** Strided gather: out[idx] = x[offset + Σ idx_d · strides_d]. Covers permute, slice, broadcast. */
export interface StridedPlan {
  readonly outShape: Shape;
  readonly size: number;
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Zero padding: out has `outShape`; x ([inShape]) lands at `before` in every dimension. */
export interface PadPlan {
  readonly inShape: Shape;
  readonly outShape: Shape;
  readonly before: readonly number[];
  readonly size: number;
}

/**
 * x viewed as [outer, axisSize, inner], indices flat [count] (i32, each in [0, axisSize)),
 * out [outer, count, inner]. `scatterAdd` is the adjoint: updates [outer, count, inner] summed
 * into zeros [outer, axisSize, inner].
 */
export interface GatherPlan {
  readonly outer: number;
  readonly axisSize: number;
  readonly inner: number;
  readonly count: number;
}

/**
 * Multi-head attention on [B, T, C] operands, C = H·D, head h owning channels [h·D, (h+1)·D).
 * Causal masks key j > query i (top-left aligned, as PyTorch). `keyMask` is f32 [B, Tk]: 1 attends,
 * 0 is padding. Masked scores are -1e9 before the softmax (never -inf, so a fully masked row gives
 * a uniform distribution, not NaN).
 */
export interface AttentionPlan {
  readonly B: number;
  readonly H: number;
  readonly Tq: number;
  readonly Tk: number;
  readonly D: number;
  readonly causal: boolean;
  readonly scale: number;
}

/** Hyper-parameters of one fused AdamW update (`FusedKernels.adamw`) of `size` elements. */
export interface AdamWPlan {
  readonly size: number;
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  /** 1-based step count used for bias correction. */
  readonly step: number;
}

/**
 * Optional fused kernels. Each has a default body in core built from the primitives; a backend
 * that provides one replaces that body. Names are the same in core ops, here and in Rust/WGSL.
 * `rows × cols` ops act on the last axis of a contiguous tensor.
 */
export interface FusedKernels<S> {
  gelu?: {
    /** GELU (tanh approximation) of `size` elements. */
    forward(x: S, size: number): S;
    /** Gradient of GELU at `x` times `dy`. */
    backward(x: S, dy: S, size: number): S;
  };
  softmax?: {
    /** Softmax of each row of a `[rows, cols]` tensor. */
    forward(x: S, rows: number, cols: number): S;
    /** Gradient of softmax from its output `y` and upstream `dy`. */
    backward(y: S, dy: S, rows: number, cols: number): S;
  };
  logSoftmax?: {
    /** Log-softmax of each row of a `[rows, cols]` tensor. */
    forward(x: S, rows: number, cols: number): S;
    /** Gradient of log-softmax from its output `y` and upstream `dy`. */
    backward(y: S, dy: S, rows: number, cols: number): S;
  };
  layerNorm?: {
    /** mean and rstd are [rows], kept for backward. */
    forward(x: S, gamma: S, beta: S, rows: number, cols: number, epsilon: number): { y: S; mean: S; rstd: S };
    /** Gradients of x, gamma and beta from `dy` and the saved `mean`/`rstd`. */
    backward(dy: S, x: S, gamma: S, mean: S, rstd: S, rows: number, cols: number): { dx: S; dgamma: S; dbeta: S };
  };
  biasGelu?: {
    /** y = gelu(x + bias) (tanh form, as `gelu`) of x [rows, cols] and bias [cols], broadcast over rows. */
    forward(x: S, bias: S, rows: number, cols: number): S;
    /** dx = dy · gelu'(x + bias) [rows, cols] and dbias = Σ_rows dx [cols]. */
    backward(x: S, bias: S, dy: S, rows: number, cols: number): { dx: S; dbias: S };
  };
  addLayerNorm?: {
    /**
     * The residual add and layer norm of a pre-LN block in one pass: sum = x + residual and
     * y = layerNorm(sum, gamma, beta, epsilon), all [rows, cols]. stats [2, rows]: the mean of each
     * row of `sum`, then each rstd (one buffer, so a WGSL kernel fits 8 storage bindings).
     */
    forward(x: S, residual: S, gamma: S, beta: S, rows: number, cols: number, epsilon: number): { sum: S; y: S; stats: S };
    /** Layer norm's gradients at `sum` from `dy` (the add passes dx through to x and residual). */
    backward(dy: S, sum: S, gamma: S, stats: S, rows: number, cols: number): { dx: S; dgamma: S; dbeta: S };
  };
  attention?: {
    /** stats: [B, H, Tq] log-sum-exp of each scaled score row, kept for backward (flash style). */
    forward(q: S, k: S, v: S, keyMask: S | null, plan: AttentionPlan): { out: S; stats: S };
    /**
     * Gradients of the attention inputs from `dOut`, recomputing scores from `stats` (no stored probabilities).
     */
    backward(q: S, k: S, v: S, keyMask: S | null, out: S, stats: S, dOut: S, plan: AttentionPlan): { dq: S; dk: S; dv: S };
  };
  softmaxCrossEntropy?: {
    /**
     * logits f32 [rows, cols], targets i32 [rows]; rows whose target is `ignoreIndex` count for
     * nothing. loss: [1], the mean over counted rows (0 when none). probabilities [rows, cols]
     * are kept for backward.
     */
    forward(logits: S, targets: S, rows: number, cols: number, ignoreIndex: number): { loss: S; probabilities: S };
    /** dLoss: [1]. */
    backward(probabilities: S, targets: S, dLoss: S, rows: number, cols: number, ignoreIndex: number): S;
  };
  /** In place: updates param, m and v (all f32 [size]) from grad. */
  adamw?(param: S, grad: S, m: S, v: S, plan: AdamWPlan): void;
}

/**
 * A compute backend: storage handles of type `S` and the kernels core's ops call. Register one with `registerBackend`; core checks shapes and dtypes before calling any method.
 */
export interface Backend<S extends object = object> {
  readonly name: string;

  // Memory. Every handle returned by `upload` or a kernel is freed exactly once by core.
  /** Copies `values` into new backend storage of `dtype` and returns its handle. */
  upload(values: TypedArray, dtype: DType): S;
  /** Copies `size` elements out; the result belongs to the caller. */
  read(storage: S, dtype: DType, size: number): Promise<TypedArray>;
  /** Present when the backend can read without waiting (cpu, wasm); absent on WebGPU. */
  readSync?(storage: S, dtype: DType, size: number): TypedArray;
  /**
   * Optional, with `readSync`: copies the first `out.length` elements into `out` (a typed array
   * of `dtype`, any buffer, shared ones included) without allocating. Core falls back to
   * `out.set(readSync(...))`.
   */
  readInto?(storage: S, dtype: DType, out: TypedArray): void;
  /**
   * Optional: overwrites the first `values.length` elements of `storage` in place (`values` is
   * of `dtype`; the caller keeps it). Core falls back to `upload` and swapping the tensor's storage.
   */
  write?(storage: S, values: TypedArray, dtype: DType): void;
  /** Releases storage from `upload` or a kernel; core calls it exactly once per handle. */
  free(storage: S): void;
  /** Bytes currently held for tensors (excluding kernel scratch). */
  bytesInUse(): number;

  // Required primitives.
  /** New storage of `size` elements, every one set to `value`. */
  fill(size: number, value: number, dtype: DType): S;
  /** i32 is only ever asked for `neg`; every other unary op is f32. */
  unary(op: UnaryOp, x: S, size: number, dtype: DType): S;
  /** Elementwise `op` of `a` and `b` with broadcasting described by `plan` (strides 0 on broadcast axes). */
  binary(op: BinaryOp, a: S, b: S, plan: BinaryPlan, dtype: DType): S;
  /** f32 only; dims from `matmulDims` (row-major, batch outermost, transposes read in place). */
  matmul(a: S, b: S, dims: MatmulDims): S;
  /** Sum or max over the middle axis of `x` viewed as `[outer, size, inner]` (see `ReducePlan`). */
  reduce(op: ReduceOp, x: S, plan: ReducePlan, dtype: DType): S;
  /** Gathers a strided view of `x` (`plan`: output shape, strides, offset) into new contiguous storage. */
  copyStrided(x: S, plan: StridedPlan, dtype: DType): S;
  /** Copies `x` into a larger zero-filled output, offset by `plan.before` on each axis. */
  pad(x: S, plan: PadPlan, dtype: DType): S;
  /**
   * Indices are data, so only the backend can range-check them: throw a `WattformerError`
   * (`E_ARGUMENT`, op `gather`/`scatterAdd`) before writing anything. A backend that cannot read
   * them synchronously (WebGPU) must document what it does instead and skip that refusal check.
   */
  gather(x: S, indices: S, plan: GatherPlan, dtype: DType): S;
  /**
   * Backward of `gather`: adds each row of `updates` into a zeroed `[outer, axisSize, inner]` output at its index (f32).
   */
  scatterAdd(updates: S, indices: S, plan: GatherPlan): S;
  /**
   * Converts `size` elements from dtype `from` to `to` (f32 to i32 truncates toward zero) into new storage.
   */
  cast(x: S, size: number, from: DType, to: DType): S;
  /** f32 uniforms in [0, 1): element i is `uniformAt(seed, (offset + i) mod 2^32)` (random.ts), bit-exact. */
  randomUniform(size: number, seed: number, offset: number): S;

  /**
   * Largest single allocation in bytes (wasm32: under 4 GiB). Core refuses a bigger output
   * before calling any kernel, with a message naming the op and the shapes.
   */
  readonly maxBufferBytes?: number;

  readonly fused?: FusedKernels<S>;
  /** Releases everything the backend holds. For its owner (tests, apps); core never calls it. */
  dispose?(): void;
}

/** Creates a backend; may be async (a WASM module to compile, a GPU device to request). */
export type BackendFactory = () => Backend | Promise<Backend>;

/** Bytes per element of each dtype (4 for f32 and i32). */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { f32: 4, i32: 4 };
