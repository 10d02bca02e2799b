/**
 * The studio's model: a tiny character-level GPT, its tokenizer and where its tensors live.
 * Checkpoints are Hugging Face files (`model.safetensors` + `config.json`); the character
 * vocabulary and the step count ride along in config.json under `wattformer_studio`, which
 * transformers keeps as an unknown attribute and `gptConfigFromHf` ignores.
 */
import { countGptParameters, gptCheckpointFromBytes, gptCheckpointToBytes, initGptParameters, type GptConfig, type GptParameters } from '@wattformer/model';
import { tensor } from '@wattformer/core';
import { CharTokenizer, type CharTokenizerJSON } from '@wattformer/tokenizer';
import { studioError } from '../errors';
import type { BackendChoice, CheckpointFiles, ModelSize, ModelSummary } from '../protocol';

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
  readonly tokenizer: CharTokenizerJSON;
  readonly step: number;
  readonly textName: string;
}

export class StudioModel {
  private constructor(
    readonly config: GptConfig,
    readonly tokenizer: CharTokenizer,
    public parameters: GptParameters,
    public backend: BackendChoice,
    readonly textName: string,
    public step: number,
  ) {}

  /** A fresh model for `text` on the active backend (`backend` names it). */
  static fresh(text: string, textName: string, size: ModelSize, backend: BackendChoice, seed = 1): StudioModel {
    const tokenizer = CharTokenizer.fromText(text);
    const config = studioConfig(tokenizer.vocabSize, size);
    return new StudioModel(config, tokenizer, initGptParameters(config, seed), backend, textName, 0);
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
    if (extras === undefined || typeof extras !== 'object' || extras.tokenizer === undefined) {
      throw studioError(
        'loadCheckpoint',
        'a config.json saved by the studio (with a wattformer_studio.tokenizer vocabulary)',
        'a config.json without one',
        'the studio trains character-level models; load the .config.json file it saved next to the .safetensors',
      );
    }
    const tokenizer = CharTokenizer.fromJSON(extras.tokenizer);
    const { config, parameters } = gptCheckpointFromBytes({ weights: files.weights, config: json });
    if (config.vocabSize !== tokenizer.vocabSize) {
      throw studioError('loadCheckpoint', `vocab_size equal to the saved vocabulary (${tokenizer.vocabSize} characters)`, String(config.vocabSize));
    }
    return new StudioModel(config, tokenizer, parameters, backend, extras.textName ?? 'checkpoint', extras.step ?? 0);
  }

  async toFiles(): Promise<CheckpointFiles> {
    const { weights, config } = await gptCheckpointToBytes(this.parameters, this.config);
    const extras: StudioExtras = { tokenizer: this.tokenizer.toJSON(), step: this.step, textName: this.textName };
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

  /** Whether this model has the shape of `size`. */
  is(size: ModelSize): boolean {
    const expected = studioConfig(this.config.vocabSize, size);
    return (Object.keys(expected) as (keyof GptConfig)[]).every((key) => expected[key] === this.config[key]);
  }

  /** Whether this model's vocabulary covers every character of `text`. */
  covers(text: string): boolean {
    const known = new Set(this.tokenizer.vocab);
    for (const ch of new Set(text)) if (!known.has(ch)) return false;
    return true;
  }

  summary(): ModelSummary {
    return {
      backend: this.backend,
      parameters: countGptParameters(this.config).total,
      layers: this.config.layers,
      modelDim: this.config.modelDim,
      contextLength: this.config.contextLength,
      vocabSize: this.config.vocabSize,
      step: this.step,
    };
  }

  dispose(): void {
    for (const t of this.parameters.values()) t.dispose();
  }
}
