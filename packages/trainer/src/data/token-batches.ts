import { trainerError } from '../errors';

/**
 * Next-token batches from one token stream (i32): x = tokens[s, s+T), y = tokens[s+1, s+T+1).
 * `random` draws window starts from a seeded generator (nanoGPT's get_batch); `sequential` walks
 * the stream in non-overlapping chunks and wraps, so an epoch sees every token once.
 * The position (`state()`) is saved in checkpoints so a resumed run sees the same batches.
 */
export interface TokenBatchOptions {
  readonly batchSize: number;
  readonly contextLength: number;
  readonly order?: 'random' | 'sequential';
  readonly seed?: number;
}

/**
 * Tokens read by window, so a stream larger than memory trains without being loaded: an array in
 * memory (`tokenSource`) or a token file (`openTokenFile` in `@wattformer/trainer/node`).
 */
export interface TokenSource {
  /** Number of tokens. */
  readonly length: number;
  /** Copies tokens [start, start + out.length) into `out`; the range is inside [0, length). */
  read(start: number, out: Int32Array): void;
}

/** A token source over an array in memory (no copy). */
export function tokenSource(tokens: Int32Array | Uint16Array | Uint32Array): TokenSource {
  return { length: tokens.length, read: (start, out) => out.set(tokens.subarray(start, start + out.length)) };
}

/** Tokens [start, end) of a source, as a source (no copy). */
export function sliceTokenSource(source: TokenSource, start: number, end: number): TokenSource {
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= source.length)) {
    throw trainerError('E_ARGUMENT', 'sliceTokenSource', `0 ≤ start ≤ end ≤ ${source.length}`, `[${start}, ${end})`);
  }
  return { length: end - start, read: (at, out) => source.read(start + at, out) };
}

/** One language-model batch: input tokens and next-token targets, each row-major (B, T). */
export interface TokenBatch {
  /** i32 [batchSize · contextLength], row-major (B, T). */
  readonly tokens: Int32Array;
  readonly targets: Int32Array;
}

/** Where a `TokenBatches` stream stands (position and random state), to resume it. */
export interface TokenBatchState {
  readonly rng: number;
  readonly cursor: number;
}

/**
 * Endless random (B, T) windows of a token stream for language-model training, reproducible from a seed and resumable.
 */
export class TokenBatches {
  readonly #stream: Int32Array | null;
  readonly #source: TokenSource;
  #window: Int32Array;
  readonly #options: Required<TokenBatchOptions>;
  #rng: number;
  #cursor = 0;

  /** `stream`: the tokens in memory, or a `TokenSource` read one window (T + 1 tokens) at a time. */
  constructor(stream: Int32Array | TokenSource, options: TokenBatchOptions) {
    const { batchSize, contextLength } = options;
    for (const [name, value] of [
      ['batchSize', batchSize],
      ['contextLength', contextLength],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) throw trainerError('E_ARGUMENT', 'batches', `${name} to be a positive integer`, String(value));
    }
    if (stream.length < contextLength + 1) {
      throw trainerError(
        'E_ARGUMENT',
        'batches',
        `a token stream longer than contextLength + 1 = ${contextLength + 1}`,
        `${stream.length} tokens`,
        'use more text or a shorter context',
      );
    }
    this.#stream = stream instanceof Int32Array ? stream : null;
    this.#source = stream instanceof Int32Array ? tokenSource(stream) : stream;
    this.#window = new Int32Array(contextLength + 1);
    this.#options = { order: 'random', seed: 1, ...options };
    this.#rng = this.#options.seed >>> 0 || 1;
  }

  /** xorshift32: cheap, seeded, and its state is one number for checkpoints. */
  #nextInt(n: number): number {
    let x = this.#rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#rng = x >>> 0;
    return this.#rng % n;
  }

  /** The next batch: random windows of the token stream, targets shifted by one. */
  next(): TokenBatch {
    const { batchSize: B, contextLength: T, order } = this.#options;
    const tokens = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    const starts = this.#source.length - T - 1;
    for (let b = 0; b < B; b++) {
      let start: number;
      if (order === 'random') start = this.#nextInt(starts + 1);
      else {
        if (this.#cursor > starts) this.#cursor = 0;
        start = this.#cursor;
        this.#cursor += T;
      }
      if (this.#stream) {
        tokens.set(this.#stream.subarray(start, start + T), b * T);
        targets.set(this.#stream.subarray(start + 1, start + T + 1), b * T);
      } else {
        this.#source.read(start, this.#window);
        tokens.set(this.#window.subarray(0, T), b * T);
        targets.set(this.#window.subarray(1), b * T);
      }
    }
    return { tokens, targets };
  }

  /** The stream's position and random state, for checkpoints. */
  state(): TokenBatchState {
    return { rng: this.#rng, cursor: this.#cursor };
  }

  /** Moves the batch stream back to a saved `state()` (for resuming from a checkpoint). */
  restore(state: TokenBatchState): void {
    this.#rng = state.rng >>> 0;
    this.#cursor = state.cursor;
  }
}

/** The first `1 − validationFraction` of the stream trains, the rest validates (nanoGPT's rule). */
export function splitTokens(stream: Int32Array, validationFraction?: number): { train: Int32Array; validation: Int32Array };
export function splitTokens(stream: TokenSource, validationFraction?: number): { train: TokenSource; validation: TokenSource };
export function splitTokens(
  stream: Int32Array | TokenSource,
  validationFraction = 0.1,
): { train: Int32Array | TokenSource; validation: Int32Array | TokenSource } {
  if (!(validationFraction > 0 && validationFraction < 1)) {
    throw trainerError('E_ARGUMENT', 'splitTokens', 'validationFraction in (0, 1)', String(validationFraction));
  }
  const cut = Math.floor(stream.length * (1 - validationFraction));
  if (stream instanceof Int32Array) return { train: stream.subarray(0, cut), validation: stream.subarray(cut) };
  return { train: sliceTokenSource(stream, 0, cut), validation: sliceTokenSource(stream, cut, stream.length) };
}
