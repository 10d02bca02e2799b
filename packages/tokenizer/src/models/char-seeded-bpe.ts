import type { Vocabulary } from '../vocabulary';
import { NO_MERGE } from './heap-merge';

/**
 * tiktoken's byte-pair merge started from whole characters instead of bytes, for pieces of
 * multi-byte text (Chinese: a piece is a phrase of 3-byte characters). Byte-level BPE spends
 * most of its merges joining the bytes of each character; here each character's standalone
 * merge result is computed once per Encoding and reused, and the merge loop starts from those
 * tokens: about a third of the symbols and lookups.
 *
 * This gives the byte-level result only under two conditions, both checked, else `encode`
 * returns false and the caller runs the byte-level merge:
 * 1. No merge across a character boundary involves part of a character. Such a merge would
 *    create a "misaligned" token (one starting with a UTF-8 continuation byte, or ending inside
 *    a character) that holds the two bytes either side of that boundary; `unsafe` marks every
 *    byte pair that sits at a character start inside a misaligned token of the vocabulary.
 * 2. Every cross-character pair rank seen is above the largest intra-character merge rank (tau)
 *    of the characters on both sides. Then, in the byte-level run, each character finishes its
 *    own merges (in the same order as standalone) before any pair it belongs to can win, so the
 *    cross-character merges happen in the same order as here.
 * The fuzz test (`char-seeded-bpe.fuzz.test.ts`) checks the result against `rankBpe` on random text.
 */
const NONE = NO_MERGE;
/** Per BMP code point: [tau, token count (0 = not computed yet), token 0, token 1, token 2]. */
const STRIDE = 5;
/** Longest piece taken (bytes); longer ones go to rankBpe's heap merge. */
export const SEEDED_MAX_BYTES = 96;
/** Pair memo: 2^14 entries of (left, right, rank), 192 KiB. */
const PAIR_BITS = 14;
const PAIR_SLOTS = 1 << PAIR_BITS;
const EMPTY = new Int32Array(0);

// Merge scratch (shared: encoding is synchronous): per symbol its start byte, token rank,
// tau, and the rank of the pair it starts (NONE: no merge; -1 while seeding: look it up).
const st = new Int32Array(SEEDED_MAX_BYTES + 2);
const tr = new Int32Array(SEEDED_MAX_BYTES + 2);
const ta = new Int32Array(SEEDED_MAX_BYTES + 2);
const pr = new Int32Array(SEEDED_MAX_BYTES + 2);

export class CharSeededBpe {
  private readonly vocab: Vocabulary;
  /** 1 at (b1 << 8 | b2) where b1 b2 straddle a character start inside a misaligned token. */
  private readonly unsafe = new Uint8Array(65536);
  /**
   * The finer test behind `unsafe`: for each such character start inside a misaligned token,
   * up to 3 bytes either side of it (fewer where the token ends), as `straddleKey`.
   */
  private readonly straddles = new Set<number>();
  /** A one-byte-per-bucket filter in front of `straddles`: most keys are absent. */
  private readonly straddleBits = new Uint8Array(1 << 16);
  /** Standalone merge result of each 2- and 3-byte character, filled on first use (allocated on the first piece: 1.3 MB). */
  private chars = EMPTY;
  /**
   * Rank of the concatenation of two tokens (left id, right id), -1 where it is no token: a
   * direct-mapped memo of the cross-character lookups, which in Chinese text are mostly the
   * same few thousand character pairs and otherwise each cost a probe into the multi-megabyte
   * rank table. Fixed size (PAIR_SLOTS), so memory does not grow with the input; a collision
   * only overwrites an entry.
   */
  private readonly pairLeft = new Int32Array(PAIR_SLOTS).fill(-1);
  private readonly pairRight = new Int32Array(PAIR_SLOTS);
  private readonly pairRank = new Int32Array(PAIR_SLOTS);

  constructor(vocab: Vocabulary) {
    this.vocab = vocab;
    const arena = vocab.table.arena;
    const starts = vocab.rankStart;
    const lengths = vocab.rankLength;
    for (let r = 0; r < vocab.size; r++) {
      const s = starts[r]!;
      const len = lengths[r]!;
      if (s < 0 || len < 2) continue;
      let misaligned = (arena[s]! & 0xc0) === 0x80;
      if (!misaligned) {
        let i = s + len - 1;
        while (i > s && (arena[i]! & 0xc0) === 0x80) i--;
        const lead = arena[i]!;
        const need = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
        misaligned = s + len - i < need;
      }
      if (!misaligned) continue;
      for (let k = s + 1; k < s + len; k++) {
        if ((arena[k]! & 0xc0) === 0x80) continue;
        this.unsafe[(arena[k - 1]! << 8) | arena[k]!] = 1;
        const left = Math.min(3, k - s);
        const right = Math.min(3, s + len - k);
        const leftBytes = packBytes(arena, k - left, k);
        const rightBytes = packBytes(arena, k, k + right);
        this.straddles.add(straddleKey(leftBytes, left, rightBytes, right));
        this.straddleBits[straddleHash(leftBytes, left, rightBytes, right)] = 1;
      }
    }
  }

  /**
   * Appends the token ids of bytes[start, end) (whole characters of well-formed UTF-8, at most
   * SEEDED_MAX_BYTES) and returns true, or returns false having appended nothing.
   */
  encode(bytes: Uint8Array, start: number, end: number, out: number[]): boolean {
    const vocab = this.vocab;
    const byteRanks = vocab.byteRanks;
    const pairRanks = vocab.pairRanks;
    if (this.chars === EMPTY) this.chars = new Int32Array(0x10000 * STRIDE);
    const chars = this.chars;
    const unsafe = this.unsafe;
    if (end - start > SEEDED_MAX_BYTES) return false;
    // Seed: the standalone tokens of each character; pairs inside a character never merge
    // further (its standalone merge stopped), pairs across are looked up below.
    let m = 0;
    let prevLast = -1;
    for (let i = start; i < end; ) {
      const b = bytes[i]!;
      if (prevLast >= 0 && unsafe[(prevLast << 8) | b] === 1 && this.straddled(bytes, start, i, end)) return false;
      if ((b & 0xf0) === 0xe0) {
        // A 3-byte character: all of CJK.
        const cp = ((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
        const at = cp * STRIDE;
        if (chars[at + 1] === 0) this.seedChar(bytes, i, 3, at);
        m = this.seedTokens(at, i, m);
        prevLast = bytes[i + 2]!;
        i += 3;
        continue;
      }
      if (b < 0x80) {
        st[m] = i;
        tr[m] = byteRanks[b]!;
        ta[m] = -1;
        pr[m] = -1; // cross pair, looked up below
        m++;
        prevLast = b;
        i++;
        continue;
      }
      if (b >= 0xf0) return false;
      // A 2-byte character (3-byte ones are handled above).
      const cp = ((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
      const at = cp * STRIDE;
      if (chars[at + 1] === 0) this.seedChar(bytes, i, 2, at);
      m = this.seedTokens(at, i, m);
      prevLast = bytes[i + 1]!;
      i += 2;
    }
    st[m] = end;
    pr[m - 1] = NONE;
    for (let k = 0; k < m - 1; k++) {
      if (pr[k] !== -1) continue;
      const s = st[k]!;
      const e = st[k + 2]!;
      let r = e - s === 2 ? pairRanks[(bytes[s]! << 8) | bytes[s + 1]!]! : this.joinedRank(bytes, s, e, tr[k]!, tr[k + 1]!);
      if (r < 0) r = NONE;
      else if (r <= ta[k]! || r <= ta[k + 1]!) return false;
      pr[k] = r;
    }
    for (;;) {
      let best = NONE;
      let at = -1;
      for (let k = 0; k < m - 1; k++) {
        const r = pr[k]!;
        if (r < best) {
          best = r;
          at = k;
        }
      }
      if (at < 0) break;
      tr[at] = best;
      if (ta[at + 1]! > ta[at]!) ta[at] = ta[at + 1]!;
      for (let k = at + 1; k < m; k++) {
        st[k] = st[k + 1]!;
        tr[k] = tr[k + 1]!;
        ta[k] = ta[k + 1]!;
        pr[k] = pr[k + 1]!;
      }
      m--;
      pr[m - 1] = NONE;
      if (at + 1 < m) {
        const r = this.crossRank(bytes, at);
        if (r < 0) return false;
        pr[at] = r;
      }
      if (at > 0) {
        const r = this.crossRank(bytes, at - 1);
        if (r < 0) return false;
        pr[at - 1] = r;
      }
    }
    for (let k = 0; k < m; k++) out.push(tr[k]!);
    return true;
  }

  /** Appends the standalone tokens of the character at bytes[i] (its chars entry at `at`) as symbols from m; returns the new count. */
  private seedTokens(at: number, i: number, m: number): number {
    const chars = this.chars;
    const tau = chars[at]!;
    const count = chars[at + 1]!;
    if (count === 1) {
      st[m] = i;
      tr[m] = chars[at + 2]!;
      ta[m] = tau;
      pr[m] = -1; // cross pair, looked up below
      return m + 1;
    }
    const lengths = this.vocab.rankLength;
    let p = i;
    for (let k = 0; k < count; k++) {
      const id = chars[at + 2 + k]!;
      st[m] = p;
      tr[m] = id;
      ta[m] = tau;
      pr[m] = k + 1 < count ? NONE : -1; // pairs inside the character never merge
      m++;
      p += lengths[id]!;
    }
    return m;
  }

  /** Whether a misaligned token could straddle the character start at i of the piece [start, end). */
  private straddled(bytes: Uint8Array, start: number, i: number, end: number): boolean {
    const left = Math.min(3, i - start);
    const right = Math.min(3, end - i);
    const bits = this.straddleBits;
    let leftBytes = 0;
    for (let s = 1; s <= left; s++) {
      leftBytes |= bytes[i - s]! << (8 * (s - 1));
      let rightBytes = 0;
      for (let r = 1; r <= right; r++) {
        rightBytes = (rightBytes << 8) | bytes[i + r - 1]!;
        if (bits[straddleHash(leftBytes, s, rightBytes, r)] === 1 && this.straddles.has(straddleKey(leftBytes, s, rightBytes, r))) return true;
      }
    }
    return false;
  }

  /** Rank of joining symbols k and k+1 (NONE if not a token), or -1 when condition 2 fails. */
  private crossRank(bytes: Uint8Array, k: number): number {
    const r = this.joinedRank(bytes, st[k]!, st[k + 2]!, tr[k]!, tr[k + 1]!);
    if (r < 0) return NONE;
    return r <= ta[k]! || r <= ta[k + 1]! ? -1 : r;
  }

  /** Rank of bytes[s, e), the tokens `left` then `right`, or -1; through the pair memo. */
  private joinedRank(bytes: Uint8Array, s: number, e: number, left: number, right: number): number {
    const h = (Math.imul(left, 0x9e3779b1) ^ Math.imul(right, 0x85ebca77)) >>> (32 - PAIR_BITS);
    if (this.pairLeft[h] === left && this.pairRight[h] === right) return this.pairRank[h]!;
    const r = this.vocab.rankOfMostlyAbsent(bytes, s, e);
    this.pairLeft[h] = left;
    this.pairRight[h] = right;
    this.pairRank[h] = r;
    return r;
  }

  /** Standalone byte-pair merge of one 2- or 3-byte character into chars[at..]. */
  private seedChar(bytes: Uint8Array, i: number, len: number, at: number): void {
    const vocab = this.vocab;
    const single = vocab.byteRanks;
    const pairRanks = vocab.pairRanks;
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1]!;
    if (len === 2) {
      const r = pairRanks[(b0 << 8) | b1]!;
      if (r >= 0) this.setChar(at, r, r);
      else this.setChar(at, -1, single[b0]!, single[b1]!);
      return;
    }
    const b2 = bytes[i + 2]!;
    const r01 = pairRanks[(b0 << 8) | b1]!;
    const r12 = pairRanks[(b1 << 8) | b2]!;
    if (r01 < 0 && r12 < 0) {
      this.setChar(at, -1, single[b0]!, single[b1]!, single[b2]!);
      return;
    }
    const whole = vocab.rankOf(bytes, i, i + 3);
    if (r12 < 0 || (r01 >= 0 && r01 <= r12)) {
      if (whole >= 0) this.setChar(at, Math.max(r01, whole), whole);
      else this.setChar(at, r01, r01, single[b2]!);
    } else if (whole >= 0) this.setChar(at, Math.max(r12, whole), whole);
    else this.setChar(at, r12, single[b0]!, r12);
  }

  private setChar(at: number, tau: number, t0: number, t1 = -1, t2 = -1): void {
    const chars = this.chars;
    chars[at] = tau;
    chars[at + 1] = t2 >= 0 ? 3 : t1 >= 0 ? 2 : 1;
    chars[at + 2] = t0;
    chars[at + 3] = t1;
    chars[at + 4] = t2;
  }
}

/** bytes[from, to) (at most 3) as a big-endian integer. */
function packBytes(bytes: Uint8Array, from: number, to: number): number {
  let v = 0;
  for (let k = from; k < to; k++) v = (v << 8) | bytes[k]!;
  return v;
}

/** The s bytes left of a character start and the r bytes right of it (s, r in 1..3, each packed big-endian) as one safe integer. */
function straddleKey(leftBytes: number, s: number, rightBytes: number, r: number): number {
  return (leftBytes * 0x1000000 + rightBytes) * 16 + s * 4 + r;
}

/** 16-bit hash of a straddle key's parts, in integer arithmetic: the filter in front of the exact set. */
function straddleHash(leftBytes: number, s: number, rightBytes: number, r: number): number {
  const h = Math.imul(leftBytes * 4 + s, 0x9e3779b1) ^ Math.imul(rightBytes * 4 + r, 0x85ebca77);
  return (h ^ (h >>> 15)) >>> 16;
}
