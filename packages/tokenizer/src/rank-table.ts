import { hashKey, packHigh, packLow } from './byte-table';

/**
 * Read-only token bytes -> rank table for the encoder's hot lookup, same slot layout as
 * ByteTable ([4 key bytes, 4 key bytes, length, rank]; one cache line for keys of up to 8 bytes)
 * but without per-entry bookkeeping: long keys compare their tail in the vocabulary's arena.
 */
export class RankTable {
  private readonly slots: Int32Array;
  private readonly mask: number;
  /**
   * Ranks of all 1- and 2-byte tokens by direct index (-1 where none): the first pair lookups of
   * every piece, and most lookups in CJK text (3-byte characters merge through 2-byte prefixes),
   * skip the hash and the probe into the large table.
   */
  readonly single = new Int32Array(256).fill(-1);
  readonly double = new Int32Array(65536).fill(-1);
  /** 3- and 4-byte tokens in small tables of their own (packed key, rank): cache-resident for CJK. */
  private readonly short3: ShortKeyTable;
  private readonly short4: ShortKeyTable;
  /**
   * Keys of 5 or more bytes: a one-bit-per-bucket filter on (first 8 bytes, last 4 bytes,
   * length), so most misses skip hashing the whole key and the probe into the large table
   * (megabytes: a cache miss each). `get` consults it for keys over 8 bytes (a whole Chinese
   * phrase looked up before it is merged, a long word that is no token); `getMostlyAbsent`
   * for every key of 5 or more (the cross-character pairs of CJK text, nearly all misses).
   * A false positive only costs the full lookup. Sized by the vocabulary (8 to 16 bits per
   * token: 128 KiB for cl100k_base), never by the input, so it stays in cache.
   */
  private readonly filter: Int32Array;
  private readonly filterMask: number;

  constructor(
    private readonly arena: Uint8Array,
    private readonly rankStart: Int32Array,
    rankLength: Int32Array,
  ) {
    let count = 0;
    let count3 = 0;
    let count4 = 0;
    let countFiltered = 0;
    for (let r = 0; r < rankStart.length; r++) {
      if (rankStart[r]! < 0) continue;
      count++;
      if (rankLength[r] === 3) count3++;
      else if (rankLength[r] === 4) count4++;
      else if (rankLength[r]! > 4) countFiltered++;
    }
    let filterBits = 64;
    while (filterBits < countFiltered * 8) filterBits *= 2;
    this.filter = new Int32Array(filterBits >>> 5);
    this.filterMask = filterBits - 1;
    this.short3 = new ShortKeyTable(count3);
    this.short4 = new ShortKeyTable(count4);
    let capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 4);
    this.mask = capacity - 1;
    for (let r = 0; r < rankStart.length; r++) {
      const start = rankStart[r]!;
      if (start < 0) continue;
      const len = rankLength[r]!;
      if (len === 1) this.single[arena[start]!] = r;
      else if (len === 2) this.double[(arena[start]! << 8) | arena[start + 1]!] = r;
      else if (len === 3) this.short3.set(packLow(arena, start, 3), r);
      else if (len === 4) this.short4.set(packLow(arena, start, 4), r);
      else {
        const h = filterHash(arena, start, len) & this.filterMask;
        this.filter[h >>> 5] = this.filter[h >>> 5]! | (1 << (h & 31));
      }
      const lo = packLow(arena, start, len);
      const hi = packHigh(arena, start, len);
      let slot = hashKey(arena, start, len, lo, hi) & this.mask;
      while (this.slots[slot * 4 + 2] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot * 4] = lo;
      this.slots[slot * 4 + 1] = hi;
      this.slots[slot * 4 + 2] = len;
      this.slots[slot * 4 + 3] = r;
    }
  }

  /** Rank of bytes[start, end), or -1. */
  get(bytes: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (len === 2) return this.double[(bytes[start]! << 8) | bytes[start + 1]!]!;
    if (len === 1) return this.single[bytes[start]!]!;
    if (len === 3) return this.short3.get(bytes[start]! | (bytes[start + 1]! << 8) | (bytes[start + 2]! << 16));
    if (len === 4) return this.short4.get(bytes[start]! | (bytes[start + 1]! << 8) | (bytes[start + 2]! << 16) | (bytes[start + 3]! << 24));
    const lo = packLow(bytes, start, len);
    const hi = packHigh(bytes, start, len);
    const slots = this.slots;
    const mask = this.mask;
    let slot = hashKey(bytes, start, len, lo, hi) & mask;
    for (;;) {
      const l = slots[slot * 4 + 2]!;
      if (l === 0) return -1;
      if (l === len && slots[slot * 4] === lo && slots[slot * 4 + 1] === hi) {
        const rank = slots[slot * 4 + 3]!;
        if (len <= 8 || this.tailEquals(rank, bytes, start, len)) return rank;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** `get` for lookups that are expected to miss: keys of 5 or more bytes go through the filter first. */
  getMostlyAbsent(bytes: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (len > 4) return this.mayHave(bytes, start, len) ? this.get(bytes, start, end) : -1;
    return this.get(bytes, start, end);
  }

  private mayHave(bytes: Uint8Array, start: number, len: number): boolean {
    const h = filterHash(bytes, start, len) & this.filterMask;
    return (this.filter[h >>> 5]! & (1 << (h & 31))) !== 0;
  }

  private tailEquals(rank: number, bytes: Uint8Array, start: number, len: number): boolean {
    const arena = this.arena;
    const base = this.rankStart[rank]!;
    for (let k = 8; k < len; k++) if (arena[base + k] !== bytes[start + k]) return false;
    return true;
  }
}

/** Filter hash of a key of 5 or more bytes from its first 8 bytes (zero-padded), last 4 bytes and length. */
function filterHash(bytes: Uint8Array, start: number, len: number): number {
  const e = start + len;
  const lo = bytes[start]! | (bytes[start + 1]! << 8) | (bytes[start + 2]! << 16) | (bytes[start + 3]! << 24);
  const hi = packHigh(bytes, start, len);
  const tail = bytes[e - 4]! | (bytes[e - 3]! << 8) | (bytes[e - 2]! << 16) | (bytes[e - 1]! << 24);
  let h = Math.imul(lo ^ len, 0x9e3779b1) ^ Math.imul(hi, 0x85ebca77) ^ Math.imul(tail, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}

/** Open addressing from a packed key of up to 4 bytes (one length per table) to a rank. */
class ShortKeyTable {
  private readonly keys: Int32Array;
  private readonly ranks: Int32Array;
  private readonly shift: number;
  private readonly mask: number;

  constructor(count: number) {
    let bits = 4;
    while (1 << bits < count * 2) bits++;
    this.keys = new Int32Array(1 << bits);
    this.ranks = new Int32Array(1 << bits).fill(-1);
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
  }

  set(key: number, rank: number): void {
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.ranks[slot] !== -1) slot = (slot + 1) & this.mask;
    this.keys[slot] = key;
    this.ranks[slot] = rank;
  }

  get(key: number): number {
    const keys = this.keys;
    const ranks = this.ranks;
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const rank = ranks[slot]!;
      if (rank === -1 || keys[slot] === key) return rank;
      slot = (slot + 1) & this.mask;
    }
  }
}
