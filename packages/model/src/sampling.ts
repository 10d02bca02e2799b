/**
 * Choosing the next token from one row of logits, in plain TypeScript on the host (a row is V
 * numbers). Order as in Hugging Face's logits processors: repetition penalty, then temperature,
 * top-k and top-p, then a draw. Greedy ignores everything but the repetition penalty.
 */

export interface SamplingOptions {
  /** Draw from the distribution (true) or take the most likely token (false, the default). */
  readonly sample?: boolean;
  /** Divides the logits before sampling; < 1 sharpens, > 1 flattens. Default 1. */
  readonly temperature?: number;
  /** Keep only the k most likely tokens. Default: all. */
  readonly topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p (nucleus). Default 1. */
  readonly topP?: number;
  /** > 1 discourages tokens already in the sequence (CTRL's penalty, as in Hugging Face). Default 1. */
  readonly repetitionPenalty?: number;
}

/** CTRL-style penalty, in place: seen tokens' logits are divided by `penalty` if positive, else multiplied. */
export function applyRepetitionPenalty(logits: Float32Array, seen: Iterable<number>, penalty: number): void {
  if (penalty === 1) return;
  for (const token of new Set(seen)) {
    const value = logits[token]!;
    logits[token] = value > 0 ? value / penalty : value * penalty;
  }
}

/** Index of the largest logit; the lowest index wins a tie. */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

/**
 * Candidates in descending-logit order (index breaks ties), produced lazily from a binary max-heap:
 * building it is O(V) and each next candidate O(log V), so top-k 40 of a 100k vocabulary, or a
 * draw that lands in the first few tokens, no longer sorts the whole row (it did: ~32 ms a token
 * for cl100k). Same order as a full sort.
 */
class DescendingOrder {
  private readonly heap: Int32Array;
  private size: number;

  constructor(private readonly logits: Float32Array) {
    this.size = logits.length;
    this.heap = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) this.heap[i] = i;
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** Whether token a comes before token b: larger logit, then smaller index. */
  private before(a: number, b: number): boolean {
    const x = this.logits[a]!;
    const y = this.logits[b]!;
    return x > y || (x === y && a < b);
  }

  private siftDown(from: number): void {
    const heap = this.heap;
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) return;
      const right = left + 1;
      const child = right < this.size && this.before(heap[right]!, heap[left]!) ? right : left;
      if (!this.before(heap[child]!, heap[i]!)) return;
      const t = heap[i]!;
      heap[i] = heap[child]!;
      heap[child] = t;
      i = child;
    }
  }

  /** The next token in descending order; -1 when all were taken. */
  next(): number {
    if (this.size === 0) return -1;
    const top = this.heap[0]!;
    this.size--;
    if (this.size > 0) {
      this.heap[0] = this.heap[this.size]!;
      this.siftDown(0);
    }
    return top;
  }
}

/**
 * Picks a token from `logits` (V) after the repetition penalty was applied. `uniform` in [0, 1)
 * drives the draw, so the same uniform gives the same token on every backend and run. Candidates
 * are taken in descending-logit order (index breaks ties), so top-k, top-p and the draw are
 * deterministic; only as many as top-k, top-p and the draw need are ordered.
 */
export function pickToken(logits: Float32Array, options: SamplingOptions, uniform: number): number {
  if (!options.sample) return argmax(logits);
  const temperature = options.temperature ?? 1;
  const order = new DescendingOrder(logits);
  const keep = Math.min(logits.length, options.topK ?? logits.length);
  const first = order.next();
  const top = logits[first]!;
  const taken: number[] = [first];
  const weights: number[] = [1];
  const take = () => {
    const token = order.next();
    taken.push(token);
    weights.push(Math.exp((logits[token]! - top) / temperature)); // f64, stable: max term is 1
  };
  // The normaliser over the kept candidates: with top-k, take them all (k of them, in order);
  // without, sum every token in index order (no ordering needed).
  let total = 0;
  if (keep < logits.length) {
    while (taken.length < keep) take();
    for (const w of weights) total += w;
  } else {
    for (let i = 0; i < logits.length; i++) total += Math.exp((logits[i]! - top) / temperature);
  }
  // Top-p: the smallest prefix whose probability reaches p.
  const topP = options.topP ?? 1;
  let count = keep;
  if (topP < 1) {
    let cumulative = 0;
    for (let i = 0; i < keep; i++) {
      if (i === weights.length) take();
      cumulative += weights[i]! / total;
      if (cumulative >= topP) {
        count = i + 1;
        break;
      }
    }
  }
  let kept = total;
  if (count < keep) {
    kept = 0;
    for (let i = 0; i < count; i++) kept += weights[i]!;
  }
  let target = uniform * kept;
  for (let i = 0; i < count; i++) {
    if (i === weights.length) take();
    target -= weights[i]!;
    if (target < 0) return taken[i]!;
  }
  while (taken.length < count) take();
  return taken[count - 1]!;
}
