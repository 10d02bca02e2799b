/**
 * A GPT-2-architecture decoder in one file, top to bottom (nanoGPT-style): learned token and
 * position embeddings, pre-LayerNorm blocks of causal multi-head attention and a tanh-GELU MLP,
 * a final LayerNorm and an LM head (tied to the token embedding, or its own). Parameter names are
 * Hugging Face GPT2LMHeadModel's, with its Conv1D layout (weights [in, out], so y = x·W + b).
 * For generation, gptLogits also takes positions and a padding mask (left-padded batches) and a
 * KV cache (kv-cache.ts). Dropout (HF embd/resid/attn_pdrop) runs only with `training: true`.
 * Runs on whatever backend is active; it never names one.
 */
import {
  add,
  addLayerNorm,
  arange,
  biasGelu,
  embedding,
  keep,
  layerNorm,
  matmul,
  ones,
  randn,
  reshape,
  slice,
  softmaxCrossEntropy,
  tensor,
  zeros,
  type Tensor,
} from '@wattformer/core';
import { attentionWithDropout } from './attention-dropout';
import { DropoutSites } from './dropout-sites';
import { modelError } from './errors';
import type { GptConfig } from './gpt-config';
import type { KvCache } from './kv-cache';
import { checkRate } from './layers';
import type { LoraAdapter } from './lora';
import { checkGptLora, loraDelta } from './lora-forward';
import type { TrainingOptions } from './module';

/** A GPT's parameters by Hugging Face name (e.g. `h.0.attn.c_attn.weight`). */
export type GptParameters = Map<string, Tensor>;

/** `training: true` turns on the config's dropout (embd/resid/attn_pdrop), seeded by `seed`. */
export interface GptForwardOptions extends TrainingOptions {
  /** i32 (B, T): each token's position; past … past + T − 1 by default (left-padded rows start later). */
  readonly positions?: Tensor;
  /** f32 (B, past + T): 1 for real tokens, 0 for padding; `past` is the cache's length (0 without one). */
  readonly keyMask?: Tensor;
  /** Generation only (under noGrad): past keys and values; this call's are appended to it. */
  readonly cache?: KvCache;
  /** A LoRA adapter added on the activations, as PEFT does (lora-forward.ts): frozen p, gradients for A and B, lora dropout when training. */
  readonly lora?: LoraAdapter;
}

/** GPT-2's initialisation: N(0, 0.02), residual projections scaled by 1/√(2·layers). */
export function initGptParameters(config: GptConfig, seed = 0): GptParameters {
  const { vocabSize: V, contextLength: T, modelDim: C, layers: L, mlpDim: F } = config;
  let stream = seed * 1000;
  const normal = (shape: number[], std = 0.02) => keep(randn(shape, { std, seed: stream++ }));
  const residualStd = 0.02 / Math.sqrt(2 * L);
  const p: GptParameters = new Map();
  p.set('transformer.wte.weight', normal([V, C]));
  p.set('transformer.wpe.weight', normal([T, C], 0.01));
  for (let i = 0; i < L; i++) {
    const h = `transformer.h.${i}`;
    p.set(`${h}.ln_1.weight`, keep(ones([C])));
    p.set(`${h}.ln_1.bias`, keep(zeros([C])));
    p.set(`${h}.attn.c_attn.weight`, normal([C, 3 * C]));
    p.set(`${h}.attn.c_attn.bias`, keep(zeros([3 * C])));
    p.set(`${h}.attn.c_proj.weight`, normal([C, C], residualStd));
    p.set(`${h}.attn.c_proj.bias`, keep(zeros([C])));
    p.set(`${h}.ln_2.weight`, keep(ones([C])));
    p.set(`${h}.ln_2.bias`, keep(zeros([C])));
    p.set(`${h}.mlp.c_fc.weight`, normal([C, F]));
    p.set(`${h}.mlp.c_fc.bias`, keep(zeros([F])));
    p.set(`${h}.mlp.c_proj.weight`, normal([F, C], residualStd));
    p.set(`${h}.mlp.c_proj.bias`, keep(zeros([C])));
  }
  p.set('transformer.ln_f.weight', keep(ones([C])));
  p.set('transformer.ln_f.bias', keep(zeros([C])));
  if (!config.tiedEmbeddings) p.set('lm_head.weight', normal([V, C]));
  return p;
}

function param(p: GptParameters, name: string): Tensor {
  const tensor = p.get(name);
  if (tensor === undefined) throw modelError('gpt', `parameter '${name}'`, 'none', 'make parameters with initGptParameters or loadGptCheckpoint');
  return tensor;
}

/**
 * Frees the storage of intermediates no backward closure reads once `result` is made from them:
 * a matmul's output once its bias is added, the qkv projection once sliced, a residual branch
 * once added (add, slice, reshape, dropout and gather differentiate from shapes, masks and
 * indices only). Their tape nodes stay, so autograd walks through them unchanged; only the
 * memory goes, about 45% of a training step's activations (docs/ARCHITECTURE.md, Models).
 */
function release<T>(result: T, ...dead: Tensor[]): T {
  for (const tensor of dead) tensor.dispose();
  return result;
}

/** x [N, in] · W [in, out] + b [out] — Hugging Face's Conv1D — plus the LoRA term where an adapter covers it. */
function linear(x: Tensor, p: GptParameters, name: string, lora?: LoraAdapter, sites?: DropoutSites): Tensor {
  const product = matmul(x, param(p, `${name}.weight`));
  const y = release(add(product, param(p, `${name}.bias`)), product);
  const delta = lora && loraDelta(x, lora, name, (t, rate) => sites!.apply(t, rate));
  return delta ? release(add(y, delta), y, delta) : y;
}

/** x + branch (B, T, C) of a (B·T, C) branch after dropout; the branch is freed (see `release`). */
function residual(x: Tensor, branch: Tensor, rate: number, sites: DropoutSites): Tensor {
  const dropped = sites.apply(branch, rate);
  const shaped = reshape(dropped, x.shape);
  return release(add(x, shaped), shaped, dropped, branch);
}

/** gelu(x·W + b (+ LoRA term)): the bias add runs inside the GELU kernel (core's `biasGelu`). */
function linearGelu(x: Tensor, p: GptParameters, name: string, lora?: LoraAdapter, sites?: DropoutSites): Tensor {
  const y = matmul(x, param(p, `${name}.weight`));
  const delta = lora && loraDelta(x, lora, name, (t, rate) => sites!.apply(t, rate));
  // biasGelu's backward reads its input, so only the LoRA sum's parts are freed.
  return biasGelu(delta ? release(add(y, delta), y, delta) : y, param(p, `${name}.bias`));
}

/**
 * One block: x + drop(attn(ln_1(x))), then + drop(mlp(ln_2(x))). x: (B, T, C). The first
 * residual add and ln_2 are one kernel (core's `addLayerNorm`, which returns both).
 */
function block(x: Tensor, p: GptParameters, i: number, config: GptConfig, options: GptForwardOptions, sites: DropoutSites): Tensor {
  const [B, T, C] = x.shape as [number, number, number];
  const h = `transformer.h.${i}`;
  const a = reshape(layerNorm(x, param(p, `${h}.ln_1.weight`), param(p, `${h}.ln_1.bias`)), [B * T, C]);
  const qkv = linear(a, p, `${h}.attn.c_attn`, options.lora, sites); // (B·T, 3C)
  const part = (index: number) => reshape(slice(qkv, [0, index * C], [B * T, C]), [B, T, C]);
  const [q, k, v] = release([part(0), part(1), part(2)], qkv);
  const { keyMask, cache } = options;
  const y = cache // (B, T, C)
    ? cache.attend(i, q, k, v, { numHeads: config.heads, keyMask })
    : attentionWithDropout(q, k, v, { numHeads: config.heads, causal: true, dropout: config.attnPdrop ?? 0, sites, ...(keyMask ? { keyMask } : {}) });
  const residPdrop = config.residPdrop ?? 0;
  const projected = linear(reshape(y, [B * T, C]), p, `${h}.attn.c_proj`, options.lora, sites);
  const dropped = sites.apply(projected, residPdrop);
  const attended = reshape(dropped, [B, T, C]);
  // addLayerNorm differentiates x and the branch from the sum's gradient alone, so the branch goes.
  const ln2 = release(addLayerNorm(x, attended, param(p, `${h}.ln_2.weight`), param(p, `${h}.ln_2.bias`)), attended, dropped, projected);
  x = ln2.sum;
  const m = reshape(ln2.y, [B * T, C]);
  const out = linear(linearGelu(m, p, `${h}.mlp.c_fc`, options.lora, sites), p, `${h}.mlp.c_proj`, options.lora, sites); // (B·T, C)
  return residual(x, out, residPdrop, sites);
}

/** tokens i32 (B, T) → final hidden states after ln_f, (B·T, C): what the LM head and classification heads read. */
export function gptHiddenStates(p: GptParameters, config: GptConfig, tokens: Tensor, options: GptForwardOptions = {}): Tensor {
  if (tokens.rank !== 2 || tokens.dtype !== 'i32') throw modelError('gpt', 'tokens i32 [batch, time]', `${tokens.dtype} [${tokens.shape.join(', ')}]`);
  const [B, T] = tokens.shape as [number, number];
  const C = config.modelDim;
  const past = options.cache?.length ?? 0;
  if (past + T > config.contextLength) {
    throw modelError(
      'gpt',
      `at most contextLength ${config.contextLength} positions`,
      `${past + T}`,
      'shorten the sequence or use a config with a larger contextLength',
    );
  }
  for (const field of ['embdPdrop', 'residPdrop', 'attnPdrop'] as const) checkRate('gpt', field, config[field] ?? 0);
  if (options.lora) checkGptLora(p, options.lora);
  const sites = new DropoutSites(options);
  if (options.cache && sites.active(config.attnPdrop ?? 0)) {
    throw modelError('gpt', 'a KV cache in evaluation mode', 'training: true with attnPdrop > 0', 'generate with training off (the default)');
  }
  // (B, T) or (T): after `past` cached positions, new tokens continue from there.
  const positions =
    options.positions ??
    (past === 0
      ? arange(T)
      : tensor(
          Int32Array.from({ length: T }, (_, t) => past + t),
          [T],
          'i32',
        ));
  const [tokenRows, positionRows] = [embedding(param(p, 'transformer.wte.weight'), tokens), embedding(param(p, 'transformer.wpe.weight'), positions)];
  let x = release(add(tokenRows, positionRows), tokenRows, positionRows); // (B, T, C)
  x = sites.apply(x, config.embdPdrop ?? 0);
  for (let i = 0; i < config.layers; i++) x = block(x, p, i, config, options, sites);
  options.cache?.advance(T);
  return reshape(layerNorm(x, param(p, 'transformer.ln_f.weight'), param(p, 'transformer.ln_f.bias')), [B * T, C]);
}

/** tokens i32 (B, T) → logits (B·T, V). */
export function gptLogits(p: GptParameters, config: GptConfig, tokens: Tensor, options: GptForwardOptions = {}): Tensor {
  const x = gptHiddenStates(p, config, tokens, options);
  const head = config.tiedEmbeddings ? param(p, 'transformer.wte.weight') : param(p, 'lm_head.weight');
  return matmul(x, head, { transposeB: true }); // (B·T, V)
}

/** Mean next-token cross-entropy; targets i32 (B, T) (−100 ignored). `options.training` turns dropout on; `options.lora` adds an adapter. */
export function gptLoss(
  p: GptParameters,
  config: GptConfig,
  tokens: Tensor,
  targets: Tensor,
  options: TrainingOptions & Pick<GptForwardOptions, 'lora'> = {},
): Tensor {
  // The fused kernel keeps the probabilities for backward; the logits (B·T, V) are freed here.
  const logits = gptLogits(p, config, tokens, options);
  return release(softmaxCrossEntropy(logits, reshape(targets, [targets.size])), logits);
}
