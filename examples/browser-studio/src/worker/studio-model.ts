/**
 * The studio's model: a tiny GPT, its tokenizer (characters or byte-level BPE) and where its
 * tensors live. Checkpoints are Hugging Face files (`model.safetensors` + `config.json`); the
 * tokenizer (the character vocabulary, or the BPE tokenizer.json) and the step count ride along
 * in config.json under `wattformer_studio`, which transformers keeps as an unknown attribute and
 * `gptConfigFromHf` ignores.
 */
import { countGptParameters, gptCheckpointFromBytes, gptCheckpointToBytes, initGptParameters, type GptConfig, type GptParameters } from '@wattformer/model';
import { tensor } from '@wattformer/core';
import { studioError } from '../errors';
import type { BackendChoice, CheckpointFiles, ModelSize, ModelSummary, TokenizerChoice } from '../protocol';
import { buildTokenizer, tokenizerFromJSON, type StudioTokenizer, type TokenizerProgress } from './studio-tokenizer';

/**
 * `tiny` learns visible words in a few hundred steps on wasm; `micro` has about half the kernel
 * launches per step, for software WebGPU adapters (SwiftShader), where launches dominate.
 */
export function studioConfig(vocabSize: number, size: ModelSize): GptConfig {
  return size === 'micro'
    ? { vocabSize, contextLength: 16, modelDim: 32, layers: 1, heads: 2, mlpDim: 128, tiedEmbeddings: true }
    : { vocabSize, contextLength: 32, modelDim: 48, layers: 2, heads: 2, mlpDim: 192, tiedEmbeddings: true };
}

interface StudioExtras {
  /** Absent in checkpoints written before BPE: a character vocabulary. */
  readonly tokenizerKind?: 'char' | 'bpe';
  readonly tokenizer: unknown;
  readonly step: number;
  readonly textName: string;
}

export class StudioModel {
  private constructor(
    readonly config: GptConfig,
    readonly tokenizer: StudioTokenizer,
    public parameters: GptParameters,
    public backend: BackendChoice,
    readonly textName: string,
    public step: number,
  ) {}

  /** A fresh model for `text` on the active backend (`backend` names it); BPE is trained on `text` first. */
  static async fresh(
    text: string,
    textName: string,
    size: ModelSize,
    backend: BackendChoice,
    options: { seed?: number; tokenizer?: TokenizerChoice; onTokenizerProgress?: (progress: TokenizerProgress) => void } = {},
  ): Promise<StudioModel> {
    const tokenizer = await buildTokenizer(text, options.tokenizer ?? { kind: 'char' }, options.onTokenizerProgress);
    const config = studioConfig(tokenizer.vocabSize, size);
    return new StudioModel(config, tokenizer, initGptParameters(config, options.seed ?? 1), backend, textName, 0);
  }

  /** Loads checkpoint files onto the active backend. */
  static fromFiles(files: CheckpointFiles, backend: BackendChoice): StudioModel {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(files.config) as Record<string, unknown>;
    } catch (error) {
      throw studioError('loadCheckpoint', 'config.json to be JSON', String((error as Error).message), 'pick the config.json saved with the .safetensors file');
    }
    const extras = json.wattformer_studio as StudioExtras | undefined;
    if (extras === undefined || extras === null || typeof extras !== 'object' || extras.tokenizer === undefined) {
      throw studioError(
        'loadCheckpoint',
        'a config.json saved by the studio (with a wattformer_studio.tokenizer vocabulary)',
        'a config.json without one',
        'the studio keeps its tokenizer in config.json; load the .config.json file it saved next to the .safetensors',
      );
    }
    const tokenizer = tokenizerFromJSON(extras.tokenizerKind, extras.tokenizer);
    const { config, parameters } = gptCheckpointFromBytes({ weights: files.weights, config: json });
    if (config.vocabSize !== tokenizer.vocabSize) {
      throw studioError('loadCheckpoint', `vocab_size equal to the saved tokenizer's (${tokenizer.vocabSize} tokens)`, String(config.vocabSize));
    }
    return new StudioModel(config, tokenizer, parameters, backend, extras.textName ?? 'checkpoint', extras.step ?? 0);
  }

  async toFiles(): Promise<CheckpointFiles> {
    const { weights, config } = await gptCheckpointToBytes(this.parameters, this.config);
    const extras: StudioExtras = {
      ...(this.tokenizer.kind === 'bpe' ? { tokenizerKind: 'bpe' as const } : {}),
      tokenizer: this.tokenizer.toJSON(),
      step: this.step,
      textName: this.textName,
    };
    const json = { ...(JSON.parse(config) as Record<string, unknown>), wattformer_studio: extras };
    return { weights, config: JSON.stringify(json, null, 2) + '\n' };
  }

  /** Moves every parameter to the active backend (read back, upload, free the old copy). */
  async moveTo(backend: BackendChoice): Promise<void> {
    if (backend === this.backend) return;
    const moved: GptParameters = new Map();
    for (const [name, t] of this.parameters) {
      moved.set(name, tensor((await t.data()) as Float32Array, t.shape));
      t.dispose();
    }
    this.parameters = moved;
    this.backend = backend;
  }

  /** Whether this model has the shape of `size` (and, when given, was made with `tokenizer`). */
  is(size: ModelSize, tokenizer?: TokenizerChoice): boolean {
    const expected = studioConfig(this.config.vocabSize, size);
    const shape = (Object.keys(expected) as (keyof GptConfig)[]).every((key) => expected[key] === this.config[key]);
    if (!shape || tokenizer === undefined) return shape;
    return tokenizer.kind === this.tokenizer.kind && (tokenizer.kind === 'char' || tokenizer.vocabSize === this.tokenizer.vocabSize);
  }

  /** Whether this model's tokenizer covers every character of `text`. */
  covers(text: string): boolean {
    return this.tokenizer.covers(text);
  }

  summary(): ModelSummary {
    return {
      backend: this.backend,
      parameters: countGptParameters(this.config).total,
      layers: this.config.layers,
      modelDim: this.config.modelDim,
      contextLength: this.config.contextLength,
      vocabSize: this.config.vocabSize,
      tokenizer: this.tokenizer.kind,
      step: this.step,
    };
  }

  dispose(): void {
    for (const t of this.parameters.values()) t.dispose();
  }
}
