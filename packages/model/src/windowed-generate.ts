/**
 * Generation past the context length by a sliding window, on top of `generateStream`.
 *
 * GPT-2 adds learned ABSOLUTE positions to the input, so the keys and values of a KV cache belong
 * to the positions they were computed at: the cache cannot be shifted when the oldest token falls
 * out. When the sequence fills the context, the last `contextLength − windowStride` tokens are kept
 * and re-encoded in one forward pass (the cost of a slide), and generation goes on from the KV cache
 * for `windowStride` more tokens before the next slide. So every token is predicted from between
 * `contextLength − windowStride` and `contextLength − 1` previous tokens, and a slide costs one
 * prefill of `contextLength − windowStride` tokens every `windowStride` tokens.
 * `windowStride: 1` is nanoGPT's crop: every token after the first slide sees exactly the last
 * `contextLength − 1` tokens and costs a full forward pass over them (no cache reuse).
 *
 * While everything fits (prompt + maxNewTokens ≤ contextLength) this is exactly `generateStream`.
 * A prompt longer than `contextLength − 1` tokens keeps its last `contextLength − 1` tokens.
 */
import { rand } from '@wattformer/core';
import { lowbias32 } from '@wattformer/core/internal';
import { modelError } from './errors';
import { generateStream, type GenerateOptions, type GeneratedToken } from './generate';
import type { GptParameters } from './gpt';
import type { GptConfig } from './gpt-config';

export interface WindowedGenerateOptions extends GenerateOptions {
  /**
   * Tokens generated between two slides of the window once the sequence is longer than the
   * context; 1 ≤ windowStride < contextLength. Default: a quarter of the context (rounded up).
   */
  readonly windowStride?: number;
  /** Polled after every token: a row for which it returns true gets no more tokens (e.g. a stop string was seen). */
  readonly rowFinished?: (row: number) => boolean;
}

/** The default `windowStride`: a quarter of the context, at least 1 and below the context. */
export function defaultWindowStride(contextLength: number): number {
  return Math.min(Math.max(1, contextLength - 1), Math.max(1, Math.ceil(contextLength / 4)));
}

/**
 * Yields tokens as `generateStream` does (row, token, step counted from the row's first new token,
 * finishReason on a row's last token), for any `maxNewTokens`. Rows that `rowFinished` reports
 * done get no more tokens; the others go on.
 */
export async function* generateWindowed(
  parameters: GptParameters,
  config: GptConfig,
  prompts: readonly (readonly number[])[],
  options: WindowedGenerateOptions,
): AsyncGenerator<GeneratedToken, void, undefined> {
  const C = config.contextLength;
  const op = 'generateWindowed';
  if (C < 2) throw modelError(op, 'contextLength >= 2 to generate', String(C));
  const stride = options.windowStride ?? defaultWindowStride(C);
  if (!Number.isInteger(stride) || stride < 1 || stride >= C) {
    throw modelError(op, `windowStride an integer in [1, ${C - 1}] (below contextLength ${C})`, String(stride), `the default is ${defaultWindowStride(C)}`);
  }
  const { maxNewTokens } = options;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) throw modelError(op, 'maxNewTokens a positive integer', String(maxNewTokens));
  if (!Array.isArray(prompts) || prompts.length === 0) throw modelError(op, 'at least one prompt (an array of token ids)', 'none');
  const { rowFinished } = options;
  // One seed for the whole run (drawn as generateStream draws it), a derived one per window.
  const seed = options.sample && options.seed === undefined ? await drawSeed() : (options.seed ?? 0);
  const rows = prompts.map((prompt) => ({ ids: [...prompt], produced: 0, done: false }));
  const finished = (r: number) => rows[r]!.done || (rowFinished?.(r) ?? false);
  for (let window = 0; ; window++) {
    const active = rows.flatMap((_row, r) => (finished(r) ? [] : [r]));
    if (active.length === 0) return;
    const produced = rows[active[0]!]!.produced; // every active row has produced the same count
    const remaining = maxNewTokens - produced;
    const keep = window === 0 ? C - 1 : C - stride;
    const contexts = active.map((r) => rows[r]!.ids.slice(-keep));
    const longest = Math.max(...contexts.map((c) => c.length));
    const count = Math.min(remaining, C - longest);
    const windowSeed = window === 0 ? seed : mixSeed(seed, window);
    let stopped = false;
    const { logitsProcessor } = options;
    const windowOptions = {
      ...options,
      maxNewTokens: count,
      seed: windowSeed,
      // The processor sees the caller's row and the step counted from the row's first new token.
      ...(logitsProcessor
        ? { logitsProcessor: (row: number, logits: Float32Array) => logitsProcessor(active[row]!, logits, rows[active[row]!]!.produced) }
        : {}),
    };
    for await (const event of generateStream(parameters, config, contexts, windowOptions)) {
      const r = active[event.row]!;
      if (finished(r)) {
        if (active.every(finished)) {
          stopped = true;
          break; // frees the cache
        }
        continue;
      }
      const row = rows[r]!;
      row.ids.push(event.token);
      row.produced++;
      const last = row.produced === maxNewTokens;
      const finishReason = event.finishReason === 'stop' ? 'stop' : last ? 'length' : undefined;
      if (finishReason !== undefined) row.done = true;
      yield { row: r, token: event.token, step: row.produced - 1, ...(finishReason ? { finishReason } : {}) };
    }
    if (stopped) return;
  }
}

/** A seed for window `k` from the run's seed, so windows do not repeat each other's draws. */
const mixSeed = (seed: number, k: number): number => lowbias32((seed ^ Math.imul(k, 0x9e3779b9)) >>> 0);

/** As `generateStream` draws its seed: from core's random stream, so `setSeed(n)` makes runs reproducible. */
async function drawSeed(): Promise<number> {
  const t = rand([1]);
  try {
    const [u] = (await t.data()) as Float32Array;
    return Math.floor(u! * 2 ** 31);
  } finally {
    t.dispose();
  }
}
