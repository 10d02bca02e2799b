import { argumentError, requireNonNegative } from './errors';

/** What the attention term needs; `heads x headDim` (PaLM's H·Q) defaults to `dModel`. */
export interface TransformerShape {
  readonly layers: number;
  /** Sequence length T the model trains at. */
  readonly contextLength: number;
  readonly dModel?: number;
  readonly heads?: number;
  readonly headDim?: number;
}

/** Training FLOPs of a run, the formula that produced them, and the attention share. */
export interface TrainingFlops {
  readonly flops: number;
  /** Human-readable formula that produced `flops`. */
  readonly method: string;
  readonly attentionFlops: number;
}

/**
 * Training FLOPs for a dense decoder: 6·N·D (Kaplan et al. 2020 §2.1: forward ~2N per token,
 * backward ~2x forward), plus the attention-score term 12·L·H·Q·T per token when the
 * architecture is known (Chowdhery et al. 2022, PaLM App. B). For mixture-of-experts pass the
 * active parameter count (LLMCarbon); encoder-decoder models run below 6ND (T5: 4.05e22 measured
 * vs 6.6e22), which the report notes.
 */
export function trainingFlops(params: number, tokens: number, shape?: TransformerShape): TrainingFlops {
  requireNonNegative('trainingFlops', 'params', params);
  requireNonNegative('trainingFlops', 'tokens', tokens);
  const dense = 6 * params * tokens;
  if (!shape) return { flops: dense, method: '6·N·D (Kaplan et al. 2020)', attentionFlops: 0 };
  requireNonNegative('trainingFlops', 'layers', shape.layers, true);
  requireNonNegative('trainingFlops', 'contextLength', shape.contextLength, true);
  const attentionWidth = shape.heads !== undefined && shape.headDim !== undefined ? shape.heads * shape.headDim : shape.dModel;
  if (attentionWidth === undefined) {
    throw argumentError(
      'trainingFlops',
      'dModel, or heads and headDim, with an architecture',
      'neither',
      'pass { layers, contextLength, dModel } or { layers, contextLength, heads, headDim }',
    );
  }
  requireNonNegative('trainingFlops', 'attention width (heads x headDim or dModel)', attentionWidth, true);
  const attentionFlops = 12 * shape.layers * attentionWidth * shape.contextLength * tokens;
  return {
    flops: dense + attentionFlops,
    method: '6·N·D + 12·L·H·Q·T·D (PaLM, Chowdhery et al. 2022 App. B)',
    attentionFlops,
  };
}
