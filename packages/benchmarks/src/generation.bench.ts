/**
 * Generation tokens/s of a ~10M-parameter GPT (6 layers, d_model 384, 6 heads, MLP 1536, context
 * 256, vocabulary 4096, tied head; see `generationConfig`): wattformer on wasm (`generate`) vs the
 * same model and weights in TF.js (tfjs-backend-wasm, one thread; tfjs-gpt-generate.ts), greedy,
 * one prompt, with a KV cache and with full recomputation per token. Before timing, a guard checks
 * that both give the same logits for the prompt and the same tokens in every mode. Interleaved
 * rounds after warm-up; medians, min–max, ratios. `npm run bench` (or `tsx src/generation.bench.ts
 * [--quick]`).
 */
import * as tf from '@tensorflow/tfjs';
import { gptLogits, generate, initGptParameters, countGptParameters, type GptConfig } from '@wattformer/model';
import { noGrad, setBackend, tensor, tidy } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { formatSummary, summarize } from './stats';
import { tfjsGenerate, tfjsLastLogits, tfjsWeightsFrom } from './tfjs-gpt-generate';
import { setUpTfjsWasm } from './tfjs-setup';
import { writeResults } from './write-results';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 5;
const WARMUP = 1;
const PROMPT_LENGTH = 16;
const NEW_TOKENS = quick ? 16 : 48;
/** Plain greedy, as Hugging Face's default (1 = no penalty). */
const REPETITION_PENALTY = 1;

/**
 * ~10M parameters: 10.6M outside the embeddings, 13.9M in all (countGptParameters). The LM head
 * is untied: with a tied head, a randomly initialised GPT-2 scores the input token itself far
 * above the rest (its embedding dotted with itself) and greedy decoding repeats one token, which
 * would make the same-tokens guard below weak; an own head gives varied tokens.
 */
const generationConfig: GptConfig = { vocabSize: 4096, contextLength: 256, modelDim: 384, layers: 6, heads: 6, mlpDim: 1536, tiedEmbeddings: false };

const config = generationConfig;
const prompt = Array.from({ length: PROMPT_LENGTH }, (_, i) => (i * 977 + 13) % config.vocabSize);

function firstDifference(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

async function main(): Promise<void> {
  const anchor = await setUpTfjsWasm();
  await setBackend('wasm');
  const count = countGptParameters(config);
  console.log(`GPT ${JSON.stringify(config)}: ${count.total.toLocaleString()} parameters (${count.nonEmbedding.toLocaleString()} outside the embeddings)`);
  console.log(`greedy (repetition penalty ${REPETITION_PENALTY}), prompt ${PROMPT_LENGTH} tokens, ${NEW_TOKENS} new tokens, batch 1; anchor: ${anchor}`);
  const parameters = initGptParameters(config, 1);
  const weights = tfjsWeightsFrom(config, parameters);

  // Guard 1: the same logits for the prompt (same weights, same architecture).
  const ours = tidy(() =>
    noGrad(() => {
      const logits = gptLogits(parameters, config, tensor(Int32Array.from(prompt), [1, PROMPT_LENGTH], 'i32')); // (T, V)
      return logits.slice([PROMPT_LENGTH - 1, 0], [1, config.vocabSize]).dataSync() as Float32Array;
    }),
  );
  const theirs = tfjsLastLogits(weights, prompt);
  const logitDiff = ours.reduce((worst, x, i) => Math.max(worst, Math.abs(x - theirs[i]!)), 0);
  console.log(`guard: prompt logits max |wattformer − TF.js| = ${logitDiff.toExponential(2)}`);
  if (!(logitDiff < 1e-3)) throw new Error(`benchmarks: generation: expected the same prompt logits (within 1e-3), got a difference of ${logitDiff}`);

  // Guard 2: the same greedy tokens in all four modes (a near-tie could flip one; it would be reported here).
  const outputs = {
    'wattformer wasm, KV cache': (await generate(parameters, config, [prompt], { maxNewTokens: NEW_TOKENS, repetitionPenalty: REPETITION_PENALTY }))[0]!.tokens,
    'wattformer wasm, full recompute': (
      await generate(parameters, config, [prompt], { maxNewTokens: NEW_TOKENS, useCache: false, repetitionPenalty: REPETITION_PENALTY })
    )[0]!.tokens,
    'TF.js wasm, KV cache': tfjsGenerate(weights, prompt, { maxNewTokens: NEW_TOKENS, useCache: true, repetitionPenalty: REPETITION_PENALTY }),
    'TF.js wasm, full recompute': tfjsGenerate(weights, prompt, { maxNewTokens: NEW_TOKENS, useCache: false, repetitionPenalty: REPETITION_PENALTY }),
  };
  const reference = outputs['wattformer wasm, KV cache'];
  for (const [name, tokens] of Object.entries(outputs)) {
    const at = firstDifference(reference, tokens);
    if (at >= 0)
      throw new Error(
        `benchmarks: generation: expected ${name} to produce wattformer's greedy tokens, got a difference at new token ${at}: ${tokens.slice(0, at + 1).join(' ')} vs ${reference.slice(0, at + 1).join(' ')}`,
      );
  }
  console.log(`guard: all four produce the same ${NEW_TOKENS} tokens (${reference.slice(0, 8).join(' ')} …)`);

  const impls: Record<string, () => Promise<number[]> | number[]> = {
    'wattformer wasm, KV cache': async () =>
      (await generate(parameters, config, [prompt], { maxNewTokens: NEW_TOKENS, repetitionPenalty: REPETITION_PENALTY }))[0]!.tokens,
    'TF.js wasm, KV cache': () => tfjsGenerate(weights, prompt, { maxNewTokens: NEW_TOKENS, useCache: true, repetitionPenalty: REPETITION_PENALTY }),
    'wattformer wasm, full recompute': async () =>
      (await generate(parameters, config, [prompt], { maxNewTokens: NEW_TOKENS, useCache: false, repetitionPenalty: REPETITION_PENALTY }))[0]!.tokens,
    'TF.js wasm, full recompute': () => tfjsGenerate(weights, prompt, { maxNewTokens: NEW_TOKENS, useCache: false, repetitionPenalty: REPETITION_PENALTY }),
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(impls).map((k) => [k, []]));
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    for (const [name, fn] of Object.entries(impls)) {
      const start = performance.now();
      const tokens = await fn();
      const seconds = (performance.now() - start) / 1000;
      if (firstDifference(tokens, reference) >= 0)
        throw new Error(`benchmarks: generation: expected ${name} to repeat its tokens, got others in round ${round + 1}`);
      if (round >= WARMUP) samples[name]!.push(NEW_TOKENS / seconds);
    }
    process.stdout.write(`round ${round + 1}/${WARMUP + ROUNDS}${round < WARMUP ? ' (warm-up)' : ''}\r`);
  }
  weights.dispose();
  const stats = Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, summarize(s)]));
  console.log('\nnew tokens/s (median, min–max; includes the prompt pass):');
  for (const [name, s] of Object.entries(stats)) console.log(`  ${name.padEnd(34)} ${formatSummary(s, 1)}`);
  const med = (k: string) => stats[k]!.median;
  const ratios = {
    cachedVsTfjsCached: med('wattformer wasm, KV cache') / med('TF.js wasm, KV cache'),
    recomputeVsTfjsRecompute: med('wattformer wasm, full recompute') / med('TF.js wasm, full recompute'),
    cacheSpeedupWattformer: med('wattformer wasm, KV cache') / med('wattformer wasm, full recompute'),
    cacheSpeedupTfjs: med('TF.js wasm, KV cache') / med('TF.js wasm, full recompute'),
  };
  console.log(
    'ratios:',
    Object.entries(ratios)
      .map(([k, r]) => `${k} ${r.toFixed(2)}×`)
      .join(', '),
  );
  writeResults('generation', {
    config,
    parameters: count,
    promptLength: PROMPT_LENGTH,
    newTokens: NEW_TOKENS,
    anchor,
    tfjs: tf.version.tfjs,
    rounds: ROUNDS,
    warmup: WARMUP,
    unit: 'new tokens/s',
    repetitionPenalty: REPETITION_PENALTY,
    guard: { promptLogitsMaxDiff: logitDiff, sameTokens: true, firstTokens: reference.slice(0, 16) },
    stats,
    ratios,
  });
}

await main();
