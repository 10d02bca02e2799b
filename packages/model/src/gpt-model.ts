/**
 * The functional GPT (gpt.ts) as a Module: it owns its parameter Map (the same Map the
 * functional API takes) and passes its train/eval mode to the forward pass, so dropout is on
 * only after `train()`.
 */
import type { Tensor } from '@wattformer/core';
import { gptLogits, gptLoss, initGptParameters, type GptForwardOptions, type GptParameters } from './gpt';
import { gptParameterShapes, type GptConfig } from './gpt-config';
import { checkParameters, Module } from './module';

/**
 * A GPT-2 style decoder-only language model with Hugging Face parameter names; build it from a seed or from a checkpoint's parameters.
 */
export class GptModel extends Module {
  readonly config: GptConfig;

  /** New parameters from `seed` (GPT-2's initialisation), or existing ones (e.g. a loaded checkpoint). */
  constructor(config: GptConfig, init: number | GptParameters = 0) {
    if (typeof init !== 'number') checkParameters('GptModel', init, gptParameterShapes(config));
    super(typeof init === 'number' ? initGptParameters(config, init) : init);
    this.config = config;
  }

  protected isEmbedding(name: string): boolean {
    return name === 'transformer.wte.weight' || name === 'transformer.wpe.weight' || name === 'lm_head.weight';
  }

  /** Expected name → shape (HF GPT2LMHeadModel, Conv1D layout). */
  parameterShapes(): Map<string, number[]> {
    return gptParameterShapes(this.config);
  }

  /** tokens i32 (B, T) → logits (B·T, V); dropout follows `training` unless the options say otherwise. */
  forward(tokens: Tensor, options: GptForwardOptions = {}): Tensor {
    return gptLogits(this.parameters, this.config, tokens, { training: this.training, ...options });
  }

  /** Mean next-token cross-entropy against targets i32 (B, T). */
  loss(tokens: Tensor, targets: Tensor, options: { readonly seed?: number } = {}): Tensor {
    return gptLoss(this.parameters, this.config, tokens, targets, { training: this.training, ...options });
  }
}
