/**
 * GPT checkpoints as Hugging Face writes them: `model.safetensors` (GPT2LMHeadModel names, f32)
 * and `config.json` (GPT2Config). These functions work on bytes, so they run in browsers too;
 * `@wattformer/model/node` adds saving to and loading from a folder.
 */
import { tensor } from '@wattformer/core';
import { modelError } from './errors';
import { gptParameterShapes, type GptConfig } from './gpt-config';
import type { GptParameters } from './gpt';
import { gptConfigFromHf, gptConfigToHf } from './hf-config';
import { parseBoundedJson } from './bounded-json';
import { checkFiniteWeights, encodeSafetensors, readSafetensorsHeader, safetensorsSources, type SafetensorsEntry, type TensorSource } from './safetensors';

/** The two files of a Hugging Face-style GPT checkpoint: `model.safetensors` bytes and `config.json`. */
export interface GptCheckpointFiles {
  /** `model.safetensors` */
  readonly weights: Uint8Array;
  /** `config.json` text (or its parsed object when loading). */
  readonly config: string | object;
}

/** A GPT checkpoint read back: its config and parameters. */
export interface GptCheckpoint {
  readonly config: GptConfig;
  readonly parameters: GptParameters;
}

/**
 * Options of `loadGptCheckpoint` and `gptCheckpointFromBytes`: refuse a checkpoint whose config differs from the expected one.
 */
export interface LoadGptOptions {
  /** Refuse a checkpoint whose config differs from this one (field by field). */
  readonly expectedConfig?: GptConfig;
  /**
   * Load weights holding NaN or ±Infinity (refused by default, naming the tensor: such a model
   * predicts nothing, e.g. `generate` returns token 0 forever).
   */
  readonly allowNonFinite?: boolean;
}

/** Serialises parameters (read from the backend) and config; refuses names or shapes the config does not match. */
export async function gptCheckpointToBytes(parameters: GptParameters, config: GptConfig): Promise<{ weights: Uint8Array; config: string }> {
  const shapes = gptParameterShapes(config);
  const extra = [...parameters.keys()].filter((name) => !shapes.has(name));
  if (extra.length > 0) throw modelError('saveGptCheckpoint', 'only parameters of this config', `unexpected ${list(extra)}`);
  const tensors: [string, { shape: number[]; data: Float32Array }][] = [];
  for (const [name, shape] of shapes) {
    const t = parameters.get(name);
    if (t === undefined) throw modelError('saveGptCheckpoint', `parameter '${name}'`, 'none');
    if (!sameShape(t.shape, shape))
      throw modelError('saveGptCheckpoint', `'${name}' of shape [${shape}]`, `[${t.shape}]`, 'the parameters were made for another config');
    tensors.push([name, { shape, data: (await t.data()) as Float32Array }]);
  }
  return { weights: encodeSafetensors(tensors, { format: 'pt' }), config: JSON.stringify(gptConfigToHf(config), null, 2) + '\n' };
}

/**
 * Loads a GPT-2-format checkpoint onto the active backend. Treats both files as hostile: the
 * config's dimensions are bounded, every name, dtype and shape in the safetensors header is
 * checked against them before any tensor is decoded, and non-finite weights are refused.
 */
export function gptCheckpointFromBytes(files: GptCheckpointFiles, options: LoadGptOptions = {}): GptCheckpoint {
  const json: unknown = typeof files.config === 'string' ? parseBoundedJson(files.config, 'loadGptCheckpoint', 'config.json') : files.config;
  const config = gptConfigFromHf(json);
  if (options.expectedConfig !== undefined) checkGptConfig(config, options.expectedConfig);
  const sources = safetensorsSources(files.weights, readSafetensorsHeader(files.weights));
  return { config, parameters: gptParametersFromSafetensors(sources, config, options) };
}

/**
 * Maps a GPT-2 state dict onto our names: Hub checkpoints may omit the `transformer.` prefix,
 * carry the attention-mask buffers `h.N.attn.bias` / `h.N.attn.masked_bias` (dropped), and a
 * copy of the tied `lm_head.weight` (ignored when tied, as transformers does).
 */
export function gptParametersFromSafetensors(
  entries: ReadonlyMap<string, SafetensorsEntry | TensorSource>,
  config: GptConfig,
  options: Pick<LoadGptOptions, 'allowNonFinite'> = {},
): GptParameters {
  const op = 'loadGptCheckpoint';
  const shapes = gptParameterShapes(config);
  const found = new Map<string, SafetensorsEntry | TensorSource>();
  const unexpected: string[] = [];
  for (const [stored, entry] of entries) {
    if (/^(transformer\.)?h\.\d+\.attn\.(bias|masked_bias)$/.test(stored)) continue;
    const name = stored.startsWith('transformer.') || stored.startsWith('lm_head.') ? stored : `transformer.${stored}`;
    if (name === 'lm_head.weight' && config.tiedEmbeddings) continue;
    if (!shapes.has(name)) unexpected.push(stored);
    else if (found.has(name)) throw modelError(op, `one tensor named '${name}'`, `two ('${name}' with and without the 'transformer.' prefix)`);
    else found.set(name, entry);
  }
  if (unexpected.length > 0) {
    throw modelError(
      op,
      `only GPT-2 tensors for ${config.layers} layers`,
      `unexpected ${list(unexpected)}`,
      'is config.json (n_layer, tie_word_embeddings) the one saved with these weights?',
    );
  }
  const missing = [...shapes.keys()].filter((name) => !found.has(name));
  if (missing.length > 0) {
    throw modelError(
      op,
      `every GPT-2 tensor for config.json (${config.layers} layers)`,
      `missing ${list(missing)}`,
      'is config.json (n_layer, tie_word_embeddings) the one saved with these weights?',
    );
  }
  for (const [name, shape] of shapes) {
    const entry = found.get(name)!;
    if (!FLOAT_DTYPES.has(entry.dtype)) {
      throw modelError(op, `'${name}' a float tensor (F32, F16, BF16 or F64)`, entry.dtype, undefined, 'E_DTYPE');
    }
    if (!sameShape(entry.shape, shape)) {
      throw modelError(
        op,
        `'${name}' of shape [${shape.join(', ')}] (from config.json)`,
        `[${entry.shape.join(', ')}]`,
        'config.json does not describe these weights (vocab_size, n_positions, n_embd, n_inner)',
        'E_SHAPE',
      );
    }
  }
  // Every name and shape agrees: only now is any tensor decoded, one at a time (a refused one frees those made before it).
  const parameters: GptParameters = new Map();
  try {
    for (const [name, shape] of shapes) {
      const entry = found.get(name)!;
      const data = ('data' in entry ? entry.data : entry.read()) as Float32Array;
      if (options.allowNonFinite !== true) checkFiniteWeights(op, name, data);
      parameters.set(name, tensor(data, shape).keep());
    }
  } catch (error) {
    for (const t of parameters.values()) t.dispose();
    throw error;
  }
  return parameters;
}

const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16', 'F64']);

/** Refuses `got` where it differs from `expected`, naming each field. */
export function checkGptConfig(got: GptConfig, expected: GptConfig): void {
  const fields = (Object.keys(expected) as (keyof GptConfig)[]).filter((key) => got[key] !== expected[key]);
  if (fields.length > 0) {
    throw modelError(
      'loadGptCheckpoint',
      `the expected config (${fields.map((f) => `${f} ${String(expected[f])}`).join(', ')})`,
      fields.map((f) => `${f} ${String(got[f])}`).join(', '),
      'load the checkpoint that matches this model, or drop expectedConfig to take the checkpoint as it is',
    );
  }
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((n, i) => n === b[i]);
const list = (names: string[]) =>
  names
    .slice(0, 4)
    .map((n) => `'${n}'`)
    .join(', ') + (names.length > 4 ? ` and ${names.length - 4} more` : '');
