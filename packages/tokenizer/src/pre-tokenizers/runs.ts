import { LETTER, NUMBER, SPACE, classAt, utf8Length } from './char-class';

/**
 * Shared scanning helpers for the hand-written GPT patterns. All work on well-formed UTF-8
 * bytes and return byte positions; "char" below means one code point.
 */

/** End of the run of chars that all have any of `flags`, starting at i. */
export function runWith(bytes: Uint8Array, i: number, end: number, flags: number): number {
  while (i < end && (classAt(bytes, i) & flags) !== 0) i += utf8Length(bytes[i]!);
  return i;
}

/** End of the run of chars with none of `flags`, starting at i. */
export function runWithout(bytes: Uint8Array, i: number, end: number, flags: number): number {
  while (i < end && (classAt(bytes, i) & flags) === 0) i += utf8Length(bytes[i]!);
  return i;
}

/** Letter run: the hot loop for English prose, so ASCII letters skip the table call. */
export function letterRun(bytes: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const b = bytes[i]!;
    if (b < 0x80) {
      if (((b | 0x20) - 97) >>> 0 < 26) {
        i++;
        continue;
      }
      return i;
    }
    if ((classAt(bytes, i) & LETTER) === 0) return i;
    i += utf8Length(b);
  }
  return i;
}

/** Up to `max` chars of \p{N}. */
export function numberRun(bytes: Uint8Array, i: number, end: number, max: number): number {
  let count = 0;
  while (i < end && count < max && (classAt(bytes, i) & NUMBER) !== 0) {
    i += utf8Length(bytes[i]!);
    count++;
  }
  return i;
}

/** [^\s\p{L}\p{N}]+ */
export function otherRun(bytes: Uint8Array, i: number, end: number): number {
  return runWithout(bytes, i, end, SPACE | LETTER | NUMBER);
}

/** Start of the last char in [start, end). */
export function lastCharStart(bytes: Uint8Array, start: number, end: number): number {
  let p = end - 1;
  while (p > start && (bytes[p]! & 0xc0) === 0x80) p--;
  return p;
}

/**
 * `\s+(?!\S)|\s+` for a whitespace run [i, k): the whole run at the end of input, else all but
 * its last char (which then prefixes the next piece), unless the run is a single char.
 */
export function trailingSpaceEnd(bytes: Uint8Array, i: number, k: number, end: number): number {
  if (k === end) return k;
  const last = lastCharStart(bytes, i, k);
  return last > i ? last : k;
}

/** `\s*[\r\n]+` for a whitespace run [i, k): up to and including its last \r or \n, or -1. */
export function lastNewlineEnd(bytes: Uint8Array, i: number, k: number): number {
  for (let p = k - 1; p >= i; p--) {
    const b = bytes[p]!;
    if (b === 10 || b === 13) return p + 1;
  }
  return -1;
}

/** Length of an English contraction at i ('s 't 're 've 'm 'll 'd), or 0. */
export function contractionLength(bytes: Uint8Array, i: number, end: number, ignoreCase: boolean): number {
  if (bytes[i] !== 39 || i + 1 >= end) return 0;
  const fold = ignoreCase ? 0x20 : 0;
  const d = bytes[i + 1]!;
  const dl = d >= 65 && d <= 90 ? d | fold : d;
  if (dl === 115 || dl === 116 || dl === 109 || dl === 100) return 2;
  if (i + 2 >= end) return 0;
  const e = bytes[i + 2]!;
  const el = e >= 65 && e <= 90 ? e | fold : e;
  if ((dl === 114 && el === 101) || (dl === 118 && el === 101) || (dl === 108 && el === 108)) return 3;
  return 0;
}
