/**
 * Text in, text out: a GPT (parameters + config) and its tokenizer. Runs anywhere the model runs
 * (Node, browsers, any backend); `loadTextGenerator` in `@wattformer/model/node` makes one from a
 * folder.
 *
 * Built on the token-level machinery: `generateWindowed` (which is `generateStream`, KV cache and
 * sampling, plus a sliding window past the context length), `IncrementalText` (UTF-8-safe
 * incremental decoding and stop strings) and `Utf8Constraint` (byte-level tokenizers never produce
 * bytes that are not UTF-8).
 */
import { modelError } from './errors';
import type { GptParameters } from './gpt';
import type { GptConfig } from './gpt-config';
import { IncrementalText } from './incremental-text';
import { BEGIN_OF_TEXT_NAMES, END_OF_TEXT_NAMES, findSpecialId, type TextTokenizer } from './text-tokenizer';
import { UTF8_COMPLETE, Utf8Constraint } from './utf8-constraint';
import { generateWindowed } from './windowed-generate';

/**
 * Options of one generation: length, sampling (temperature, top-k, top-p), seed, stop strings and the window stride past the context length.
 */
export interface TextGenerationOptions {
  /** New tokens per prompt at most (default 64, or the folder's generation_config.json). May exceed the context: see `windowStride`. */
  readonly maxNewTokens?: number;
  /**
   * Draw from the distribution instead of taking the most likely token. Default: true when
   * `temperature` (> 0), `topK` or `topP` is given, else false (greedy). `temperature: 0` is greedy.
   */
  readonly sample?: boolean;
  /** Divides the logits before sampling; < 1 sharpens, > 1 flattens. Default 1. */
  readonly temperature?: number;
  /** Sample among the k most likely tokens only. */
  readonly topK?: number;
  /** Sample among the smallest set of most likely tokens whose probability reaches p (nucleus). */
  readonly topP?: number;
  /** > 1 discourages tokens already in the window (CTRL's penalty, as in Hugging Face). Default 1. */
  readonly repetitionPenalty?: number;
  /** Seed of the draws: the same seed, prompt and options give the same text. */
  readonly seed?: number;
  /** Stop when the generated text contains one of these; the returned text ends before it. */
  readonly stop?: string | readonly string[];
  /** Token ids that end a row (kept out of the text), in addition to the end-of-text id. */
  readonly stopTokens?: readonly number[];
  /** Keep going past the end-of-text token (default false). */
  readonly ignoreEos?: boolean;
  /**
   * Past the context length, the window slides by this many tokens at a time: the last
   * `contextLength − windowStride` tokens are re-encoded (one forward pass) and the next
   * `windowStride` tokens come from the KV cache. Default: a quarter of the context.
   */
  readonly windowStride?: number;
  /** Abort generation (e.g. a Stop button): the promise rejects / the stream throws the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * Keep the text well-formed UTF-8 (default true). A byte-level tokenizer (byte-level BPE) lets
   * the model sample bytes that are not UTF-8 together (a lead byte then a non-continuation byte,
   * a stray continuation byte), which decode to U+FFFD. With this on, before each draw the tokens
   * whose bytes would make the text so far ill-formed get −∞ (as do the end-of-text and stop
   * tokens while a character is pending, and U+FFFD itself), so greedy, temperature, top-k and
   * top-p choose among the rest and the text never contains U+FFFD. When `maxNewTokens` cuts a
   * character off, its bytes are left out of the text (they stay in `TextCompletion.tokens`).
   * Greedy text that was well-formed without it is unchanged. Character-level tokenizers are not
   * affected and pay nothing. false: the model's choices as they are (`generate`,
   * `generateStream` and `generateWindowed`, the token-id API, never constrain).
   */
  readonly constrainUtf8?: boolean;
}

/** One prompt's completion: the text, its token ids and why generation stopped. */
export interface TextCompletion {
  /** The generated text (without the prompt, the end-of-text token or the stop string). */
  readonly text: string;
  /** The generated token ids (those after a stop string included; the end-of-text id included). */
  readonly tokens: readonly number[];
  /** Tokens the prompt was encoded to (after keeping its last contextLength − 1). */
  readonly promptTokens: number;
  /**
   * 'eos': the end-of-text (or a stop) token; 'stop': a stop string; 'length': maxNewTokens (with
   * `constrainUtf8`, a character it cut off is left out of `text`).
   */
  readonly finishReason: 'eos' | 'stop' | 'length';
}

/** Options of a `TextGenerator`: end and start token ids and the default generation options. */
export interface TextGeneratorOptions {
  /** End-of-text id (stops generation); null for none. Default: the tokenizer's, or its `<|endoftext|>`/`</s>`. */
  readonly eosTokenId?: number | readonly number[] | null;
  /** Id an empty prompt starts from. Default: the tokenizer's, or its `<|endoftext|>`/`<s>`, else the eos id. */
  readonly bosTokenId?: number | null;
  /** Defaults for every call (a call's options win). */
  readonly defaults?: TextGenerationOptions;
}

const op = 'TextGenerator';

/** UTF-8 constraints built so far, per tokenizer object and model vocabulary size (built once per tokenizer). */
const constraints = new WeakMap<object, Map<number, Utf8Constraint | null>>();

/**
 * Generates text from a GPT and a tokenizer: strings in, strings out, with sampling options, stop strings, streaming and generation past the context window.
 */
export class TextGenerator {
  readonly eosTokenIds: readonly number[];
  readonly bosTokenId: number | undefined;
  readonly defaults: TextGenerationOptions;

  constructor(
    readonly parameters: GptParameters,
    readonly config: GptConfig,
    readonly tokenizer: TextTokenizer,
    options: TextGeneratorOptions = {},
  ) {
    if (tokenizer === null || typeof tokenizer !== 'object' || typeof tokenizer.encode !== 'function' || typeof tokenizer.decode !== 'function') {
      throw modelError(
        op,
        'a tokenizer with encode(text) and decode(ids)',
        tokenizer === null ? 'null' : typeof tokenizer,
        'pass a Tokenizer or CharTokenizer from @wattformer/tokenizer',
      );
    }
    const eos = options.eosTokenId !== undefined ? options.eosTokenId : (tokenizer.eosTokenId ?? findSpecialId(tokenizer, END_OF_TEXT_NAMES) ?? null);
    this.eosTokenIds = eos === null ? [] : typeof eos === 'number' ? [eos] : [...eos];
    const bos =
      options.bosTokenId !== undefined
        ? options.bosTokenId
        : (tokenizer.bosTokenId ?? findSpecialId(tokenizer, BEGIN_OF_TEXT_NAMES) ?? this.eosTokenIds[0] ?? null);
    this.bosTokenId = bos ?? undefined;
    for (const id of [...this.eosTokenIds, ...(bos === null ? [] : [bos])]) {
      if (!Number.isInteger(id) || id < 0 || id >= config.vocabSize) throw modelError(op, `bos/eos ids in [0, ${config.vocabSize})`, String(id));
    }
    this.defaults = options.defaults ?? {};
  }

  /** Generates a continuation of `prompt` (or of each prompt of a batch, in one batched pass). */
  generate(prompt: string, options?: TextGenerationOptions): Promise<string>;
  generate(prompts: readonly string[], options?: TextGenerationOptions): Promise<string[]>;
  async generate(prompts: string | readonly string[], options: TextGenerationOptions = {}): Promise<string | string[]> {
    const completions = await this.complete(typeof prompts === 'string' ? [prompts] : prompts, options);
    return typeof prompts === 'string' ? completions[0]!.text : completions.map((c) => c.text);
  }

  /** As `generate` for a batch, with each row's tokens and why it ended. */
  async complete(prompts: readonly string[], options: TextGenerationOptions = {}): Promise<TextCompletion[]> {
    if (!Array.isArray(prompts) || prompts.length === 0)
      throw modelError(op, 'at least one prompt', Array.isArray(prompts) ? 'an empty array' : typeof prompts);
    const run = this.prepare(prompts, options);
    for await (const { row, token } of run.events()) run.take(row, token);
    return run.completions();
  }

  /**
   * Yields the continuation of `prompt` as it is generated. Chunks never end inside a character
   * (bytes of a character split over tokens are held until it is complete) nor inside what may be
   * a stop string; joined, they equal `generate(prompt, options)` with the same options.
   * Breaking out of the loop stops generation and frees its memory.
   */
  async *stream(prompt: string, options: TextGenerationOptions = {}): AsyncGenerator<string, void, undefined> {
    const run = this.prepare([prompt], options);
    for await (const { row, token } of run.events()) {
      const chunk = run.take(row, token);
      if (chunk !== '') yield chunk;
    }
    const rest = run.finishRow(0);
    if (rest !== '') yield rest;
  }

  private undecodable: number[] | undefined;

  /**
   * Model ids the tokenizer cannot decode (a model vocabulary padded past the tokenizer's): never
   * generated. Ids from the tokenizer's vocabSize up are tried once each (a vocabulary may have holes).
   */
  private undecodableIds(): number[] {
    if (this.undecodable !== undefined) return this.undecodable;
    const from = this.tokenizer.vocabSize;
    const ids: number[] = [];
    if (typeof from === 'number') {
      for (let id = Math.max(0, from); id < this.config.vocabSize; id++) {
        try {
          this.tokenizer.decode([id]);
        } catch {
          ids.push(id);
        }
      }
    }
    return (this.undecodable = ids);
  }

  private utf8: Utf8Constraint | null | undefined;

  /** The tokenizer's UTF-8 constraint (built once per tokenizer), or null when its tokens are all complete characters. */
  private utf8Constraint(): Utf8Constraint | null {
    if (this.utf8 !== undefined) return this.utf8;
    const V = this.config.vocabSize;
    let byVocab = constraints.get(this.tokenizer);
    if (byVocab === undefined) constraints.set(this.tokenizer, (byVocab = new Map()));
    const constraint = byVocab.has(V) ? byVocab.get(V)! : Utf8Constraint.forTokenizer(this.tokenizer, V);
    byVocab.set(V, constraint);
    if (constraint !== null && !constraint.canStart) {
      throw modelError(
        op,
        'a tokenizer with at least one token of well-formed UTF-8 text (constrainUtf8)',
        'none: every token is a partial character or has unknown bytes',
        'pass constrainUtf8: false, or a tokenizer with tokenBytes(id)',
      );
    }
    return (this.utf8 = constraint);
  }

  /** Frees the parameters (for a generator that owns them, e.g. from `loadTextGenerator`). */
  dispose(): void {
    for (const t of this.parameters.values()) t.dispose();
  }

  private prepare(prompts: readonly string[], callOptions: TextGenerationOptions) {
    const options = { ...this.defaults, ...callOptions };
    const { signal } = options;
    signal?.throwIfAborted();
    const maxNewTokens = options.maxNewTokens ?? 64;
    if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) throw modelError(op, 'maxNewTokens a positive integer', String(maxNewTokens));
    const stops = options.stop === undefined ? [] : typeof options.stop === 'string' ? [options.stop] : [...options.stop];
    if (stops.some((s) => typeof s !== 'string' || s.length === 0))
      throw modelError(op, 'stop strings that are non-empty strings', JSON.stringify(options.stop));
    const temperature = options.temperature;
    const sample = options.sample ?? ((temperature !== undefined && temperature > 0) || options.topK !== undefined || options.topP !== undefined);
    if (temperature !== undefined && !(temperature >= 0 && Number.isFinite(temperature))) throw modelError(op, 'temperature >= 0', String(temperature));
    const greedy = !sample || temperature === 0;
    const endTokens = new Set([...(options.ignoreEos ? [] : this.eosTokenIds), ...(options.stopTokens ?? [])]);
    const contextLimit = this.config.contextLength - 1;
    const suppressTokens = this.undecodableIds();
    const utf8 = options.constrainUtf8 === false ? null : this.utf8Constraint();
    const endTokenList = [...endTokens];
    const encoded = prompts.map((prompt, row) => {
      if (typeof prompt !== 'string') throw modelError(op, `prompts[${row}] a string`, typeof prompt);
      const ids = prompt === '' ? [] : [...this.tokenizer.encode(prompt)];
      if (ids.length === 0) {
        if (this.bosTokenId === undefined) {
          throw modelError(
            op,
            'a non-empty prompt (this tokenizer has no bos/eos token to start from)',
            'an empty prompt',
            'give a prompt, or a bosTokenId in the TextGenerator options',
          );
        }
        ids.push(this.bosTokenId);
      }
      return ids.slice(-contextLimit);
    });
    const texts = prompts.map(() => new IncrementalText((ids) => this.tokenizer.decode(ids), stops));
    const tokens = prompts.map((): number[] => []);
    const reasons = prompts.map((): TextCompletion['finishReason'] | undefined => undefined);
    // Each row's UTF-8 automaton state after its generated bytes (0: no character pending).
    const states = prompts.map(() => UTF8_COMPLETE);
    const finishText = (row: number): string => texts[row]!.finish({ dropIncomplete: utf8 !== null && states[row] !== UTF8_COMPLETE });
    const { parameters, config } = this;
    const events = () =>
      generateWindowed(parameters, config, encoded, {
        maxNewTokens,
        sample: !greedy,
        ...(greedy ? {} : pick(options, ['temperature', 'topK', 'topP'])),
        ...pick(options, ['repetitionPenalty', 'seed', 'windowStride']),
        stopTokens: [...endTokens],
        ...(suppressTokens.length > 0 ? { suppressTokens } : {}),
        ...(utf8 ? { logitsProcessor: (row: number, logits: Float32Array) => utf8.mask(logits, states[row]!, endTokenList) } : {}),
        rowFinished: (row) => {
          signal?.throwIfAborted();
          return reasons[row] !== undefined;
        },
      });
    return {
      events,
      /** Takes row's next token; returns its newly final text. */
      take: (row: number, token: number): string => {
        if (reasons[row] !== undefined) return '';
        tokens[row]!.push(token);
        if (endTokens.has(token)) {
          reasons[row] = 'eos';
          return finishText(row);
        }
        // A banned token never gets here (its logit was −∞); were one to, the decoder resynchronises.
        if (utf8) states[row] = Math.max(UTF8_COMPLETE, utf8.advance(states[row]!, token));
        let chunk = texts[row]!.push(token);
        if (texts[row]!.stopped) reasons[row] = 'stop';
        else if (tokens[row]!.length === maxNewTokens) {
          reasons[row] = 'length';
          chunk += finishText(row);
        }
        return chunk;
      },
      finishRow: finishText,
      completions: (): TextCompletion[] =>
        texts.map((text, row) => {
          finishText(row);
          return { text: text.text, tokens: tokens[row]!, promptTokens: encoded[row]!.length, finishReason: reasons[row] ?? 'length' };
        }),
    };
  }
}

function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out;
}
