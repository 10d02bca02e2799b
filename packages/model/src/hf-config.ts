/**
 * GptConfig ⇄ Hugging Face GPT2Config (`config.json`), so a checkpoint saved here loads in
 * `GPT2LMHeadModel.from_pretrained` and a GPT-2 checkpoint from the Hub loads here. Fields that
 * would change the maths in a way our GPT does not implement are refused, not ignored.
 */
import { describeJson } from './bounded-json';
import { boundedInteger, MODEL_LIMITS } from './config-limits';
import { modelError } from './errors';
import type { GptConfig } from './gpt-config';

/** The `config.json` we write; dropout fields are the config's (0 when unset). */
export function gptConfigToHf(config: GptConfig): Record<string, unknown> {
  return {
    activation_function: 'gelu_new',
    architectures: ['GPT2LMHeadModel'],
    attn_pdrop: config.attnPdrop ?? 0,
    embd_pdrop: config.embdPdrop ?? 0,
    initializer_range: 0.02,
    layer_norm_epsilon: 1e-5,
    model_type: 'gpt2',
    n_embd: config.modelDim,
    n_head: config.heads,
    n_inner: config.mlpDim,
    n_layer: config.layers,
    n_positions: config.contextLength,
    reorder_and_upcast_attn: false,
    resid_pdrop: config.residPdrop ?? 0,
    scale_attn_by_inverse_layer_idx: false,
    scale_attn_weights: true,
    tie_word_embeddings: config.tiedEmbeddings,
    torch_dtype: 'float32',
    use_cache: true,
    vocab_size: config.vocabSize,
  };
}

const op = 'loadGptCheckpoint';

/** Reads a GPT2Config; missing fields take GPT2Config's defaults, as in transformers. */
export function gptConfigFromHf(json: unknown): GptConfig {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw modelError(op, 'config.json to hold a JSON object', typeof json);
  const c = json as Record<string, unknown>;
  const modelType = c.model_type ?? 'gpt2';
  if (modelType !== 'gpt2') throw modelError(op, "config.json model_type 'gpt2'", describeJson(modelType), 'only GPT-2-architecture checkpoints load as a GPT');
  const activation = c.activation_function ?? 'gelu_new';
  if (activation !== 'gelu_new' && activation !== 'gelu_pytorch_tanh') {
    throw modelError(op, "activation_function 'gelu_new' or 'gelu_pytorch_tanh' (tanh GELU)", describeJson(activation), undefined, 'E_UNSUPPORTED');
  }
  const epsilon = c.layer_norm_epsilon ?? 1e-5;
  if (epsilon !== 1e-5) throw modelError(op, 'layer_norm_epsilon 1e-5 (the LayerNorm used here)', describeJson(epsilon), undefined, 'E_UNSUPPORTED');
  const unsupported: [string, unknown][] = [
    ['scale_attn_weights', true],
    ['scale_attn_by_inverse_layer_idx', false],
    ['reorder_and_upcast_attn', false],
    ['add_cross_attention', false],
  ];
  for (const [field, value] of unsupported) {
    if (c[field] !== undefined && c[field] !== value) throw modelError(op, `${field} ${String(value)}`, describeJson(c[field]), undefined, 'E_UNSUPPORTED');
  }
  // Bounded (config-limits.ts) so a crafted config is refused before anything is built from it.
  const integer = (field: string, fallback: number | null, max: number): number => boundedInteger(op, field, c[field] ?? fallback, 1, max);
  const modelDim = integer('n_embd', 768, MODEL_LIMITS.modelDim);
  const heads = integer('n_head', 12, modelDim);
  if (modelDim % heads !== 0) throw modelError(op, `n_head dividing n_embd ${modelDim}`, String(heads));
  const tied = c.tie_word_embeddings ?? true;
  if (typeof tied !== 'boolean') throw modelError(op, 'tie_word_embeddings true or false', describeJson(tied));
  // Dropout fields appear only when nonzero, so a config without dropout round-trips unchanged.
  // A missing field means no dropout here (GPT2Config's default would be 0.1).
  const rates: { embdPdrop?: number; residPdrop?: number; attnPdrop?: number } = {};
  for (const [field, key] of [
    ['embd_pdrop', 'embdPdrop'],
    ['resid_pdrop', 'residPdrop'],
    ['attn_pdrop', 'attnPdrop'],
  ] as const) {
    const value = c[field] ?? 0;
    if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw modelError(op, `config.json ${field} in [0, 1)`, describeJson(value));
    if (value !== 0) rates[key] = value;
  }
  return {
    vocabSize: integer('vocab_size', 50257, MODEL_LIMITS.vocabSize),
    contextLength:
      c.n_positions === undefined || c.n_positions === null
        ? integer('n_ctx', 1024, MODEL_LIMITS.positions)
        : integer('n_positions', null, MODEL_LIMITS.positions),
    modelDim,
    layers: integer('n_layer', 12, MODEL_LIMITS.layers),
    heads,
    mlpDim: c.n_inner === null || c.n_inner === undefined ? 4 * modelDim : integer('n_inner', null, MODEL_LIMITS.mlpDim),
    tiedEmbeddings: tied,
    ...rates,
  };
}
