/**
 * One data-parallel replica of a GPT training step. Every replica holds the same parameters
 * (same seed), computes loss and gradients on its shard of the batch, averages gradients with
 * the others through `SharedGradients`, and applies the same AdamW update, so the replicas stay
 * bit-identical without ever sending parameters.
 */
import { adamw, keep, tensor, tidy, valueAndGrad, zerosLike, type Tensor } from '@wattformer/core';
import { gptLoss, initGptParameters, type GptConfig } from '@wattformer/model';
import { SharedGradients, type SharedGradientsLayout } from './shared-gradients';

/**
 * AdamW hyper-parameters every data-parallel replica applies: learning rate, betas, epsilon and weight decay.
 */
export interface AdamWSettings {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
}

export interface ReplicaInit {
  readonly config: GptConfig;
  readonly seed: number;
  readonly optimizer: AdamWSettings;
  readonly gradients: SharedGradientsLayout;
  readonly index: number;
}

export interface ShardStep {
  /** i32 [rows, T] for this replica. */
  readonly tokens: Int32Array;
  readonly targets: Int32Array;
  readonly rows: number;
  /** 1-based optimizer step. */
  readonly step: number;
  /** Overrides the optimizer's learning rate for this step (schedules). */
  readonly learningRate?: number;
}

export class GptReplica {
  readonly parameters: Map<string, Tensor>;
  readonly #list: Tensor[];
  readonly #m: Tensor[];
  readonly #v: Tensor[];
  readonly #shared: SharedGradients;
  readonly #offsets: number[];

  constructor(readonly init: ReplicaInit) {
    this.parameters = initGptParameters(init.config, init.seed);
    this.#list = [...this.parameters.values()];
    this.#m = this.#list.map((p) => keep(zerosLike(p)));
    this.#v = this.#list.map((p) => keep(zerosLike(p)));
    this.#shared = new SharedGradients(init.gradients, init.index);
    let offset = 0;
    this.#offsets = this.#list.map((p) => ((offset += p.size), offset - p.size));
    if (offset !== init.gradients.size) {
      throw new Error(`trainer: dataParallel: expected ${offset} gradient floats in the shared buffer, got ${init.gradients.size}`);
    }
  }

  static parameterCount(config: GptConfig): number {
    return tidy(() => [...initGptParameters(config, 0).values()].reduce((n, p) => n + p.size, 0));
  }

  /** Loss on this shard; parameters updated with the replicas' mean gradient. */
  step(shard: ShardStep): number {
    try {
      return this.#step(shard);
    } catch (error) {
      this.#shared.abort(); // release the replicas waiting for this one
      throw error;
    }
  }

  #step(shard: ShardStep): number {
    const { config, optimizer } = this.init;
    const T = shard.tokens.length / shard.rows;
    const slot = this.#shared.slot();
    const loss = tidy(() => {
      const tokens = tensor(shard.tokens, [shard.rows, T], 'i32');
      const targets = tensor(shard.targets, [shard.rows, T], 'i32');
      const { value, grads } = valueAndGrad(() => gptLoss(this.parameters, config, tokens, targets), this.#list);
      grads.forEach((g, i) => slot.set(g.dataSync(), this.#offsets[i]));
      return value.dataSync()[0]!;
    });
    const mean = this.#shared.average();
    tidy(() => {
      this.#list.forEach((p, i) => {
        const grad = tensor(mean.subarray(this.#offsets[i]!, this.#offsets[i]! + p.size), p.shape);
        adamw(p, grad, this.#m[i]!, this.#v[i]!, {
          ...optimizer,
          learningRate: shard.learningRate ?? optimizer.learningRate,
          step: shard.step,
        });
      });
    });
    return loss;
  }
}
