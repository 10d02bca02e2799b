/**
 * Character classes used by the GPT pre-tokenization patterns, as bit flags per code point.
 * ASCII is a fixed table; the rest of the BMP is filled lazily from V8's Unicode property
 * regexes; astral code points are cached in a Map.
 *
 * Whitespace follows tiktoken's Rust `regex` crate (`\s` = Unicode White_Space: includes
 * U+0085, excludes U+FEFF), not JavaScript's `\s`, because tiktoken is the reference.
 */
export const LETTER = 1;
export const NUMBER = 2;
export const SPACE = 4;
export const MARK = 8;
/** [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] in o200k's pattern. */
export const UPPERISH = 16;
/** [\p{Ll}\p{Lm}\p{Lo}\p{M}] in o200k's pattern. */
export const LOWERISH = 32;
/** \r or \n. */
export const NEWLINE = 64;
const KNOWN = 128;

const letterRe = /^\p{L}$/u;
const numberRe = /^\p{N}$/u;
const markRe = /^\p{M}$/u;
const upperRe = /^[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]$/u;
const lowerRe = /^[\p{Ll}\p{Lm}\p{Lo}\p{M}]$/u;

export function isUnicodeWhiteSpace(cp: number): boolean {
  return (
    (cp >= 9 && cp <= 13) ||
    cp === 32 ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

function computeClass(cp: number): number {
  const s = String.fromCodePoint(cp);
  let flags = KNOWN;
  if (letterRe.test(s)) flags |= LETTER;
  if (numberRe.test(s)) flags |= NUMBER;
  if (markRe.test(s)) flags |= MARK;
  if (upperRe.test(s)) flags |= UPPERISH;
  if (lowerRe.test(s)) flags |= LOWERISH;
  if (isUnicodeWhiteSpace(cp)) flags |= SPACE;
  if (cp === 10 || cp === 13) flags |= NEWLINE;
  return flags;
}

const bmp = new Uint8Array(0x10000);
for (let cp = 0; cp < 128; cp++) bmp[cp] = computeClass(cp);
const astral = new Map<number, number>();

/** Flags for a code point (LETTER | NUMBER | ...). */
export function classOf(cp: number): number {
  if (cp < 0x10000) {
    const f = bmp[cp]!;
    if (f !== 0) return f;
    const computed = computeClass(cp);
    bmp[cp] = computed;
    return computed;
  }
  let f = astral.get(cp);
  if (f === undefined) {
    f = computeClass(cp);
    astral.set(cp, f);
  }
  return f;
}

/** Byte length of the UTF-8 sequence that starts with `lead` (1 for stray continuation bytes). */
export function utf8Length(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead < 0xe0) return lead < 0xc0 ? 1 : 2;
  return lead < 0xf0 ? 3 : 4;
}

/** Decodes the code point at bytes[i] (input is well-formed UTF-8 from TextEncoder). */
export function codePointAt(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return b0;
  if (b0 < 0xe0) return ((b0 & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
  if (b0 < 0xf0) return ((b0 & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
  return ((b0 & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f);
}

/** Flags of the character starting at bytes[i], with an ASCII fast path. */
export function classAt(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  return b < 0x80 ? bmp[b]! : classOf(codePointAt(bytes, i));
}
