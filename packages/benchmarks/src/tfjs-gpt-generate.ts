/**
 * GPT-2-architecture inference in TF.js (tfjs-core ops), built from wattformer's own parameter
 * map (Hugging Face names, Conv1D layout [in, out]), so both libraries generate from the same
 * weights: learned positions, pre-LayerNorm, tanh-GELU, causal attention, tied or own LM head.
 *
 * Greedy generation, with a KV cache (per layer, keys and values (1, H, t, D) grown by one
 * position per token with tf.concat: the usual immutable-tensor cache) or without (the whole
 * sequence recomputed for every token). One prompt (batch 1). Like wattformer's `generate`, each
 * step reads the last logits back and picks the token on the host with @wattformer/model's
 * `applyRepetitionPenalty` and `argmax`, so both libraries choose by the same rule.
 */
import * as tf from '@tensorflow/tfjs';
import { applyRepetitionPenalty, argmax, type GptConfig } from '@wattformer/model';

export interface TfjsGptWeights {
  readonly config: GptConfig;
  readonly tensors: Map<string, tf.Tensor>;
  dispose(): void;
}

/** Copies every parameter (name → f32 values and shape) into TF.js tensors. */
export function tfjsWeightsFrom(
  config: GptConfig,
  parameters: ReadonlyMap<string, { shape: readonly number[]; dataSync(): ArrayLike<number> }>,
): TfjsGptWeights {
  const tensors = new Map<string, tf.Tensor>();
  for (const [name, p] of parameters) tensors.set(name, tf.tensor(Float32Array.from(p.dataSync()), [...p.shape], 'float32'));
  return { config, tensors, dispose: () => tensors.forEach((t) => t.dispose()) };
}

type Cache = { keys: tf.Tensor4D[]; values: tf.Tensor4D[] };

/**
 * Logits of the last position, (1, V), for tokens (1, T) at positions past … past + T − 1.
 * With `cache`, this call's keys and values are appended to it (the old tensors are freed).
 */
function lastLogits(w: TfjsGptWeights, tokens: number[], past: number, cache: Cache | undefined): tf.Tensor2D {
  const { modelDim: C, heads: H, layers: L } = w.config;
  const D = C / H;
  const T = tokens.length;
  const p = (name: string) => w.tensors.get(name)!;
  const layerNorm = (x: tf.Tensor, prefix: string) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return x
      .sub(mean)
      .mul(tf.rsqrt(variance.add(1e-5)))
      .mul(p(`${prefix}.weight`))
      .add(p(`${prefix}.bias`));
  };
  const linear = (x: tf.Tensor2D, prefix: string) => x.matMul(p(`${prefix}.weight`) as tf.Tensor2D).add(p(`${prefix}.bias`)) as tf.Tensor2D;
  const gelu = (x: tf.Tensor) => x.mul(0.5).mul(tf.tanh(x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI))).add(1));
  // x: (T, C) — batch 1 kept implicit until attention.
  let x = tf.gather(p('transformer.wte.weight'), tf.tensor1d(tokens, 'int32')).add(p('transformer.wpe.weight').slice([past, 0], [T, C])) as tf.Tensor2D;
  // 0 on and below the diagonal, −1e9 above: only the prefill (T > 1) needs it.
  const causal =
    T > 1
      ? tf.linalg
          .bandPart(tf.ones([T, T]), -1, 0)
          .sub(1)
          .mul(1e9)
      : undefined;
  for (let i = 0; i < L; i++) {
    const h = `transformer.h.${i}`;
    const qkv = linear(layerNorm(x, `${h}.ln_1`) as tf.Tensor2D, `${h}.attn.c_attn`)
      .reshape([1, T, 3, H, D])
      .transpose([2, 0, 3, 1, 4]); // (3, 1, H, T, D)
    let [q, k, v] = tf.unstack(qkv) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    if (cache) {
      if (past > 0) {
        [k, v] = [tf.concat([cache.keys[i]!, k], 2), tf.concat([cache.values[i]!, v], 2)]; // (1, H, past + T, D)
        cache.keys[i]!.dispose();
        cache.values[i]!.dispose();
      }
      cache.keys[i] = tf.keep(k);
      cache.values[i] = tf.keep(v);
    }
    let scores = tf.matMul(q, k, false, true).mul(1 / Math.sqrt(D)); // (1, H, T, past + T)
    if (causal) scores = scores.add(causal);
    const y = tf.matMul(tf.softmax(scores), v).transpose([0, 2, 1, 3]).reshape([T, C]) as tf.Tensor2D;
    x = x.add(linear(y, `${h}.attn.c_proj`));
    const m = linear(gelu(linear(layerNorm(x, `${h}.ln_2`) as tf.Tensor2D, `${h}.mlp.c_fc`)) as tf.Tensor2D, `${h}.mlp.c_proj`);
    x = x.add(m);
  }
  const last = layerNorm(x.slice([T - 1, 0], [1, C]), 'transformer.ln_f') as tf.Tensor2D;
  const head = w.config.tiedEmbeddings ? p('transformer.wte.weight') : p('lm_head.weight');
  return last.matMul(head as tf.Tensor2D, false, true) as tf.Tensor2D; // (1, V)
}

export interface TfjsGenerateOptions {
  readonly maxNewTokens: number;
  readonly useCache: boolean;
  /** CTRL-style penalty on tokens already in the sequence, as in wattformer and Hugging Face. Default 1. */
  readonly repetitionPenalty?: number;
}

/** Greedy continuation of `prompt`. */
export function tfjsGenerate(w: TfjsGptWeights, prompt: readonly number[], options: TfjsGenerateOptions): number[] {
  const { maxNewTokens, useCache } = options;
  if (prompt.length + maxNewTokens > w.config.contextLength) {
    throw new Error(`benchmarks: tfjsGenerate: expected prompt + new tokens ≤ ${w.config.contextLength}, got ${prompt.length + maxNewTokens}`);
  }
  const sequence = [...prompt];
  const cache: Cache | undefined = useCache ? { keys: [], values: [] } : undefined;
  try {
    for (let step = 0; step < maxNewTokens; step++) {
      const past = cache && step > 0 ? sequence.length - 1 : 0;
      const logits = tf.tidy(() => lastLogits(w, sequence.slice(past), past, cache).dataSync() as Float32Array);
      applyRepetitionPenalty(logits, sequence, options.repetitionPenalty ?? 1);
      sequence.push(argmax(logits));
    }
  } finally {
    if (cache) tf.dispose([...cache.keys, ...cache.values]);
  }
  return sequence.slice(prompt.length);
}

/** Last-position logits of a whole sequence (no cache): the correctness guard compares them. */
export function tfjsLastLogits(w: TfjsGptWeights, tokens: readonly number[]): Float32Array {
  return tf.tidy(() => lastLogits(w, [...tokens], 0, undefined).dataSync() as Float32Array);
}
