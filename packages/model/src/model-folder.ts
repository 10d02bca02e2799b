/**
 * A model folder as Hugging Face lays it out, as bytes (browser-safe; `@wattformer/model/node`
 * reads and writes folders): `config.json` (GPT2Config with the tokenizer's own bos/eos ids),
 * `model.safetensors`, `tokenizer.json`, `tokenizer_config.json`, `special_tokens_map.json` and
 * `generation_config.json` — what `AutoModelForCausalLM.from_pretrained(dir)` and
 * `AutoTokenizer.from_pretrained(dir)` read. And back: a `TextGenerator` from such files, also from
 * a GPT-2 folder with `vocab.json` + `merges.txt` instead of `tokenizer.json`.
 */
import { CharTokenizer, charTokenizerToHf, Encoding, encodingToTokenizer, Tokenizer } from '@wattformer/tokenizer';
import { gptCheckpointFromBytes, gptCheckpointToBytes } from './checkpoint';
import { modelError } from './errors';
import type { GptParameters } from './gpt';
import type { GptConfig } from './gpt-config';
import { gptConfigToHf } from './hf-config';
import { TextGenerator, type TextGenerationOptions, type TextGeneratorOptions } from './text-generator';
import { BEGIN_OF_TEXT_NAMES, END_OF_TEXT_NAMES, type TextTokenizer } from './text-tokenizer';

/**
 * A tokenizer the folder writer can save: a Hugging Face pipeline (`Tokenizer`, e.g. from
 * `trainBpe`), a `CharTokenizer`, or a tiktoken `Encoding` (r50k_base, cl100k_base, o200k_base),
 * each written as the `tokenizer.json` Hugging Face reads.
 */
export type FolderTokenizer = Tokenizer | CharTokenizer | Encoding;

/** Defaults for generation, saved as `generation_config.json` (Hugging Face names). */
export interface GenerationDefaults {
  readonly maxNewTokens?: number;
  /** Sample (do_sample) instead of greedy decoding. */
  readonly sample?: boolean;
  readonly temperature?: number;
  readonly topK?: number;
  readonly topP?: number;
  readonly repetitionPenalty?: number;
}

/** What `saveModelFolder` writes: parameters, config, tokenizer and generation defaults. */
export interface ModelFolderOptions {
  readonly parameters: GptParameters;
  readonly config: GptConfig;
  readonly tokenizer: FolderTokenizer;
  /** Defaults `generate` will use (HF `generate()` and `loadTextGenerator` alike). */
  readonly generation?: GenerationDefaults;
  /** The tokenizer's end-of-text token. Default: its `<|endoftext|>`, `</s>`, `<eos>` or `[EOS]`, if any. */
  readonly eosToken?: string | null;
  /** The tokenizer's start token. Default: its `<|endoftext|>`, `<s>`, `<bos>` or `[BOS]`, else the eos token. */
  readonly bosToken?: string | null;
}

/** The files of a model folder: name → bytes, in writing order (weights first, config last). */
export type ModelFolderFiles = Map<string, Uint8Array>;

const writeOp = 'saveModelFolder';
const readOp = 'loadTextGenerator';

/** The bytes of every file of a model folder. Reads the parameters from the backend. */
export async function modelFolderFiles(options: ModelFolderOptions): Promise<ModelFolderFiles> {
  const { parameters, config } = options;
  const tokenizer = toHfTokenizer(options.tokenizer);
  const idBound = Math.max(tokenizer.vocabSize, ...tokenizer.addedTokens.map((t) => t.id + 1));
  if (idBound > config.vocabSize) {
    throw modelError(
      writeOp,
      `a tokenizer of at most vocabSize ${config.vocabSize} tokens`,
      `${idBound}`,
      'save the tokenizer the model was trained with (config.vocabSize must cover it)',
    );
  }
  const special = (given: string | null | undefined, names: readonly string[], fallback: SpecialToken | null): SpecialToken | null => {
    if (given === null) return null;
    if (given !== undefined) {
      const id = tokenizer.tokenToId(given);
      if (id === undefined)
        throw modelError(writeOp, `'${given}' in the tokenizer's vocabulary`, 'no such token', 'add it as a special token when making the tokenizer');
      return { content: given, id };
    }
    for (const name of names) {
      const id = tokenizer.tokenToId(name);
      if (id !== undefined) return { content: name, id };
    }
    return fallback;
  };
  const eos = special(options.eosToken, END_OF_TEXT_NAMES, null);
  const bos = special(options.bosToken, BEGIN_OF_TEXT_NAMES, eos);
  const { weights } = await gptCheckpointToBytes(parameters, config);
  const generation = generationConfigJson(options.generation ?? {}, bos, eos);
  const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');
  const specialsMap: Record<string, string> = {};
  if (bos) specialsMap.bos_token = bos.content;
  if (eos) specialsMap.eos_token = eos.content;
  const addedTokensDecoder: Record<string, unknown> = {};
  for (const t of tokenizer.addedTokens) {
    addedTokensDecoder[String(t.id)] = {
      content: t.content,
      lstrip: t.lstrip,
      normalized: t.normalized,
      rstrip: t.rstrip,
      single_word: t.singleWord,
      special: t.special,
    };
  }
  return new Map<string, Uint8Array>([
    ['model.safetensors', weights],
    ['tokenizer.json', new TextEncoder().encode(tokenizer.toString() + '\n')],
    [
      'tokenizer_config.json',
      json({
        added_tokens_decoder: addedTokensDecoder,
        ...specialsMap,
        clean_up_tokenization_spaces: false,
        model_max_length: config.contextLength,
        // Without this, PreTrainedTokenizerFast also returns token_type_ids, and GPT-2 adds their
        // embeddings (wte[0]) to every position when called as model(**tokenizer(text)).
        model_input_names: ['input_ids', 'attention_mask'],
        tokenizer_class: 'PreTrainedTokenizerFast',
      }),
    ],
    ['special_tokens_map.json', json(specialsMap)],
    ['generation_config.json', json(generation)],
    ['config.json', json({ ...gptConfigToHf(config), bos_token_id: bos?.id ?? null, eos_token_id: eos?.id ?? null })],
  ]);
}

interface SpecialToken {
  readonly content: string;
  readonly id: number;
}

function toHfTokenizer(tokenizer: FolderTokenizer): Tokenizer {
  if (tokenizer instanceof CharTokenizer || isCharTokenizer(tokenizer)) return charTokenizerToHf(tokenizer as CharTokenizer); // createCharTokenizer's form, same ids
  if (tokenizer instanceof Tokenizer || isHfTokenizer(tokenizer)) return tokenizer as Tokenizer;
  if (tokenizer instanceof Encoding || isEncoding(tokenizer)) return encodingToTokenizer(tokenizer as Encoding);
  throw modelError(
    writeOp,
    'a Tokenizer (tokenizer.json pipeline), CharTokenizer or Encoding from @wattformer/tokenizer',
    tokenizer === null ? 'null' : typeof tokenizer === 'object' ? ((tokenizer as object).constructor?.name ?? 'an object') : typeof tokenizer,
    'train one with trainBpe(), load one with Tokenizer.fromJSON(), or make one with CharTokenizer.fromText()',
  );
}

// Structural checks too, so a second copy of @wattformer/tokenizer in node_modules still works.
const isCharTokenizer = (t: unknown): boolean =>
  typeof t === 'object' && t !== null && typeof (t as { toJSON?: unknown }).toJSON === 'function' && (t as CharTokenizer).toJSON().type === 'CharTokenizer';
const isEncoding = (t: unknown): boolean =>
  typeof t === 'object' && t !== null && 'vocabulary' in t && 'pattern' in t && 'specialTokens' in t && typeof (t as Encoding).encode === 'function';
const isHfTokenizer = (t: unknown): boolean =>
  typeof t === 'object' && t !== null && 'model' in t && 'addedTokens' in t && typeof (t as Tokenizer).toJSON === 'function';

function generationConfigJson(g: GenerationDefaults, bos: SpecialToken | null, eos: SpecialToken | null): Record<string, unknown> {
  const out: Record<string, unknown> = { bos_token_id: bos?.id ?? null, eos_token_id: eos?.id ?? null };
  const positive = (name: string, value: number | undefined, integer: boolean) => {
    if (value !== undefined && !(value > 0 && Number.isFinite(value) && (!integer || Number.isInteger(value)))) {
      throw modelError(writeOp, `generation.${name} a positive ${integer ? 'integer' : 'number'}`, String(value));
    }
  };
  positive('maxNewTokens', g.maxNewTokens, true);
  positive('temperature', g.temperature, false);
  positive('topK', g.topK, true);
  positive('repetitionPenalty', g.repetitionPenalty, false);
  if (g.topP !== undefined && !(g.topP > 0 && g.topP <= 1)) throw modelError(writeOp, 'generation.topP in (0, 1]', String(g.topP));
  const sample = g.sample ?? (g.temperature !== undefined || g.topK !== undefined || g.topP !== undefined);
  if (g.maxNewTokens !== undefined) out.max_new_tokens = g.maxNewTokens;
  if (g.repetitionPenalty !== undefined) out.repetition_penalty = g.repetitionPenalty;
  if (sample) {
    // Hugging Face's top_k defaults to 50; 0 turns it off, which is our default.
    Object.assign(out, { do_sample: true, temperature: g.temperature ?? 1, top_k: g.topK ?? 0, top_p: g.topP ?? 1 });
  } else if (g.temperature !== undefined || g.topK !== undefined || g.topP !== undefined) {
    throw modelError(writeOp, 'temperature/topK/topP only with sample: true', 'sample: false', 'drop them, or set sample: true');
  }
  return out;
}

/** The files `textGeneratorFromFiles` reads (text or parsed JSON; the weights as bytes). */
export interface TextGeneratorFiles {
  /** `config.json` */
  readonly config: string | object;
  /** `model.safetensors` */
  readonly weights: Uint8Array;
  /** The tokenizer: made by `tokenizerFromFiles`, or any `TextTokenizer`. */
  readonly tokenizer: TextTokenizer;
  /** `generation_config.json`, if the folder has one. */
  readonly generationConfig?: string | object;
}

/** A TextGenerator from a folder's files, the parameters loaded onto the active backend. */
export function textGeneratorFromFiles(files: TextGeneratorFiles, options: TextGeneratorOptions = {}): TextGenerator {
  const configJson = asObject(files.config, 'config.json');
  const generationJson = files.generationConfig === undefined ? undefined : asObject(files.generationConfig, 'generation_config.json');
  const checkpoint = gptCheckpointFromBytes({ weights: files.weights, config: configJson });
  return assembleTextGenerator(checkpoint, configJson, generationJson, files.tokenizer, options);
}

/**
 * The generator for loaded parameters: bos/eos ids from generation_config.json (else config.json),
 * checked against the vocabulary, and defaults from generation_config.json. On a refusal the
 * parameters are freed.
 */
export function assembleTextGenerator(
  checkpoint: { readonly config: GptConfig; readonly parameters: GptParameters },
  configJson: Record<string, unknown>,
  generationJson: Record<string, unknown> | undefined,
  tokenizer: TextTokenizer,
  options: TextGeneratorOptions = {},
): TextGenerator {
  const { config, parameters } = checkpoint;
  const generation = generationJson ?? {};
  try {
    const ids = (field: string): number | readonly number[] | null | undefined => {
      const value = generation[field] !== undefined ? generation[field] : configJson[field];
      if (value === undefined) return undefined;
      if (value === null) return null;
      const list = Array.isArray(value) ? value : [value];
      for (const id of list) {
        if (!Number.isInteger(id) || (id as number) < 0 || (id as number) >= config.vocabSize) {
          throw modelError(
            readOp,
            `${field} token ids in [0, ${config.vocabSize}) (vocab_size)`,
            JSON.stringify(value),
            'fix config.json / generation_config.json: the ids must be tokens of this tokenizer',
          );
        }
      }
      return Array.isArray(value) ? (value as number[]) : (value as number);
    };
    const eos = ids('eos_token_id');
    const bos = ids('bos_token_id');
    return new TextGenerator(parameters, config, tokenizer, {
      ...(eos === undefined ? {} : { eosTokenId: eos }),
      ...(bos === undefined ? {} : { bosTokenId: Array.isArray(bos) ? (bos[0] ?? null) : (bos as number | null) }),
      ...options,
      defaults: { ...generationDefaults(generation), ...options.defaults },
    });
  } catch (error) {
    for (const t of parameters.values()) t.dispose();
    throw error;
  }
}

/** generation_config.json → TextGenerationOptions (the fields we implement). */
function generationDefaults(json: Record<string, unknown>): TextGenerationOptions {
  const number = (field: string): number | undefined => {
    const value = json[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw modelError(readOp, `generation_config.json ${field} a number`, JSON.stringify(value));
    return value;
  };
  const out: { -readonly [K in keyof TextGenerationOptions]: TextGenerationOptions[K] } = {};
  const maxNewTokens = number('max_new_tokens');
  if (maxNewTokens !== undefined) out.maxNewTokens = maxNewTokens;
  const penalty = number('repetition_penalty');
  if (penalty !== undefined && penalty !== 1) out.repetitionPenalty = penalty;
  if (json.do_sample === true) {
    out.sample = true;
    const temperature = number('temperature');
    const topK = number('top_k');
    const topP = number('top_p');
    if (temperature !== undefined) out.temperature = temperature;
    // Hugging Face's defaults when the fields are absent: top_k 50, top_p 1; 0 turns top-k off.
    const k = topK ?? 50;
    if (k > 0) out.topK = k;
    if (topP !== undefined && topP < 1) out.topP = topP;
  }
  return out;
}

/** Maximum size of a tokenizer file read into memory (o200k's tokenizer.json is about 27 MB). */
export const MAX_TOKENIZER_FILE_BYTES = 256 * 2 ** 20;

/**
 * A tokenizer from a folder's files: `tokenizer.json` (a Hugging Face pipeline, or the
 * `{ "type": "CharTokenizer" }` form older wattformer runs wrote), or GPT-2's `vocab.json` +
 * `merges.txt` (byte-level BPE; `addPrefixSpace` from tokenizer_config.json, default false).
 */
export function tokenizerFromFiles(files: {
  tokenizerJson?: string;
  vocabJson?: string;
  mergesTxt?: string;
  addPrefixSpace?: boolean;
}): Tokenizer | CharTokenizer {
  for (const [name, text] of [
    ['tokenizer.json', files.tokenizerJson],
    ['vocab.json', files.vocabJson],
    ['merges.txt', files.mergesTxt],
  ] as const) {
    if (text !== undefined && text.length > MAX_TOKENIZER_FILE_BYTES) {
      throw modelError(readOp, `${name} of at most ${MAX_TOKENIZER_FILE_BYTES} characters`, `${text.length}`);
    }
  }
  if (files.tokenizerJson !== undefined) {
    const parsed = parseJson(files.tokenizerJson, 'tokenizer.json');
    if (parsed !== null && typeof parsed === 'object' && (parsed as { type?: unknown }).type === 'CharTokenizer')
      return CharTokenizer.fromJSON(parsed as never);
    return Tokenizer.fromJSON(parsed as object);
  }
  if (files.vocabJson === undefined || files.mergesTxt === undefined) {
    throw modelError(
      readOp,
      'tokenizer.json, or vocab.json and merges.txt',
      files.vocabJson !== undefined ? 'vocab.json without merges.txt' : files.mergesTxt !== undefined ? 'merges.txt without vocab.json' : 'none',
      'a model folder needs its tokenizer: save it with tokenizer.save_pretrained(folder) in Python',
    );
  }
  const vocab = asObject(parseJson(files.vocabJson, 'vocab.json'), 'vocab.json');
  const merges = files.mergesTxt.split('\n').filter((line, i) => line.trim() !== '' && !(i === 0 && line.startsWith('#version')));
  const byteLevel = { add_prefix_space: files.addPrefixSpace ?? false, trim_offsets: true, use_regex: true };
  const addedTokens = ['<|endoftext|>'].flatMap((content) =>
    typeof vocab[content] === 'number'
      ? [{ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }]
      : [],
  );
  return Tokenizer.fromJSON({
    version: '1.0',
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
    post_processor: { type: 'ByteLevel', ...byteLevel, trim_offsets: false },
    decoder: { type: 'ByteLevel', ...byteLevel },
  });
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw modelError(readOp, `${name} to be JSON`, (error as Error).message);
  }
}

export function asObject(value: unknown, name: string): Record<string, unknown> {
  const parsed = typeof value === 'string' ? parseJson(value, name) : value;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw modelError(readOp, `${name} to hold a JSON object`, Array.isArray(parsed) ? 'an array' : String(parsed));
  return parsed as Record<string, unknown>;
}
