import { releaseHandle, retainHandle } from './engine';
import type { Tensor } from './tensor';

/**
 * Moves `source`'s storage into `target` and disposes `source`: how a default-body update op
 * (AdamW) changes a parameter "in place" without a copy kernel. Views made earlier by `reshape`
 * keep the old values.
 */
export function replaceStorage(target: Tensor, source: Tensor): void {
  const incoming = retainHandle(source.handle('replaceStorage'));
  const outgoing = target.handle('replaceStorage');
  target.box.handle = incoming;
  releaseHandle(outgoing);
  source.dispose();
}
