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
 * Picks a token from `logits` (V) after the repetition penalty was applied. `uniform` in [0, 1)
 * drives the draw, so the same uniform gives the same token on every backend and run.
 */
export function pickToken(logits: Float32Array, options: SamplingOptions, uniform: number): number {
  if (!options.sample) return argmax(logits);
  const temperature = options.temperature ?? 1;
  // Candidates by descending logit (index breaks ties), so top-k, top-p and the draw are deterministic.
  const order = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]! || a - b);
  const keep = Math.min(order.length, options.topK ?? order.length);
  const top = logits[order[0]!]!;
  const weights: number[] = [];
  let total = 0;
  for (let i = 0; i < keep; i++) {
    const w = Math.exp((logits[order[i]!]! - top) / temperature); // f64, stable: max term is 1
    weights.push(w);
    total += w;
  }
  const topP = options.topP ?? 1;
  let count = weights.length;
  if (topP < 1) {
    let cumulative = 0;
    for (let i = 0; i < weights.length; i++) {
      cumulative += weights[i]! / total;
      if (cumulative >= topP) {
        count = i + 1;
        break;
      }
    }
  }
  let kept = 0;
  for (let i = 0; i < count; i++) kept += weights[i]!;
  let target = uniform * kept;
  for (let i = 0; i < count; i++) {
    target -= weights[i]!;
    if (target < 0) return order[i]!;
  }
  return order[count - 1]!;
}
