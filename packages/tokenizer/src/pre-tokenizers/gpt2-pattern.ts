import { LETTER, NUMBER, SPACE, classAt } from './char-class';
import { contractionLength, letterRun, otherRun, runWith, trailingSpaceEnd } from './runs';

/**
 * GPT-2's split pattern (r50k_base, p50k_base), hand-compiled:
 * `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
 * Returns the end of the piece that starts at i. Linear: no step looks back more than one char.
 */
export const GPT2_PATTERN = "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

export function gpt2PieceEnd(bytes: Uint8Array, i: number, end: number): number {
  const c = bytes[i]!;
  if (c === 39) {
    const n = contractionLength(bytes, i, end, false);
    if (n > 0) return i + n;
  }
  let j = i;
  let f = classAt(bytes, i);
  if (c === 32 && i + 1 < end) {
    const g = classAt(bytes, i + 1);
    if ((g & SPACE) === 0) {
      j = i + 1;
      f = g;
    }
  }
  if ((f & LETTER) !== 0) return letterRun(bytes, j, end);
  if ((f & NUMBER) !== 0) return runWith(bytes, j, end, NUMBER);
  if ((f & SPACE) === 0) return otherRun(bytes, j, end);
  return trailingSpaceEnd(bytes, i, runWith(bytes, i, end, SPACE), end);
}
