import type { DType } from './backend';
import { formatShape, type Shape } from './shape';

/** Values are summarised (`...`) when a tensor has more elements than this, as NumPy does. */
export const SUMMARY_THRESHOLD = 1000;
/** Elements kept at each end of a summarised axis. */
export const SUMMARY_EDGE = 3;

export interface FormatOptions {
  /** Summarise every axis longer than 2·edge (default: only when size > SUMMARY_THRESHOLD). */
  readonly summarize?: boolean;
}

/** Indices shown along an axis of length n: all, or the first and last `edge` with a gap (-1). */
function shownIndices(n: number, summarize: boolean): number[] {
  if (!summarize || n <= 2 * SUMMARY_EDGE) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: SUMMARY_EDGE }, (_, i) => i);
  const tail = Array.from({ length: SUMMARY_EDGE }, (_, i) => n - SUMMARY_EDGE + i);
  return [...head, -1, ...tail];
}

type NumberStyle = 'integer' | 'fixed' | 'exponential';

function styleOf(values: readonly number[], dtype: DType): NumberStyle {
  if (dtype === 'i32') return 'integer';
  let integers = true;
  let largest = 0;
  let smallest = Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v) || Math.abs(v) >= 1e9) integers = false;
    if (v !== 0) {
      largest = Math.max(largest, Math.abs(v));
      smallest = Math.min(smallest, Math.abs(v));
    }
  }
  if (integers) return 'integer';
  return largest < 1e6 && smallest >= 1e-4 ? 'fixed' : 'exponential';
}

function formatNumber(value: number, style: NumberStyle): string {
  if (!Number.isFinite(value)) return String(value);
  if (style === 'integer') return Object.is(value, -0) ? '-0' : String(value);
  if (style === 'fixed') return value.toFixed(4);
  return value.toExponential(4);
}

/**
 * The values of a row-major tensor as nested brackets, TF.js / NumPy style: numbers right-aligned
 * to one width, one innermost row per line, long axes summarised as `first 3, ..., last 3` when
 * the tensor has more than {@link SUMMARY_THRESHOLD} elements. Iterative (no recursion on rank).
 */
export function formatValues(values: ArrayLike<number>, shape: Shape, dtype: DType, options: FormatOptions = {}): string {
  const rank = shape.length;
  if (rank === 0) return formatNumber(values[0]!, styleOf([values[0]!], dtype));
  const size = shape.reduce((p, n) => p * n, 1);
  const summarize = options.summarize ?? size > SUMMARY_THRESHOLD;
  const axes = shape.map((n) => shownIndices(n, summarize));
  const strides = new Array<number>(rank);
  for (let d = rank - 1, stride = 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d]!;
  }
  if (size === 0) return `${'['.repeat(rank)}${']'.repeat(rank)}`;
  // Pass 1: the flat offsets of every shown element, in order, to pick one style and width.
  const shown: number[] = [];
  const position = new Array<number>(rank).fill(0);
  const offsetOf = (): number | null => {
    let offset = 0;
    for (let d = 0; d < rank; d++) {
      const index = axes[d]![position[d]!]!;
      if (index < 0) return null;
      offset += index * strides[d]!;
    }
    return offset;
  };
  const advance = (): number => {
    // Returns how many trailing axes wrapped (rank when done).
    for (let d = rank - 1; d >= 0; d--) {
      position[d]! += 1;
      if (position[d]! < axes[d]!.length) return rank - 1 - d;
      position[d] = 0;
    }
    return rank;
  };
  for (let wrapped = 0; wrapped < rank; wrapped = advance()) {
    const offset = offsetOf();
    if (offset !== null) shown.push(values[offset]!);
  }
  const style = styleOf(shown, dtype);
  const texts = shown.map((v) => formatNumber(v, style));
  let width = 1;
  for (const text of texts) width = Math.max(width, text.length);
  // Pass 2: lay the elements out, opening and closing brackets as axes wrap.
  let out = '['.repeat(rank);
  let next = 0;
  position.fill(0);
  for (let wrapped = 0; ; ) {
    const index = axes.map((list, d) => list[position[d]!]!);
    const gapAxis = index.findIndex((i) => i < 0);
    if (gapAxis === rank - 1) out += '...'.padStart(width);
    else if (gapAxis >= 0) {
      // A summarised outer axis: one `...` line stands for the hidden blocks; skip to its end.
      out += '...';
      for (let d = gapAxis + 1; d < rank; d++) position[d] = axes[d]!.length - 1;
    } else out += texts[next++]!.padStart(width);
    wrapped = advance();
    if (wrapped === rank) break;
    const close = wrapped;
    out += ']'.repeat(close) + ',';
    out += close === 0 ? ' ' : '\n'.repeat(close > 1 ? 2 : 1) + ' '.repeat(rank - close) + '['.repeat(close);
  }
  return out + ']'.repeat(rank);
}

/** `Tensor(f32 [2,3])` followed by the formatted values, or a note on why they are not shown. */
export function describeTensor(shape: Shape, dtype: DType, values: ArrayLike<number> | null, note?: string): string {
  const head = `Tensor(${dtype} ${formatShape(shape)}${note ? `, ${note}` : ''})`;
  if (values === null) return head;
  const body = formatValues(values, shape, dtype);
  return `${head}\n${body
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n')}`;
}
