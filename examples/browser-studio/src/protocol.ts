/**
 * Messages between the page (main thread) and the training worker. The worker owns the model,
 * the backend and the carbon tracker; the page only renders what it is told.
 */

export type BackendChoice = 'wasm' | 'webgpu';

/** `tiny`: 2 layers × 48, context 32; `micro`: 1 layer × 32, context 16 (see studioConfig). */
export type ModelSize = 'tiny' | 'micro';

/** The text's characters, or a byte-level BPE tokenizer trained on the text in the worker. */
export type TokenizerChoice = { readonly kind: 'char' } | { readonly kind: 'bpe'; readonly vocabSize: number };

/** The bundled texts; `paste` is the text area. */
export type CorpusChoice = 'shakespeare' | 'tang-poems' | 'paste';

/** Everything a run needs; the page reads these from its form. */
export interface TrainSettings {
  readonly backend: BackendChoice;
  /** Size of a new model (a loaded or running model keeps its own unless this differs). */
  readonly modelSize: ModelSize;
  /** Tokenizer of a new model (a model trained with another choice is replaced). */
  readonly tokenizer: TokenizerChoice;
  /** Training text (bundled Shakespeare, bundled Tang poems or pasted). */
  readonly text: string;
  /** Stable name of the text, so a second Start on the same text keeps training the same model. */
  readonly textName: string;
  /** Steps to run in this start (training stops after them). */
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Generate a sample every this many steps (0: never). */
  readonly sampleEvery: number;
  /** Evaluate the validation loss every this many steps. */
  readonly evalEvery: number;
  /** Grid region for the carbon tracker (ISO country code, cloud region or WORLD). */
  readonly region: string;
}

export interface CheckpointFiles {
  readonly weights: Uint8Array;
  /** config.json text: GPT2Config plus the studio's tokenizer (character vocabulary or tokenizer.json). */
  readonly config: string;
}

export type ToWorker =
  | { readonly type: 'start'; readonly settings: TrainSettings }
  | { readonly type: 'stop' }
  | { readonly type: 'generate'; readonly prompt: string; readonly tokens: number; readonly temperature: number; readonly seed: number }
  | { readonly type: 'save' }
  | { readonly type: 'load'; readonly backend: BackendChoice; readonly files: CheckpointFiles };

export interface ModelSummary {
  readonly backend: BackendChoice;
  readonly parameters: number;
  readonly layers: number;
  readonly modelDim: number;
  readonly contextLength: number;
  readonly vocabSize: number;
  readonly tokenizer: 'char' | 'bpe';
  /** Steps trained so far (kept in saved checkpoints). */
  readonly step: number;
}

export interface ProgressEvent {
  readonly type: 'progress';
  readonly step: number;
  readonly loss: number;
  /** Validation loss when this step was evaluated. */
  readonly validationLoss?: number;
  readonly tokensPerSecond: number;
  readonly tokens: number;
  /** From the BrowserTracker (modelled): facility energy and operational CO2e so far, with intervals. */
  readonly energyWh: number;
  readonly energyWhLow: number;
  readonly energyWhHigh: number;
  readonly co2eGrams: number;
  readonly co2eGramsLow: number;
  readonly co2eGramsHigh: number;
}

export type FromWorker =
  | { readonly type: 'ready'; readonly webgpu: { readonly available: boolean; readonly reason?: string; readonly adapter?: string } }
  | { readonly type: 'status'; readonly message: string }
  | { readonly type: 'started'; readonly model: ModelSummary; readonly fresh: boolean }
  | ProgressEvent
  | { readonly type: 'sample'; readonly step: number; readonly text: string }
  | { readonly type: 'stopped'; readonly step: number; readonly reason: 'steps' | 'requested' }
  /** Tokenizer training: `counting` words (done/total of the text's chunks), then `merging`, then `done`. */
  | {
      readonly type: 'tokenizer';
      readonly phase: 'counting' | 'merging' | 'done';
      readonly done: number;
      readonly total: number;
      readonly vocabSize?: number;
      readonly seconds?: number;
    }
  /** Generated text as it is sampled; each chunk ends on a whole character. `generated` ends it. */
  | { readonly type: 'generatedChunk'; readonly text: string }
  | { readonly type: 'generated'; readonly text: string }
  | { readonly type: 'saved'; readonly files: CheckpointFiles; readonly step: number }
  | { readonly type: 'loaded'; readonly model: ModelSummary }
  | { readonly type: 'error'; readonly message: string /** True when training stopped because of it. */; readonly fromRun: boolean };
