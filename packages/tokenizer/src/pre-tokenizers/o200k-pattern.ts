import { LETTER, LOWERISH, NEWLINE, NUMBER, SPACE, UPPERISH, classAt, utf8Length } from './char-class';
import { contractionLength, lastNewlineEnd, numberRun, otherRun, runWith, trailingSpaceEnd } from './runs';

/**
 * o200k_base's split pattern, hand-compiled. Its first two alternatives are
 *   P?U*W+C?   and   P?U+W*C?
 * with P = [^\r\n\p{L}\p{N}], U = [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}], W = [\p{Ll}\p{Lm}\p{Lo}\p{M}],
 * C = an optional case-insensitive contraction. Lm, Lo and M are in both U and W, and M is
 * also in P, so the regex engine's backtracking order (P taken, then P empty; alternative 1
 * before 2) is reproduced literally below.
 */
export const O200K_PATTERN = [
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
  '\\p{N}{1,3}',
  ' ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*',
  '\\s*[\\r\\n]+',
  '\\s+(?!\\S)',
  '\\s+',
].join('|');

function withContraction(bytes: Uint8Array, p: number, end: number): number {
  return p + contractionLength(bytes, p, end, true);
}

/** P?U*W+C? without P, from s; -1 when it cannot match. */
function upperThenLower(bytes: Uint8Array, s: number, end: number): number {
  let u = s;
  let lastBothEnd = -1;
  while (u < end) {
    const f = classAt(bytes, u);
    if ((f & UPPERISH) === 0) break;
    u += utf8Length(bytes[u]!);
    if ((f & LOWERISH) !== 0) lastBothEnd = u;
  }
  if (u < end && (classAt(bytes, u) & LOWERISH) !== 0) {
    return withContraction(bytes, runWith(bytes, u, end, LOWERISH), end);
  }
  // Backtrack U* to the last char that is also in W; W+ then takes exactly that char.
  return lastBothEnd < 0 ? -1 : withContraction(bytes, lastBothEnd, end);
}

/** U+W*C? from s; -1 when it cannot match. */
function upperRun(bytes: Uint8Array, s: number, end: number): number {
  if (s >= end || (classAt(bytes, s) & UPPERISH) === 0) return -1;
  const u = runWith(bytes, s, end, UPPERISH);
  return withContraction(bytes, runWith(bytes, u, end, LOWERISH), end);
}

const isAsciiLetter = (b: number): boolean => ((b | 0x20) - 97) >>> 0 < 26;

/**
 * ASCII fast path for the first two alternatives: [prefix] ASCII letters. In ASCII, U is
 * [A-Z] and W is [a-z] with no char in both, so `P?U*W+C?|P?U+W*C?` reduces to "uppercase run,
 * then lowercase run, then a contraction". Returns -1 when a non-ASCII byte could continue the
 * run (the general path decides then) or when the piece does not start with a letter.
 */
function asciiWordEnd(bytes: Uint8Array, i: number, end: number): number {
  const c = bytes[i]!;
  let j = i;
  if (!isAsciiLetter(c)) {
    const isPrefix = c < 0x80 && c !== 10 && c !== 13 && (c - 48) >>> 0 >= 10;
    if (!isPrefix || i + 1 >= end || !isAsciiLetter(bytes[i + 1]!)) return -1;
    j = i + 1;
  }
  let k = j;
  while (k < end && (bytes[k]! - 65) >>> 0 < 26) k++;
  while (k < end && (bytes[k]! - 97) >>> 0 < 26) k++;
  if (k < end && bytes[k]! >= 0x80) return -1;
  return withContraction(bytes, k, end);
}

export function o200kPieceEnd(bytes: Uint8Array, i: number, end: number): number {
  const fast = asciiWordEnd(bytes, i, end);
  if (fast >= 0) return fast;
  const c = bytes[i]!;
  const f = classAt(bytes, i);
  const prefixOk = (f & (NEWLINE | LETTER | NUMBER)) === 0;
  const after = i + utf8Length(c);
  if (prefixOk && after < end) {
    const r = upperThenLower(bytes, after, end);
    if (r >= 0) return r;
  }
  if ((f & (UPPERISH | LOWERISH)) !== 0) {
    const r = upperThenLower(bytes, i, end);
    if (r >= 0) return r;
  }
  if (prefixOk && after < end) {
    const r = upperRun(bytes, after, end);
    if (r >= 0) return r;
  }
  if ((f & UPPERISH) !== 0) {
    const r = upperRun(bytes, i, end);
    if (r >= 0) return r;
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
    while (k < end && (bytes[k] === 10 || bytes[k] === 13 || bytes[k] === 47)) k++;
    return k;
  }
  const k = runWith(bytes, i, end, SPACE);
  const newline = lastNewlineEnd(bytes, i, k);
  if (newline >= 0) return newline;
  return trailingSpaceEnd(bytes, i, k, end);
}
