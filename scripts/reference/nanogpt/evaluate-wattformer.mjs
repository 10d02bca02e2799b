// The two validation estimates, wattformer side (train_torch.py computes the same ones):
// the whole split in consecutive non-overlapping windows of the context length (every window
// that has a next-token target for all positions; the same windows on both sides), and
// nanoGPT's estimate: the mean of `iterations` random batches.
import { tidy } from '@wattformer/core';
import { TokenBatches } from '@wattformer/trainer';

/** Mean next-token loss over all windows [s, s + T) with s = 0, T, 2T, … (targets shifted by one). */
export function fullSplitLoss(model, stream, B, T) {
  const windows = Math.floor((stream.length - 1) / T);
  let total = 0;
  for (let first = 0; first < windows; first += B) {
    const rows = Math.min(B, windows - first);
    const tokens = stream.slice(first * T, (first + rows) * T);
    const targets = stream.slice(first * T + 1, (first + rows) * T + 1);
    total += rows * tidy(() => model.loss({ tokens, targets }).itemSync());
  }
  return total / windows;
}

/** nanoGPT's estimate_loss: mean loss of `iterations` batches of random windows. */
export function sampledLoss(model, stream, B, T, iterations, seed) {
  const batches = new TokenBatches(stream, { batchSize: B, contextLength: T, seed });
  let total = 0;
  for (let i = 0; i < iterations; i++) total += tidy(() => model.loss(batches.next()).itemSync());
  return total / iterations;
}
