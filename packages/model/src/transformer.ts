/**
 * The encoder-decoder Transformer as `torch.nn.Transformer` computes it (post-LayerNorm, ReLU or GELU,
 * batch-first [B, T, d]), with its state_dict names. Encoder layer:
 *   x = norm1(x + drop(self_attn(x)));  x = norm2(x + drop(linear2(drop(relu(linear1(x))))))
 * Decoder layer: causal self-attention (norm1), cross-attention with queries from the decoder
 * and keys/values from the encoder's memory (norm2), the FFN (norm3). The stacks end with
 * `encoder.norm` and `decoder.norm`. Masks are f32 [B, T], 1 = real token, 0 = padding (torch's
 * `key_padding_mask` is the opposite boolean).
 */
import { add, keep, matmul, mul, ones, rand, relu, reshape, slice, sub, zeros, type Tensor } from '@wattformer/core';
import { attentionWithDropout } from './attention-dropout';
import { DropoutSites } from './dropout-sites';
import { modelError } from './errors';
import { geluErf } from './gelu-erf';
import { checkKeyMask, checkRate, linear, namedLayerNorm, parameter, type NamedParameters } from './layers';
import type { TrainingOptions } from './module';
import { transformerParameterShapes, type TransformerConfig } from './transformer-config';

const op = 'transformer';

/** A kept U(−bound, bound) tensor from an explicit seed. */
export function uniformParameter(shape: number[], bound: number, seed: number): Tensor {
  return keep(mul(sub(rand(shape, { seed }), 0.5), 2 * bound));
}

/**
 * nn.Transformer's initialisation: Xavier-uniform for every matrix (its `_reset_parameters`),
 * attention biases 0 (MultiheadAttention's), linear1/linear2 biases U(±1/√fan_in) (nn.Linear's),
 * LayerNorm 1 and 0.
 */
export function initTransformerParameters(config: TransformerConfig, seed = 0, prefix = ''): Map<string, Tensor> {
  const p = new Map<string, Tensor>();
  let stream = seed * 1000;
  for (const [name, shape] of transformerParameterShapes(config, prefix)) {
    if (shape.length === 2) p.set(name, uniformParameter(shape, Math.sqrt(6 / (shape[0]! + shape[1]!)), stream++));
    else if (/\.norm\d?\.weight$/.test(name)) p.set(name, keep(ones(shape)));
    else if (/linear\d\.bias$/.test(name))
      p.set(name, uniformParameter(shape, 1 / Math.sqrt(name.endsWith('linear1.bias') ? config.modelDim : config.mlpDim), stream++));
    else p.set(name, keep(zeros(shape)));
  }
  return p;
}

export interface TransformerForwardOptions extends TrainingOptions {
  /** f32 [B, S]: source padding (torch `src_key_padding_mask`, inverted). Also masks the memory in cross-attention. */
  readonly sourceMask?: Tensor;
  /** f32 [B, T]: target padding (torch `tgt_key_padding_mask`, inverted). */
  readonly targetMask?: Tensor;
  /** Parameter name prefix, e.g. 'transformer.' inside a Seq2Seq model. */
  readonly prefix?: string;
}

interface Context {
  readonly p: NamedParameters;
  readonly config: TransformerConfig;
  readonly sites: DropoutSites;
}

/** torch MultiheadAttention: in_proj (q, k, v rows of one [3d, d] matrix), attention, out_proj. */
function multiheadAttention(c: Context, name: string, query: Tensor, source: Tensor, options: { causal: boolean; keyMask: Tensor | undefined }): Tensor {
  const [B, Tq, d] = query.shape as [number, number, number];
  const Tk = source.shape[1]!;
  const weight = parameter(c.p, `${name}.in_proj_weight`, op);
  const bias = parameter(c.p, `${name}.in_proj_bias`, op);
  const rows = (from: number, count: number) => ({ w: slice(weight, [from, 0], [count, d]), b: slice(bias, [from], [count]) });
  const project = (x: Tensor, T: number, { w, b }: { w: Tensor; b: Tensor }) =>
    reshape(add(matmul(reshape(x, [B * T, d]), w, { transposeB: true }), b), [B, T, w.shape[0]!]);
  let q: Tensor, k: Tensor, v: Tensor;
  if (query === source) {
    const qkv = reshape(project(query, Tq, rows(0, 3 * d)), [B * Tq, 3 * d]); // (B·T, 3d): one matmul
    [q, k, v] = [0, 1, 2].map((i) => reshape(slice(qkv, [0, i * d], [B * Tq, d]), [B, Tq, d])) as [Tensor, Tensor, Tensor];
  } else {
    q = project(query, Tq, rows(0, d));
    const kv = reshape(project(source, Tk, rows(d, 2 * d)), [B * Tk, 2 * d]);
    [k, v] = [0, 1].map((i) => reshape(slice(kv, [0, i * d], [B * Tk, d]), [B, Tk, d])) as [Tensor, Tensor];
  }
  const y = attentionWithDropout(q, k, v, {
    numHeads: c.config.heads,
    causal: options.causal,
    dropout: c.config.dropout,
    sites: c.sites,
    ...(options.keyMask ? { keyMask: options.keyMask } : {}),
  });
  return reshape(linear(reshape(y, [B * Tq, d]), c.p, `${name}.out_proj`, op), [B, Tq, d]);
}

/** x + drop(sublayer), then the named LayerNorm. */
function residual(c: Context, x: Tensor, sublayer: Tensor, norm: string): Tensor {
  return namedLayerNorm(add(x, c.sites.apply(sublayer, c.config.dropout)), c.p, norm, op, c.config.layerNormEps);
}

/** linear2(drop(activation(linear1(x)))) on [B, T, d]. */
function feedForward(c: Context, x: Tensor, name: string): Tensor {
  const [B, T, d] = x.shape as [number, number, number];
  const hidden = linear(reshape(x, [B * T, d]), c.p, `${name}.linear1`, op);
  const h = c.sites.apply(c.config.activation === 'gelu' ? geluErf(hidden) : relu(hidden), c.config.dropout);
  return reshape(linear(h, c.p, `${name}.linear2`, op), [B, T, d]);
}

function checkInput(name: string, x: Tensor, config: TransformerConfig): void {
  if (x.dtype !== 'f32' || x.rank !== 3 || x.shape[2] !== config.modelDim) {
    throw modelError(op, `${name} f32 [batch, time, ${config.modelDim}]`, `${x.dtype} [${x.shape.join(', ')}]`, 'embed tokens first (Seq2SeqModel does this)');
  }
}

function context(p: NamedParameters, config: TransformerConfig, options: TrainingOptions): Context {
  checkRate(op, 'dropout', config.dropout);
  if (config.modelDim % config.heads !== 0) throw modelError(op, `heads dividing modelDim ${config.modelDim}`, String(config.heads));
  if (config.activation !== undefined && config.activation !== 'relu' && config.activation !== 'gelu') {
    throw modelError(op, "activation 'relu' or 'gelu'", JSON.stringify(config.activation));
  }
  return { p, config, sites: new DropoutSites(options) };
}

/** Encoder stack: source [B, S, d] → memory [B, S, d] (after `encoder.norm`). */
export function transformerEncode(p: NamedParameters, config: TransformerConfig, source: Tensor, options: TransformerForwardOptions = {}): Tensor {
  checkInput('source', source, config);
  checkKeyMask(op, 'sourceMask', options.sourceMask, source.shape[0]!, source.shape[1]!);
  const c = context(p, config, options);
  const prefix = options.prefix ?? '';
  let x = source;
  for (let i = 0; i < config.encoderLayers; i++) {
    const l = `${prefix}encoder.layers.${i}`;
    x = residual(c, x, multiheadAttention(c, `${l}.self_attn`, x, x, { causal: false, keyMask: options.sourceMask }), `${l}.norm1`);
    x = residual(c, x, feedForward(c, x, l), `${l}.norm2`);
  }
  return namedLayerNorm(x, p, `${prefix}encoder.norm`, op, config.layerNormEps);
}

/**
 * Decoder stack: target [B, T, d] attends causally to itself and to memory [B, S, d] (padding
 * from `sourceMask` masked) → [B, T, d] (after `decoder.norm`).
 */
export function transformerDecode(
  p: NamedParameters,
  config: TransformerConfig,
  target: Tensor,
  memory: Tensor,
  options: TransformerForwardOptions = {},
): Tensor {
  checkInput('target', target, config);
  checkInput('memory', memory, config);
  const [B, T] = target.shape as [number, number];
  if (memory.shape[0] !== B) throw modelError(op, `memory with batch ${B} like the target`, `${memory.shape[0]}`);
  checkKeyMask(op, 'targetMask', options.targetMask, B, T);
  checkKeyMask(op, 'sourceMask', options.sourceMask, B, memory.shape[1]!);
  const c = context(p, config, options);
  const prefix = options.prefix ?? '';
  let x = target;
  for (let i = 0; i < config.decoderLayers; i++) {
    const l = `${prefix}decoder.layers.${i}`;
    x = residual(c, x, multiheadAttention(c, `${l}.self_attn`, x, x, { causal: true, keyMask: options.targetMask }), `${l}.norm1`);
    x = residual(c, x, multiheadAttention(c, `${l}.multihead_attn`, x, memory, { causal: false, keyMask: options.sourceMask }), `${l}.norm2`);
    x = residual(c, x, feedForward(c, x, l), `${l}.norm3`);
  }
  return namedLayerNorm(x, p, `${prefix}decoder.norm`, op, config.layerNormEps);
}

/** `nn.Transformer.forward(src, tgt)` with a causal target mask: [B, S, d], [B, T, d] → [B, T, d]. */
export function transformerForward(
  p: NamedParameters,
  config: TransformerConfig,
  source: Tensor,
  target: Tensor,
  options: TransformerForwardOptions = {},
): Tensor {
  const memory = transformerEncode(p, config, source, options);
  // The decoder's dropout masks must differ from the encoder's: shift the seed.
  const decoderOptions = options.seed === undefined ? options : { ...options, seed: options.seed ^ 0x2545f491 };
  return transformerDecode(p, config, target, memory, decoderOptions);
}
