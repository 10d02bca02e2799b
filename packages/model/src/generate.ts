/**
 * Autoregressive generation for the GPT: KV cache, greedy or seeded sampling, stop tokens, a
 * token limit, batches of prompts of different lengths, and tokens streamed as they are chosen.
 *
 * Batches are LEFT-padded: every prompt ends at the same slot, so each step appends one slot to
 * every row. Padding slots are masked out of attention (keyMask 0) and do not advance positions,
 * so a padded row produces exactly the tokens it would produce alone (as Hugging Face's GPT-2
 * does with `position_ids = cumsum(attention_mask) − 1`).
 */
import { noGrad, rand, reshape, slice, tensor, tidy, type Tensor } from '@wattformer/core';
import { uniformAt } from '@wattformer/core/internal';
import { modelError } from './errors';
import { gptLogits, type GptParameters } from './gpt';
import type { GptConfig } from './gpt-config';
import { KvCache } from './kv-cache';
import { applyRepetitionPenalty, pickToken, type SamplingOptions } from './sampling';

export interface GenerateOptions extends SamplingOptions {
  /** New tokens per prompt at most; prompt length + maxNewTokens must fit in contextLength. */
  readonly maxNewTokens: number;
  /** A row stops after producing one of these (the stop token is included in its output). */
  readonly stopTokens?: readonly number[];
  /** Seed of the draws: the same seed gives the same tokens. Default: from core's `setSeed` stream. */
  readonly seed?: number;
  /** Reuse past keys and values (default true); false re-runs the whole sequence every step. */
  readonly useCache?: boolean;
  /** Token ids never chosen (their logits become −∞), e.g. model ids the tokenizer cannot decode. */
  readonly suppressTokens?: readonly number[];
  /**
   * Called for each row before its token is chosen, after the repetition penalty and
   * `suppressTokens`, with the row, its logits (V, to edit in place: −∞ forbids a token) and the
   * row's step. It must leave at least one finite logit. E.g. `Utf8Constraint.mask`.
   */
  readonly logitsProcessor?: (row: number, logits: Float32Array, step: number) => void;
}

/**
 * One token streamed by `generate`'s `onToken`: which prompt row, the token, its step and, on a row's last token, why it stopped.
 */
export interface GeneratedToken {
  /** Index of the prompt this token continues. */
  readonly row: number;
  readonly token: number;
  /** 0 for each row's first new token. */
  readonly step: number;
  /** Set on a row's last token: 'stop' (a stop token) or 'length' (maxNewTokens reached). */
  readonly finishReason?: 'stop' | 'length';
}

/**
 * One prompt's result from `generate`: the new tokens and why generation stopped (`stop` token or `length`).
 */
export interface Generation {
  readonly tokens: number[];
  readonly finishReason: 'stop' | 'length';
}

/** Generates for every prompt; resolves to each row's new tokens. */
export async function generate(
  parameters: GptParameters,
  config: GptConfig,
  prompts: readonly (readonly number[])[],
  options: GenerateOptions,
): Promise<Generation[]> {
  const results = prompts.map((): { tokens: number[]; finishReason: 'stop' | 'length' } => ({ tokens: [], finishReason: 'length' }));
  for await (const { row, token, finishReason } of generateStream(parameters, config, prompts, options)) {
    results[row]!.tokens.push(token);
    if (finishReason !== undefined) results[row]!.finishReason = finishReason;
  }
  return results;
}

/**
 * Yields tokens as they are chosen, step by step, in row order within a step. Breaking out of
 * the loop frees the cache.
 */
export async function* generateStream(
  parameters: GptParameters,
  config: GptConfig,
  prompts: readonly (readonly number[])[],
  options: GenerateOptions,
): AsyncGenerator<GeneratedToken, void, undefined> {
  validateGenerate(config, prompts, options);
  const B = prompts.length;
  const P = Math.max(...prompts.map((p) => p.length));
  const { maxNewTokens } = options;
  const stops = new Set(options.stopTokens ?? []);
  const seed = options.sample && options.seed === undefined ? await drawSeed() : (options.seed ?? 0);
  // Host copies of every slot (B rows × P + step): token, mask (1 real, 0 padding) and position.
  const slots = prompts.map((prompt) => {
    const padding = P - prompt.length;
    return {
      tokens: [...new Array<number>(padding).fill(0), ...prompt],
      mask: [...new Array<number>(padding).fill(0), ...new Array<number>(prompt.length).fill(1)],
      positions: [...new Array<number>(padding).fill(0), ...prompt.map((_, i) => i)],
      seen: [...prompt],
      done: false,
    };
  });
  const cache = options.useCache === false ? undefined : new KvCache(config.layers, B, P + maxNewTokens);
  try {
    for (let step = 0; step < maxNewTokens && slots.some((s) => !s.done); step++) {
      const filled = P + step;
      // With a cache, the prompt goes in once, then one slot per step; without, everything each step.
      const from = cache === undefined || step === 0 ? 0 : filled - 1;
      const T = filled - from;
      const pick = (key: 'tokens' | 'positions' | 'mask', start: number) => slots.flatMap((s) => s[key].slice(start, filled));
      const last = noGrad(() =>
        tidy(() => {
          const tokens = tensor(Int32Array.from(pick('tokens', from)), [B, T], 'i32');
          const positions = tensor(Int32Array.from(pick('positions', from)), [B, T], 'i32');
          const keyMask = tensor(Float32Array.from(pick('mask', 0)), [B, filled]);
          const logits = gptLogits(parameters, config, tokens, { positions, keyMask, ...(cache ? { cache } : {}) }); // (B·T, V)
          return reshape(slice(reshape(logits, [B, T, config.vocabSize]), [0, T - 1, 0], [B, 1, config.vocabSize]), [B, config.vocabSize]);
        }),
      );
      const data = await readAndFree(last); // (B, V)
      for (let r = 0; r < B; r++) {
        const row = slots[r]!;
        if (row.done) {
          row.tokens.push(0), row.mask.push(0), row.positions.push(0);
          continue;
        }
        const logits = data.slice(r * config.vocabSize, (r + 1) * config.vocabSize);
        applyRepetitionPenalty(logits, row.seen, options.repetitionPenalty ?? 1);
        for (const id of options.suppressTokens ?? []) logits[id] = -Infinity;
        options.logitsProcessor?.(r, logits, step);
        // Row r's draws are stream r of the seed, so row 0 draws the same with or without a batch.
        const token = pickToken(logits, options, uniformAt((seed + Math.imul(r, 0x9e3779b9)) >>> 0, step));
        row.tokens.push(token), row.mask.push(1), row.positions.push(row.seen.length);
        row.seen.push(token);
        const finishReason = stops.has(token) ? 'stop' : step === maxNewTokens - 1 ? 'length' : undefined;
        row.done = finishReason !== undefined;
        yield { row: r, token, step, ...(finishReason ? { finishReason } : {}) };
      }
    }
  } finally {
    cache?.dispose();
  }
}

async function readAndFree(t: Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}

/** A seed from core's random stream, so `setSeed(n)` also makes unseeded sampling reproducible. */
async function drawSeed(): Promise<number> {
  const [u] = await readAndFree(rand([1]));
  return Math.floor(u! * 2 ** 31);
}

function validateGenerate(config: GptConfig, prompts: readonly (readonly number[])[], options: GenerateOptions): void {
  const op = 'generate';
  const V = config.vocabSize;
  if (!Array.isArray(prompts) || prompts.length === 0) throw modelError(op, 'at least one prompt (an array of token ids)', 'none');
  prompts.forEach((prompt, row) => {
    if (!Array.isArray(prompt) || prompt.length === 0) {
      throw modelError(op, `prompts[${row}] to hold at least one token id`, 'an empty prompt', 'start from a BOS or any token of the vocabulary');
    }
    prompt.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= V) {
        throw modelError(
          op,
          `token ids in [0, ${V})`,
          `${id} at prompts[${row}][${i}]`,
          'encode with the tokenizer the model was trained with (vocabSize must match)',
        );
      }
    });
  });
  const { maxNewTokens } = options;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) throw modelError(op, 'maxNewTokens a positive integer', String(maxNewTokens));
  const longest = Math.max(...prompts.map((p) => p.length));
  if (longest + maxNewTokens > config.contextLength) {
    throw modelError(
      op,
      `prompt length + maxNewTokens <= contextLength ${config.contextLength}`,
      `${longest} + ${maxNewTokens} = ${longest + maxNewTokens}`,
      `shorten the prompt (keep its last ${Math.max(0, config.contextLength - maxNewTokens)} tokens) or lower maxNewTokens`,
    );
  }
  for (const id of options.stopTokens ?? []) {
    if (!Number.isInteger(id) || id < 0 || id >= V) throw modelError(op, `stopTokens in [0, ${V})`, String(id));
  }
  const suppressed = new Set(options.suppressTokens ?? []);
  for (const id of suppressed) {
    if (!Number.isInteger(id) || id < 0 || id >= V) throw modelError(op, `suppressTokens in [0, ${V})`, String(id));
  }
  if (suppressed.size >= V) throw modelError(op, 'suppressTokens to leave at least one token', `all ${V} suppressed`);
  const positive = (name: string, value: number | undefined) => {
    if (value !== undefined && !(value > 0 && Number.isFinite(value))) throw modelError(op, `${name} > 0`, String(value));
  };
  positive('temperature', options.temperature);
  positive('repetitionPenalty', options.repetitionPenalty);
  if (options.topK !== undefined && !(Number.isInteger(options.topK) && options.topK >= 1))
    throw modelError(op, 'topK a positive integer', String(options.topK));
  if (options.topP !== undefined && !(options.topP > 0 && options.topP <= 1)) throw modelError(op, 'topP in (0, 1]', String(options.topP));
}
