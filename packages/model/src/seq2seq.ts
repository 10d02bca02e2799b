/**
 * A sequence-to-sequence model around the encoder-decoder Transformer, as in the paper (§3.4,
 * §3.5): token embeddings scaled by √d, fixed sinusoidal positions, dropout, nn.Transformer, and
 * a linear `generator` to target-vocabulary logits. Names follow PyTorch's translation tutorial
 * (`src_tok_emb`, `tgt_tok_emb`, `transformer.`, `generator`). Greedy decoding for inference.
 */
import { add, embedding, mul, noGrad, reshape, slice, tensor, tidy, type Tensor } from '@wattformer/core';
import { DropoutSites } from './dropout-sites';
import { modelError } from './errors';
import { labelLoss } from './loss';
import { checkTokenIds, linear, parameter, type NamedParameters } from './layers';
import { argmax } from './sampling';
import { seq2seqParameterShapes, type Seq2SeqConfig } from './transformer-config';
import { initTransformerParameters, transformerDecode, transformerEncode, uniformParameter, type TransformerForwardOptions } from './transformer';

const op = 'seq2seq';

/** PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d)): [length, d]. */
export function sinusoidalPositions(length: number, d: number): Float32Array {
  const table = new Float32Array(length * d);
  for (let pos = 0; pos < length; pos++) {
    for (let i = 0; 2 * i < d; i++) {
      const angle = pos / 10000 ** ((2 * i) / d);
      table[pos * d + 2 * i] = Math.sin(angle);
      if (2 * i + 1 < d) table[pos * d + 2 * i + 1] = Math.cos(angle);
    }
  }
  return table;
}

/** Xavier-uniform for every matrix (embeddings and generator too, as the tutorial), generator bias U(±1/√d). */
export function initSeq2SeqParameters(config: Seq2SeqConfig, seed = 0): Map<string, Tensor> {
  const transformer = initTransformerParameters(config, seed, 'transformer.');
  const p = new Map<string, Tensor>();
  let stream = seed * 1000 + 900;
  for (const [name, shape] of seq2seqParameterShapes(config)) {
    if (transformer.has(name)) p.set(name, transformer.get(name)!);
    else if (shape.length === 2) p.set(name, uniformParameter(shape, Math.sqrt(6 / (shape[0]! + shape[1]!)), stream++));
    else p.set(name, uniformParameter(shape, 1 / Math.sqrt(config.modelDim), stream++));
  }
  return p;
}

/** embedding(ids)·√d + PE[:T], then dropout: ids [B, T] → [B, T, d]. */
function embed(p: NamedParameters, config: Seq2SeqConfig, name: string, ids: Tensor, vocabSize: number, sites: DropoutSites): Tensor {
  checkTokenIds(op, name === 'src_tok_emb' ? 'source' : 'target', ids, vocabSize, config.maxLength);
  const T = ids.shape[1]!;
  const d = config.modelDim;
  const scaled = mul(embedding(parameter(p, `${name}.embedding.weight`, op), ids), Math.sqrt(d));
  return sites.apply(add(scaled, tensor(sinusoidalPositions(T, d), [T, d])), config.dropout);
}

/** Options of the seq2seq forward passes: training mode (dropout) and masks; no prefix. */
export type Seq2SeqForwardOptions = Omit<TransformerForwardOptions, 'prefix'>;

/** Encodes source ids [B, S] → memory [B, S, d]. */
export function seq2seqEncode(p: NamedParameters, config: Seq2SeqConfig, source: Tensor, options: Seq2SeqForwardOptions = {}): Tensor {
  const sites = new DropoutSites(options);
  const x = embed(p, config, 'src_tok_emb', source, config.sourceVocabSize, sites);
  const seed = sites.nextSeed();
  return transformerEncode(p, config, x, { ...options, ...(seed === undefined ? {} : { seed }), prefix: 'transformer.' });
}

/** Decodes target ids [B, T] against memory → logits [B·T, targetVocabSize]. */
export function seq2seqDecode(p: NamedParameters, config: Seq2SeqConfig, target: Tensor, memory: Tensor, options: Seq2SeqForwardOptions = {}): Tensor {
  const sites = new DropoutSites(options.seed === undefined ? options : { ...options, seed: options.seed ^ 0x68e31da4 });
  const y = embed(p, config, 'tgt_tok_emb', target, config.targetVocabSize, sites);
  const seed = sites.nextSeed();
  const [B, T] = target.shape as [number, number];
  const h = transformerDecode(p, config, y, memory, { ...options, ...(seed === undefined ? {} : { seed }), prefix: 'transformer.' });
  return linear(reshape(h, [B * T, config.modelDim]), p, 'generator', op);
}

/** Teacher-forced logits: source [B, S], target input [B, T] → [B·T, targetVocabSize]. */
export function seq2seqLogits(p: NamedParameters, config: Seq2SeqConfig, source: Tensor, targetInput: Tensor, options: Seq2SeqForwardOptions = {}): Tensor {
  return seq2seqDecode(p, config, targetInput, seq2seqEncode(p, config, source, options), options);
}

/** Mean cross-entropy of the next target token; targetOutput i32 [B, T], −100 ignored (padding). */
export function seq2seqLoss(
  p: NamedParameters,
  config: Seq2SeqConfig,
  source: Tensor,
  targetInput: Tensor,
  targetOutput: Tensor,
  options: Seq2SeqForwardOptions = {},
): Tensor {
  return labelLoss('seq2seqLoss', seq2seqLogits(p, config, source, targetInput, options), targetOutput, targetInput.shape);
}

/** Options of `greedyDecode`: start and end tokens and the number of new tokens. */
export interface GreedyDecodeOptions {
  /** First decoder input (BOS). */
  readonly startToken: number;
  /** A row stops after emitting it (it is included). */
  readonly endToken?: number;
  /** New tokens at most; start + new must fit `maxLength`. */
  readonly maxNewTokens: number;
  /** f32 [B, S] source padding mask. */
  readonly sourceMask?: Tensor;
}

/**
 * Greedy decoding (evaluation mode, no gradients): encodes once, then re-runs the decoder on the
 * growing prefix (no KV cache) and takes the argmax of the last position. Returns each row's
 * new tokens, up to and including `endToken`.
 */
export async function greedyDecode(p: NamedParameters, config: Seq2SeqConfig, source: Tensor, options: GreedyDecodeOptions): Promise<number[][]> {
  const { startToken, endToken, maxNewTokens } = options;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1 || maxNewTokens + 1 > config.maxLength) {
    throw modelError(
      'greedyDecode',
      `maxNewTokens in [1, ${config.maxLength - 1}] (start token + new tokens fit maxLength ${config.maxLength})`,
      String(maxNewTokens),
    );
  }
  for (const [name, id] of [
    ['startToken', startToken],
    ['endToken', endToken ?? 0],
  ] as const) {
    if (!Number.isInteger(id) || id < 0 || id >= config.targetVocabSize)
      throw modelError('greedyDecode', `${name} in [0, ${config.targetVocabSize})`, String(id));
  }
  const B = source.shape[0]!;
  const V = config.targetVocabSize;
  const rows = Array.from({ length: B }, () => [startToken]);
  const done = new Array<boolean>(B).fill(false);
  const mask = options.sourceMask ? { sourceMask: options.sourceMask } : {};
  const memory = noGrad(() => tidy(() => seq2seqEncode(p, config, source, mask)));
  try {
    for (let step = 0; step < maxNewTokens && done.includes(false); step++) {
      const T = step + 1;
      const last = noGrad(() =>
        tidy(() => {
          const logits = seq2seqDecode(p, config, tensor(Int32Array.from(rows.flat()), [B, T], 'i32'), memory, mask);
          return reshape(slice(reshape(logits, [B, T, V]), [0, T - 1, 0], [B, 1, V]), [B, V]);
        }),
      );
      const values = await last.data();
      last.dispose();
      for (let b = 0; b < B; b++) {
        // A finished row keeps emitting its end token so the batch stays rectangular; trimmed below.
        const token = done[b] ? endToken! : argmax(values.subarray(b * V, (b + 1) * V));
        rows[b]!.push(token);
        if (token === endToken) done[b] = true;
      }
    }
  } finally {
    memory.dispose();
  }
  return rows.map((row) => {
    const tokens = row.slice(1);
    const end = endToken === undefined ? -1 : tokens.indexOf(endToken);
    return end < 0 ? tokens : tokens.slice(0, end + 1);
  });
}
