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
  /** Standalone merge result of each 2- and 3-byte character, filled on first use. */
  private readonly chars = new Int32Array(0x10000 * STRIDE);

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
        const key = straddleKey(arena, k, Math.min(3, k - s), Math.min(3, s + len - k));
        this.straddles.add(key);
        this.straddleBits[straddleHash(key)] = 1;
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
      const len = b < 0xe0 ? 2 : 3;
      const cp = len === 2 ? ((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f) : ((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
      const at = cp * STRIDE;
      if (chars[at + 1] === 0) this.seedChar(bytes, i, len, at);
      const tau = chars[at]!;
      const count = chars[at + 1]!;
      if (count === 1) {
        st[m] = i;
        tr[m] = chars[at + 2]!;
        ta[m] = tau;
        pr[m] = -1;
        m++;
      } else {
        let p = i;
        for (let k = 0; k < count; k++) {
          const id = chars[at + 2 + k]!;
          st[m] = p;
          tr[m] = id;
          ta[m] = tau;
          pr[m] = k + 1 < count ? NONE : -1;
          m++;
          p += vocab.rankLength[id]!;
        }
      }
      prevLast = bytes[i + len - 1]!;
      i += len;
    }
    st[m] = end;
    pr[m - 1] = NONE;
    for (let k = 0; k < m - 1; k++) {
      if (pr[k] !== -1) continue;
      const s = st[k]!;
      const e = st[k + 2]!;
      let r = e - s === 2 ? pairRanks[(bytes[s]! << 8) | bytes[s + 1]!]! : vocab.rankOf(bytes, s, e);
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

  /** Whether a misaligned token could straddle the character start at i of the piece [start, end). */
  private straddled(bytes: Uint8Array, start: number, i: number, end: number): boolean {
    const left = Math.min(3, i - start);
    const right = Math.min(3, end - i);
    for (let s = 1; s <= left; s++) {
      for (let r = 1; r <= right; r++) {
        const key = straddleKey(bytes, i, s, r);
        if (this.straddleBits[straddleHash(key)] === 1 && this.straddles.has(key)) return true;
      }
    }
    return false;
  }

  /** Rank of joining symbols k and k+1 (NONE if not a token), or -1 when condition 2 fails. */
  private crossRank(bytes: Uint8Array, k: number): number {
    const r = this.vocab.rankOf(bytes, st[k]!, st[k + 2]!);
    if (r < 0) return NONE;
    return r <= ta[k]! || r <= ta[k + 1]! ? -1 : r;
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

/** bytes[i - s, i) and bytes[i, i + r) (s, r in 1..3) packed into one safe integer. */
function straddleKey(bytes: Uint8Array, i: number, s: number, r: number): number {
  let left = 0;
  for (let k = i - s; k < i; k++) left = (left << 8) | bytes[k]!;
  let right = 0;
  for (let k = i; k < i + r; k++) right = (right << 8) | bytes[k]!;
  return ((left >>> 0) * 0x1000000 + right) * 16 + s * 4 + r;
}

function straddleHash(key: number): number {
  const h = Math.imul((key / 0x1000000) | 0, 0x9e3779b1) ^ Math.imul((key % 0x1000000) | 0, 0x85ebca77);
  return (h ^ (h >>> 16)) & 0xffff;
}
