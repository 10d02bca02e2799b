/**
 * What each fine-tuning mode trains on a GPT classifier (HF GPT2ForSequenceClassification
 * names; `score.weight` is the head):
 * - `full`: every backbone parameter and the head;
 * - `frozen`: the head only (optionally ln_f too); the backbone gets no gradient and no update;
 * - `lora`: LoRA matrices A, B on the chosen projections (Hu et al. 2021) and the head, as PEFT's
 *   SEQ_CLS task does (`modules_to_save = ['score']`); the backbone tensors are never written.
 */
import type { Tensor } from '@wattformer/core';
import {
  applyLora,
  createLora,
  gptClassifierLogits,
  initGptClassifierHead,
  type ClassifierPooling,
  type GptConfig,
  type GptParameters,
  type LoraAdapter,
} from '@wattformer/model';
import { trainerError } from '../errors';
import type { ClassifierLike } from './evaluate-classifier';

/**
 * How much of the backbone fine-tuning trains: everything (`full`), only the head (`frozen`) or LoRA adapters (`lora`).
 */
export type FinetuneMode = 'full' | 'frozen' | 'lora';
/** The fine-tuning modes, in the order the CLI lists them. */
export const FINETUNE_MODES: readonly FinetuneMode[] = ['full', 'frozen', 'lora'];

/** LoRA settings for GPT fine-tuning: rank, alpha, target modules and dropout. */
export interface GptLoraSettings {
  /** Default 8. */
  readonly rank?: number;
  /** Default 16 (scale alpha / rank = 2). */
  readonly alpha?: number;
  /** Default every projection: c_attn, c_proj, c_fc. */
  readonly targets?: readonly string[];
}

/**
 * Options of `setupGptFinetune`: the backbone, number of labels, mode (full, frozen, LoRA), LoRA settings and seed.
 */
export interface GptFinetuneOptions {
  readonly mode: FinetuneMode;
  readonly numLabels: number;
  /** Default 'mean'. */
  readonly pooling?: ClassifierPooling;
  readonly lora?: GptLoraSettings;
  /** Frozen mode: train ln_f's gain and bias with the head (default false). */
  readonly trainFinalNorm?: boolean;
  /** Seeds the head (and LoRA's A). */
  readonly seed: number;
}

/** What `setupGptFinetune` returns: the classifier, the parameters to train, the backbone and the head. */
export interface GptFinetuneSetup {
  readonly mode: FinetuneMode;
  readonly classifier: ClassifierLike;
  /** What the optimizer updates. */
  readonly trainable: Map<string, Tensor>;
  /** The backbone, as given (updated in place only in `full` mode). */
  readonly base: GptParameters;
  /** `score.weight`. */
  readonly head: Tensor;
  readonly adapter?: LoraAdapter;
}

/** Builds the classifier and its trainable set for `mode` over a GPT backbone (a `score.weight` in it is reused as the head). */
export function setupGptFinetune(backbone: GptParameters, config: GptConfig, options: GptFinetuneOptions): GptFinetuneSetup {
  const { mode, numLabels, seed } = options;
  if (!FINETUNE_MODES.includes(mode)) throw trainerError('E_UNKNOWN_CHOICE', 'finetune', `mode among ${FINETUNE_MODES.join(', ')}`, `'${String(mode)}'`);
  const pooling = options.pooling ?? 'mean';
  const base: GptParameters = new Map([...backbone].filter(([name]) => name !== 'score.weight'));
  const head = backbone.get('score.weight') ?? initGptClassifierHead(config, numLabels, seed).get('score.weight')!;
  if (head.shape[0] !== numLabels || head.shape[1] !== config.modelDim) {
    throw trainerError(
      'E_ARGUMENT',
      'finetune',
      `'score.weight' [${numLabels}, ${config.modelDim}]`,
      `[${head.shape.join(', ')}]`,
      'the checkpoint has a head for another number of labels',
    );
  }
  const withHead = (parameters: GptParameters): GptParameters => new Map([...parameters, ['score.weight', head]]);
  const plain = withHead(base);
  const logitsOf = (parameters: GptParameters) => (tokens: Tensor, keyMask: Tensor) => gptClassifierLogits(parameters, config, tokens, keyMask, pooling);

  if (mode === 'lora') {
    const settings = options.lora ?? {};
    const adapter = createLora(
      base,
      { rank: settings.rank ?? 8, alpha: settings.alpha ?? 16, targets: settings.targets ?? ['c_attn', 'c_proj', 'c_fc'], fanInFanOut: true },
      seed,
    );
    return {
      mode,
      classifier: { numLabels, logits: (tokens, keyMask) => logitsOf(withHead(applyLora(base, adapter)))(tokens, keyMask) },
      trainable: new Map([...adapter.parameters, ['score.weight', head]]),
      base,
      head,
      adapter,
    };
  }
  const trainable =
    mode === 'full'
      ? plain
      : new Map([
          ['score.weight', head],
          ...(options.trainFinalNorm ? (['transformer.ln_f.weight', 'transformer.ln_f.bias'] as const).map((name) => [name, base.get(name)!] as const) : []),
        ]);
  return { mode, classifier: { numLabels, logits: logitsOf(plain) }, trainable, base, head };
}
