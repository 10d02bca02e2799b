/**
 * Padded classification batches: each text is encoded once, truncated to `maxLength` tokens,
 * and batches are right-padded to their longest row with a key mask (1 real, 0 padding), the
 * layout the classifiers' pooling and attention masks read. Training batches walk seeded
 * shuffles of the examples epoch after epoch; `state()` / `restore()` carry the position.
 */
import { trainerError } from '../errors';
import { seededShuffle, type LabelledText } from './labelled-data';

/** One labelled example after tokenizing: its token ids and label. */
export interface EncodedExample {
  /** Token ids after truncation, 1 … maxLength of them. */
  readonly tokens: Int32Array;
  readonly label: number;
}

/**
 * One classification batch: right-padded token ids (B, T), the key mask (1 for real tokens) and each row's label as `targets`.
 */
export interface ClassificationBatch {
  /** i32 [batchSize · length], row-major (B, T), right-padded with `padId`. */
  readonly tokens: Int32Array;
  /** f32 [batchSize · length]: 1 for real tokens, 0 for padding. */
  readonly keyMask: Float32Array;
  /** i32 [batchSize]: the class of each row (named `targets` so the train loop can read any batch). */
  readonly targets: Int32Array;
  readonly batchSize: number;
  /** T: the longest row of this batch. */
  readonly length: number;
}

/** Options of `encodeExamples`: the maximum length and which end of a long text to keep. */
export interface EncodeOptions {
  readonly maxLength: number;
  /** Which tokens a long text keeps: its first (`'start'`, default) or last (`'end'`) maxLength. */
  readonly truncation?: 'start' | 'end';
}

/** Encodes and truncates every example; a text that encodes to nothing is refused by index. */
export function encodeExamples(examples: readonly LabelledText[], encode: (text: string) => ArrayLike<number>, options: EncodeOptions): EncodedExample[] {
  const { maxLength } = options;
  if (!Number.isInteger(maxLength) || maxLength < 1)
    throw trainerError('E_ARGUMENT', 'encodeExamples', 'maxLength to be a positive integer', String(maxLength));
  const truncation = options.truncation ?? 'start';
  if (truncation !== 'start' && truncation !== 'end')
    throw trainerError('E_UNKNOWN_CHOICE', 'encodeExamples', 'truncation among start, end', `'${String(truncation)}'`);
  return examples.map((example, i) => {
    const ids = Int32Array.from(encode(example.text));
    if (ids.length === 0) throw trainerError('E_ARGUMENT', 'encodeExamples', `example ${i} to have at least one token`, 'an empty text');
    const tokens = ids.length <= maxLength ? ids : truncation === 'start' ? ids.slice(0, maxLength) : ids.slice(ids.length - maxLength);
    return { tokens, label: example.label };
  });
}

/** Right-pads `rows` into one batch. */
export function padBatch(rows: readonly EncodedExample[], padId = 0): ClassificationBatch {
  const B = rows.length;
  const T = rows.reduce((longest, row) => Math.max(longest, row.tokens.length), 1);
  const tokens = new Int32Array(B * T).fill(padId);
  const keyMask = new Float32Array(B * T);
  const targets = new Int32Array(B);
  rows.forEach((row, b) => {
    tokens.set(row.tokens, b * T);
    keyMask.fill(1, b * T, b * T + row.tokens.length);
    targets[b] = row.label;
  });
  return { tokens, keyMask, targets, batchSize: B, length: T };
}

/** Where a `ClassificationBatches` stream stands: epoch and position. */
export interface ClassificationBatchState {
  readonly epoch: number;
  readonly cursor: number;
}

/** Endless training batches: epoch e is `seededShuffle(examples, seed + e)`; a batch never spans two epochs. */
export class ClassificationBatches {
  readonly #examples: readonly EncodedExample[];
  readonly #batchSize: number;
  readonly #seed: number;
  readonly #padId: number;
  #epoch = 0;
  #cursor = 0;
  #order: readonly EncodedExample[];

  constructor(examples: readonly EncodedExample[], options: { batchSize: number; seed: number; padId?: number }) {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw trainerError('E_ARGUMENT', 'classificationBatches', 'batchSize to be a positive integer', String(batchSize));
    if (examples.length < batchSize) {
      throw trainerError(
        'E_ARGUMENT',
        'classificationBatches',
        `at least batchSize = ${batchSize} examples`,
        String(examples.length),
        'use more examples or a smaller batch',
      );
    }
    this.#examples = examples;
    this.#batchSize = batchSize;
    this.#seed = options.seed;
    this.#padId = options.padId ?? 0;
    this.#order = seededShuffle(examples, this.#seed);
  }

  /** Completed passes over the examples plus the fraction of the current one. */
  get epochs(): number {
    return this.#epoch + this.#cursor / this.#examples.length;
  }

  /** The next batch (padded to its longest example); a new epoch reshuffles. */
  next(): ClassificationBatch {
    if (this.#cursor + this.#batchSize > this.#order.length) this.restore({ epoch: this.#epoch + 1, cursor: 0 });
    const rows = this.#order.slice(this.#cursor, this.#cursor + this.#batchSize);
    this.#cursor += this.#batchSize;
    return padBatch(rows, this.#padId);
  }

  /** The stream's epoch and position, for checkpoints. */
  state(): ClassificationBatchState {
    return { epoch: this.#epoch, cursor: this.#cursor };
  }

  /** Moves the stream back to a saved `state()`. */
  restore(state: ClassificationBatchState): void {
    if (state.epoch !== this.#epoch || this.#order.length === 0) this.#order = seededShuffle(this.#examples, this.#seed + state.epoch);
    this.#epoch = state.epoch;
    this.#cursor = state.cursor;
  }
}
