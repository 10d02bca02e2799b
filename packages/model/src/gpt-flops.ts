/**
 * FLOPs per token of a GPT-2-architecture decoder, for the carbon estimator and the trainer's MFU.
 * Counted as 2 FLOPs per multiply-add of the matmuls (PaLM appendix B, Chinchilla appendix F):
 *
 *   blocks    2 · L · (C·3C + C·C + C·F + F·C)   QKV, output projection, MLP up and down
 *   head      2 · C · V                          the LM head (tied or not, the matmul is done)
 *   attention 2 · 2 · L · T · C                  QKᵀ and A·V, each query against T keys
 *
 * T is the sequence length (the context by default), counted in full as in PaLM's
 * 6N + 12·L·H·Q·T (causal masking would halve the attention term on average; kernels rarely
 * skip that work). Biases, LayerNorm, GELU, softmax and embeddings lookups are left out: they
 * are under 1% for any real size. Training = forward + backward = 3 × forward.
 */
import type { GptConfig } from './gpt-config';

/** Options of `gptFlopsPerToken`. */
export interface GptFlopsOptions {
  /** Keys each query attends to; default config.contextLength. */
  readonly sequenceLength?: number;
}

/** FLOPs per token from `gptFlopsPerToken`: forward, training (3 × forward) and where they go. */
export interface GptFlops {
  /** Forward FLOPs per token. */
  readonly forward: number;
  /** Forward and backward FLOPs per token (3 × forward). */
  readonly training: number;
  readonly breakdown: { readonly blocks: number; readonly head: number; readonly attention: number };
}

/**
 * Forward and training FLOPs per token of a GPT config (the matmuls plus attention scores), for throughput and carbon estimates.
 */
export function gptFlopsPerToken(config: GptConfig, options: GptFlopsOptions = {}): GptFlops {
  const { vocabSize: V, modelDim: C, layers: L, mlpDim: F } = config;
  const T = options.sequenceLength ?? config.contextLength;
  const blocks = 2 * L * (3 * C * C + C * C + C * F + F * C);
  const head = 2 * C * V;
  const attention = 2 * 2 * L * T * C;
  const forward = blocks + head + attention;
  return { forward, training: 3 * forward, breakdown: { blocks, head, attention } };
}
