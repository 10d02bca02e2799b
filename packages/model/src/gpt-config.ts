/**
 * GPT-2 architecture hyper-parameters, with Hugging Face `config.json` names in comments.
 * The presets are architectures only (no weights).
 */
import { checkConfigDimensions, MODEL_LIMITS } from './config-limits';
/**
 * A GPT-2 architecture, named as Hugging Face's `GPT2Config` (`config.json`): vocabulary, context length, width, layers, heads, MLP width, dropout and tied embeddings.
 */
export interface GptConfig {
  /** `vocab_size` */
  readonly vocabSize: number;
  /** `n_positions`: longest sequence the learned position table covers. */
  readonly contextLength: number;
  /** `n_embd` */
  readonly modelDim: number;
  /** `n_layer` */
  readonly layers: number;
  /** `n_head` */
  readonly heads: number;
  /** `n_inner`, 4 × modelDim in GPT-2. */
  readonly mlpDim: number;
  /** `tie_word_embeddings`: the LM head reuses the token embedding. */
  readonly tiedEmbeddings: boolean;
  /** `embd_pdrop`: dropout on token + position embeddings in training mode. Default 0. */
  readonly embdPdrop?: number;
  /** `resid_pdrop`: dropout on each attention and MLP output before the residual add. Default 0. */
  readonly residPdrop?: number;
  /** `attn_pdrop`: dropout on attention probabilities (runs the unfused attention body while active). Default 0. */
  readonly attnPdrop?: number;
}

/**
 * Ready-made GPT architectures (`gpt2` and the small ones the benchmarks and examples use), as `GptConfig`s.
 */
export const gptPresets = {
  /** The 124M-parameter `gpt2` checkpoint's architecture. */
  gpt2: { vocabSize: 50257, contextLength: 1024, modelDim: 768, layers: 12, heads: 12, mlpDim: 3072, tiedEmbeddings: true },
  /** The core issue's benchmark model: 4 layers, 4 heads, d_model 128, context 128, vocab 256. */
  tiny: { vocabSize: 256, contextLength: 128, modelDim: 128, layers: 4, heads: 4, mlpDim: 512, tiedEmbeddings: true },
} as const satisfies Record<string, GptConfig>;

/** Parameter counts of a GPT config: total, embeddings and the rest. */
export interface ParameterCount {
  readonly total: number;
  /** Token and position embeddings (and an untied LM head). */
  readonly embedding: number;
  readonly nonEmbedding: number;
}

/**
 * Parameters of a GPT-2-architecture decoder: per block two LayerNorms (2·2C), attention
 * c_attn (C·3C + 3C) and c_proj (C·C + C), MLP c_fc (C·F + F) and c_proj (F·C + C); a final
 * LayerNorm (2C); embeddings V·C + T·C; an untied head adds V·C (GPT-2's head has no bias).
 */
export function countGptParameters(config: GptConfig): ParameterCount {
  const { vocabSize: V, contextLength: T, modelDim: C, layers: L, mlpDim: F } = config;
  const perBlock = 4 * C + (3 * C * C + 3 * C) + (C * C + C) + (C * F + F) + (F * C + C);
  const embedding = V * C + T * C + (config.tiedEmbeddings ? 0 : V * C);
  const nonEmbedding = L * perBlock + 2 * C;
  return { total: embedding + nonEmbedding, embedding, nonEmbedding };
}

/**
 * Name → shape of every GPT parameter, in Hugging Face GPT2LMHeadModel's order and Conv1D layout
 * ([in, out]). `lm_head.weight` only when the head is untied.
 */
export function gptParameterShapes(config: GptConfig): Map<string, number[]> {
  const { vocabSize: V, contextLength: T, modelDim: C, layers: L, mlpDim: F } = config;
  const M = MODEL_LIMITS;
  checkConfigDimensions(
    'gptParameterShapes',
    { vocabSize: [V, 1, M.vocabSize], contextLength: [T, 1, M.positions], modelDim: [C, 1, M.modelDim], layers: [L, 1, M.layers], mlpDim: [F, 1, M.mlpDim] },
    'GptConfig',
  );
  const shapes = new Map<string, number[]>([
    ['transformer.wte.weight', [V, C]],
    ['transformer.wpe.weight', [T, C]],
  ]);
  for (let i = 0; i < L; i++) {
    const h = `transformer.h.${i}`;
    shapes.set(`${h}.ln_1.weight`, [C]).set(`${h}.ln_1.bias`, [C]);
    shapes.set(`${h}.attn.c_attn.weight`, [C, 3 * C]).set(`${h}.attn.c_attn.bias`, [3 * C]);
    shapes.set(`${h}.attn.c_proj.weight`, [C, C]).set(`${h}.attn.c_proj.bias`, [C]);
    shapes.set(`${h}.ln_2.weight`, [C]).set(`${h}.ln_2.bias`, [C]);
    shapes.set(`${h}.mlp.c_fc.weight`, [C, F]).set(`${h}.mlp.c_fc.bias`, [F]);
    shapes.set(`${h}.mlp.c_proj.weight`, [F, C]).set(`${h}.mlp.c_proj.bias`, [C]);
  }
  shapes.set('transformer.ln_f.weight', [C]).set('transformer.ln_f.bias', [C]);
  if (!config.tiedEmbeddings) shapes.set('lm_head.weight', [V, C]);
  return shapes;
}
