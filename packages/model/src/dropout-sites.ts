/**
 * Seeded dropout for one forward pass. Each dropout site (embeddings, each residual, each
 * attention-probability matrix) draws its own mask; with a call seed every site's seed is a hash
 * of (seed, site index), so the same seed gives the same masks on every backend, and different
 * sites never share one. Without a seed the masks come from core's `setSeed` stream.
 */
import { dropout, type Tensor } from '@wattformer/core';
import { lowbias32 } from '@wattformer/core/internal';
import type { TrainingOptions } from './module';

export class DropoutSites {
  readonly training: boolean;
  readonly #seed: number | undefined;
  #site = 0;

  constructor(options: TrainingOptions = {}) {
    this.training = options.training ?? false;
    this.#seed = options.seed;
  }

  /** Whether a site of this rate drops anything. */
  active(rate: number): boolean {
    return this.training && rate > 0;
  }

  /** The next site's mask seed (undefined: core's global stream). */
  nextSeed(): number | undefined {
    const site = this.#site++;
    return this.#seed === undefined ? undefined : lowbias32((this.#seed ^ lowbias32(site + 0x9e3779b9)) >>> 0);
  }

  /** Inverted dropout at rate `rate` in training mode; the identity otherwise. */
  apply(x: Tensor, rate: number): Tensor {
    if (!this.active(rate)) return x;
    const seed = this.nextSeed();
    return dropout(x, rate, seed === undefined ? {} : { seed });
  }
}
