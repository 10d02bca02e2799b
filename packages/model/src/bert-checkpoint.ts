/**
 * Hugging Face BERT checkpoints: BertConfig (`config.json`) ⇄ BertConfig + head, and weights from
 * a `model.safetensors` (bytes, so it works in browsers too) as transformers' `from_pretrained`
 * reads them: names with or without the `bert.` prefix, TF-era `gamma`/`beta` LayerNorm names,
 * buffers and tied copies skipped, tensors of other heads ignored and this head's missing
 * tensors initialised — both reported, as transformers warns about them. A missing or mis-shaped
 * encoder tensor is an error naming it.
 */
import { tensor, type Tensor } from '@wattformer/core';
import { initBertParameters } from './bert';
import { bertParameterShapes, type BertConfig, type BertHead } from './bert-config';
import { modelError } from './errors';
import { checkParameters } from './module';
import { describeJson } from './bounded-json';
import { boundedInteger, MODEL_LIMITS } from './config-limits';
import { checkFiniteWeights, encodeSafetensors, type SafetensorsEntry, type TensorSource } from './safetensors';

const op = 'loadBertCheckpoint';

/** Options of `bertConfigFromHf` (reading a Hugging Face BERT `config.json`). */
export interface BertConfigOptions {
  /** The head to build, overriding `architectures` (e.g. fine-tune a BertForPreTraining checkpoint). */
  readonly head?: BertHead;
}

/** The head `architectures[0]` names, with `num_labels` (or the size of `id2label`). */
function headFromHf(c: Record<string, unknown>): BertHead {
  const architecture = Array.isArray(c.architectures) ? c.architectures[0] : undefined;
  const labels = c.num_labels ?? (c.id2label && typeof c.id2label === 'object' ? Object.keys(c.id2label).length : 2);
  const numLabels = boundedInteger(op, 'num_labels (or the size of id2label)', labels, 1, MODEL_LIMITS.labels);
  if (architecture === 'BertForSequenceClassification') {
    if (c.problem_type !== undefined && c.problem_type !== null && c.problem_type !== 'single_label_classification') {
      throw modelError(op, "problem_type 'single_label_classification'", describeJson(c.problem_type), undefined, 'E_UNSUPPORTED');
    }
    return { kind: 'sequence-classification', numLabels };
  }
  if (architecture === 'BertForTokenClassification') return { kind: 'token-classification', numLabels };
  if (architecture === 'BertForMaskedLM') return { kind: 'masked-lm' };
  if (architecture === undefined || architecture === 'BertModel') return { kind: 'none' };
  throw modelError(
    op,
    'architectures BertModel, BertForSequenceClassification, BertForTokenClassification or BertForMaskedLM',
    describeJson(architecture),
    'pass { head } to choose the head to build',
  );
}

/** Reads a BertConfig `config.json`; missing fields take BertConfig's defaults (bert-base-uncased). */
export function bertConfigFromHf(json: unknown, options: BertConfigOptions = {}): { config: BertConfig; head: BertHead } {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw modelError(op, 'config.json to hold a JSON object', typeof json);
  const c = json as Record<string, unknown>;
  if ((c.model_type ?? 'bert') !== 'bert') throw modelError(op, "config.json model_type 'bert'", describeJson(c.model_type));
  const activation = c.hidden_act ?? 'gelu';
  if (activation !== 'gelu' && activation !== 'gelu_new' && activation !== 'gelu_pytorch_tanh') {
    throw modelError(op, "hidden_act 'gelu' (erf), 'gelu_new' or 'gelu_pytorch_tanh' (tanh)", describeJson(activation), undefined, 'E_UNSUPPORTED');
  }
  for (const [field, value] of [
    ['position_embedding_type', 'absolute'],
    ['is_decoder', false],
    ['add_cross_attention', false],
  ] as const) {
    if (c[field] !== undefined && c[field] !== value)
      throw modelError(op, `${field} ${JSON.stringify(value)}`, describeJson(c[field]), undefined, 'E_UNSUPPORTED');
  }
  // Bounded (config-limits.ts) so a crafted config is refused before anything is built from it.
  const integer = (field: string, fallback: number, max: number, min = 1): number => boundedInteger(op, field, c[field] ?? fallback, min, max);
  const positive = (field: string, fallback: number): number => {
    const value = c[field] ?? fallback;
    if (typeof value !== 'number' || !(value > 0 && value < 1)) throw modelError(op, `config.json ${field} a number in (0, 1)`, describeJson(value));
    return value;
  };
  const rate = (field: string): number => {
    const value = c[field] ?? 0.1;
    if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw modelError(op, `config.json ${field} in [0, 1)`, describeJson(value));
    return value;
  };
  const config: BertConfig = {
    vocabSize: integer('vocab_size', 30522, MODEL_LIMITS.vocabSize),
    maxPositions: integer('max_position_embeddings', 512, MODEL_LIMITS.positions),
    typeVocabSize: integer('type_vocab_size', 2, MODEL_LIMITS.vocabSize, 0),
    modelDim: integer('hidden_size', 768, MODEL_LIMITS.modelDim),
    layers: integer('num_hidden_layers', 12, MODEL_LIMITS.layers),
    heads: integer('num_attention_heads', 12, MODEL_LIMITS.modelDim),
    mlpDim: integer('intermediate_size', 3072, MODEL_LIMITS.mlpDim),
    hiddenDropout: rate('hidden_dropout_prob'),
    attentionDropout: rate('attention_probs_dropout_prob'),
    layerNormEps: positive('layer_norm_eps', 1e-12),
    initializerRange: positive('initializer_range', 0.02),
    hiddenAct: activation === 'gelu' ? 'gelu' : 'gelu_new',
  };
  if (c.classifier_dropout !== undefined && c.classifier_dropout !== null && c.classifier_dropout !== config.hiddenDropout) {
    throw modelError(
      op,
      `classifier_dropout null or hidden_dropout_prob ${config.hiddenDropout} (the heads use hidden_dropout_prob)`,
      describeJson(c.classifier_dropout),
      undefined,
      'E_UNSUPPORTED',
    );
  }
  if (config.modelDim % config.heads !== 0) throw modelError(op, `num_attention_heads dividing hidden_size ${config.modelDim}`, String(config.heads));
  return { config, head: options.head ?? headFromHf(c) };
}

/** The `config.json` for a model built here. */
export function bertConfigToHf(config: BertConfig, head: BertHead = { kind: 'none' }): Record<string, unknown> {
  const architectures = {
    none: 'BertModel',
    'sequence-classification': 'BertForSequenceClassification',
    'token-classification': 'BertForTokenClassification',
    'masked-lm': 'BertForMaskedLM',
  };
  return {
    architectures: [architectures[head.kind]],
    attention_probs_dropout_prob: config.attentionDropout,
    hidden_act: config.hiddenAct,
    hidden_dropout_prob: config.hiddenDropout,
    hidden_size: config.modelDim,
    initializer_range: config.initializerRange,
    intermediate_size: config.mlpDim,
    layer_norm_eps: config.layerNormEps,
    max_position_embeddings: config.maxPositions,
    model_type: 'bert',
    num_attention_heads: config.heads,
    num_hidden_layers: config.layers,
    ...(head.kind === 'sequence-classification' || head.kind === 'token-classification' ? { num_labels: head.numLabels } : {}),
    position_embedding_type: 'absolute',
    type_vocab_size: config.typeVocabSize,
    vocab_size: config.vocabSize,
  };
}

/**
 * What loading BERT weights for one head returns: the parameters, the stored tensors it ignored and the ones it had to initialise.
 */
export interface LoadedBertParameters {
  readonly parameters: Map<string, Tensor>;
  /** Stored tensors this head does not use (another head's, the pooler, NSP), as transformers' "unused weights". */
  readonly ignored: string[];
  /** This head's tensors the file lacks, freshly initialised, as transformers' "newly initialized". */
  readonly initialized: string[];
}

/** Our name for a stored one: `bert.` added to bare encoder names, `gamma`/`beta` → `weight`/`bias`. */
function canonicalName(stored: string): string {
  const name = stored.replace(/\.gamma$/, '.weight').replace(/\.beta$/, '.bias');
  return /^(embeddings|encoder|pooler)\./.test(name) ? `bert.${name}` : name;
}

const isHeadName = (name: string) => name.startsWith('classifier.') || name.startsWith('cls.') || name.startsWith('bert.pooler.');

/** Weights from a decoded `model.safetensors` for `config` and `head`; `seed` initialises missing head tensors. */
export function bertParametersFromSafetensors(
  entries: ReadonlyMap<string, SafetensorsEntry | TensorSource>,
  config: BertConfig,
  head: BertHead,
  seed = 0,
  options: { readonly allowNonFinite?: boolean } = {},
): LoadedBertParameters {
  const shapes = bertParameterShapes(config, head);
  const found = new Map<string, SafetensorsEntry | TensorSource>();
  const ignored: string[] = [];
  for (const [stored, entry] of entries) {
    // Buffers and tied copies: position ids, the MLM decoder (word embeddings) and its bias (cls.predictions.bias).
    if (stored.endsWith('embeddings.position_ids') || stored === 'cls.predictions.decoder.weight' || stored === 'cls.predictions.decoder.bias') continue;
    const name = canonicalName(stored);
    if (shapes.has(name)) {
      if (found.has(name)) throw modelError(op, `one tensor named '${name}'`, `two ('${stored}' and another spelling)`);
      found.set(name, entry);
    } else if (isHeadName(name)) ignored.push(stored);
    else
      throw modelError(
        op,
        `only BERT tensors for ${config.layers} layers`,
        `unexpected '${stored}'`,
        'is config.json (num_hidden_layers, type_vocab_size) the one saved with these weights?',
      );
  }
  const missing = [...shapes.keys()].filter((name) => !found.has(name));
  const missingEncoder = missing.filter((name) => !isHeadName(name));
  if (missingEncoder.length > 0) {
    throw modelError(
      op,
      `every encoder tensor for config.json (${config.layers} layers)`,
      `missing '${missingEncoder[0]}'${missingEncoder.length > 1 ? ` and ${missingEncoder.length - 1} more` : ''}`,
    );
  }
  for (const [name, entry] of found) {
    const shape = shapes.get(name)!;
    if (entry.dtype !== 'F32' && entry.dtype !== 'F16' && entry.dtype !== 'BF16' && entry.dtype !== 'F64') {
      throw modelError(op, `'${name}' a float tensor (F32, F16, BF16 or F64)`, entry.dtype, undefined, 'E_DTYPE');
    }
    if (entry.shape.length !== shape.length || entry.shape.some((n, d) => n !== shape[d])) {
      throw modelError(
        op,
        `'${name}' of shape [${shape.join(', ')}] (from config.json)`,
        `[${entry.shape.join(', ')}]`,
        'config.json does not describe these weights',
        'E_SHAPE',
      );
    }
  }
  // Names and shapes agree: only now is anything decoded (and checked finite) or initialised.
  const decoded = new Map<string, Float32Array>();
  for (const [name, entry] of found) {
    const data = ('data' in entry ? entry.data : entry.read()) as Float32Array;
    if (options.allowNonFinite !== true) checkFiniteWeights(op, name, data);
    decoded.set(name, data);
  }
  const fresh = missing.length > 0 ? initBertParameters(config, head, seed) : new Map<string, Tensor>();
  const parameters = new Map<string, Tensor>();
  for (const [name, shape] of shapes) {
    const data = decoded.get(name);
    parameters.set(name, data ? tensor(data, shape).keep() : fresh.get(name)!);
  }
  for (const [name, t] of fresh) if (!missing.includes(name)) t.dispose();
  return { parameters, ignored, initialized: missing };
}

/**
 * `model.safetensors` bytes (HF BertFor… names, f32, read from the backend) and `config.json`
 * text for parameters of `config` and `head`; a folder with both loads in transformers'
 * `from_pretrained` (the MLM decoder is tied, so it is not written, as transformers does).
 */
export async function bertCheckpointToBytes(
  parameters: ReadonlyMap<string, Tensor>,
  config: BertConfig,
  head: BertHead = { kind: 'none' },
): Promise<{ weights: Uint8Array; config: string }> {
  const shapes = bertParameterShapes(config, head);
  checkParameters('saveBertCheckpoint', parameters, shapes);
  const tensors: [string, { shape: number[]; data: Float32Array }][] = [];
  for (const [name, shape] of shapes) tensors.push([name, { shape, data: (await parameters.get(name)!.data()) as Float32Array }]);
  return { weights: encodeSafetensors(tensors, { format: 'pt' }), config: JSON.stringify(bertConfigToHf(config, head), null, 2) + '\n' };
}
