import { LETTER, NEWLINE, NUMBER, SPACE, classAt, utf8Length } from './char-class';
import { contractionLength, lastNewlineEnd, letterRun, numberRun, otherRun, runWith, trailingSpaceEnd } from './runs';

/**
 * cl100k_base's split pattern, hand-compiled:
 * `'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+`
 */
export const CL100K_PATTERN = "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+";

export function cl100kPieceEnd(bytes: Uint8Array, i: number, end: number): number {
  const c = bytes[i]!;
  if (c === 39) {
    const n = contractionLength(bytes, i, end, true);
    if (n > 0) return i + n;
  }
  const f = classAt(bytes, i);
  if ((f & LETTER) !== 0) return letterRun(bytes, i, end);
  if ((f & (NEWLINE | NUMBER)) === 0) {
    const next = i + utf8Length(c);
    if (next < end && (classAt(bytes, next) & LETTER) !== 0) return letterRun(bytes, next, end);
  }
  if ((f & NUMBER) !== 0) return numberRun(bytes, i, end, 3);
  let j = i;
  let g = f;
  if (c === 32 && i + 1 < end) {
    const h = classAt(bytes, i + 1);
    if ((h & (SPACE | LETTER | NUMBER)) === 0) {
      j = i + 1;
      g = h;
    }
  }
  if ((g & (SPACE | LETTER | NUMBER)) === 0) {
    let k = otherRun(bytes, j, end);
    while (k < end && (bytes[k] === 10 || bytes[k] === 13)) k++;
    return k;
  }
  const k = runWith(bytes, i, end, SPACE);
  const newline = lastNewlineEnd(bytes, i, k);
  if (newline >= 0) return newline;
  return trailingSpaceEnd(bytes, i, k, end);
}
