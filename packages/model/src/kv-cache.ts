/**
 * Key/value cache for generation: per layer, keys and values of every position seen so far, so
 * each new token costs one position of work instead of re-running the whole prefix.
 *
 * The cache is allocated once at its full capacity (prompt + new tokens) and filled slot by slot,
 * so its live tensors and backend bytes stay constant while generating; slots not yet written
 * are zeros and are masked out of attention.
 */
import { add, attention, dispose, keep, pad, slice, type Tensor } from '@wattformer/core';
import { modelError } from './errors';

/** Options of attention with a `KvCache`: head count and the key padding mask. */
export interface CachedAttentionOptions {
  readonly numHeads: number;
  /** f32 (B, length + T): 1 for real keys (prompt and generated), 0 for padding. */
  readonly keyMask: Tensor | undefined;
}

/** Keys and values of past positions per layer, so `generate` computes only the new token each step. */
export class KvCache {
  /** Slots filled so far (the same for every row: prompts are left-padded to one length). */
  length = 0;
  private readonly keys: (Tensor | undefined)[];
  private readonly values: (Tensor | undefined)[];

  constructor(
    readonly layers: number,
    readonly batch: number,
    readonly capacity: number,
  ) {
    this.keys = new Array<Tensor | undefined>(layers).fill(undefined);
    this.values = new Array<Tensor | undefined>(layers).fill(undefined);
  }

  /**
   * Attention of the new queries q (B, T, C) over every cached key plus the new ones k, v
   * (B, T, C), which are written into slots [length, length + T) of layer `layer`.
   * The first call (prefill, length 0) is ordinary causal attention over the prompt. Later calls
   * take one token (T = 1): it sees every filled slot, so no causal mask is needed, and unfilled
   * slots are masked out with keyMask's zero padding.
   */
  attend(layer: number, q: Tensor, k: Tensor, v: Tensor, options: CachedAttentionOptions): Tensor {
    const [B, T, C] = k.shape as [number, number, number];
    if (B !== this.batch) throw modelError('kvCache', `a batch of ${this.batch} rows`, `${B}`);
    if (this.length > 0 && T !== 1) {
      throw modelError('kvCache', 'one new token per step after the prompt', `${T} tokens`, 'feed generated tokens one at a time');
    }
    if (this.length + T > this.capacity) {
      throw modelError('kvCache', `at most ${this.capacity} positions`, `${this.length + T}`, 'make the cache with a larger capacity');
    }
    const keys = this.write(this.keys, layer, k, C); // (B, capacity, C)
    const values = this.write(this.values, layer, v, C); // (B, capacity, C)
    const { numHeads, keyMask } = options;
    if (this.length === 0) return attention(q, k, v, { numHeads, causal: true, ...(keyMask ? { keyMask } : {}) });
    // Slots past length + 1 hold zeros: mask them (pad the (B, length + 1) mask to capacity).
    const mask = keyMask === undefined ? undefined : pad(keyMask, [0, 0], [B, this.capacity]);
    if (mask === undefined) {
      const filled = this.length + 1;
      return attention(q, slice(keys, [0, 0, 0], [B, filled, C]), slice(values, [0, 0, 0], [B, filled, C]), { numHeads });
    }
    return attention(q, keys, values, { numHeads, keyMask: mask });
  }

  /** Called once per forward pass, after every layer has written its T new positions. */
  advance(T: number): void {
    this.length += T;
  }

  /** Frees the cached tensors; the cache can be filled again from length 0. */
  dispose(): void {
    dispose([...this.keys, ...this.values]);
    this.keys.fill(undefined);
    this.values.fill(undefined);
    this.length = 0;
  }

  /** Places x (B, T, C) at slot `length` of the layer's (B, capacity, C) buffer; the old buffer is freed. */
  private write(store: (Tensor | undefined)[], layer: number, x: Tensor, C: number): Tensor {
    const placed = pad(x, [0, this.length, 0], [this.batch, this.capacity, C]);
    const old = store[layer];
    const next = keep(old === undefined ? placed : add(old, placed));
    if (old !== undefined) old.dispose();
    store[layer] = next;
    return next;
  }
}
