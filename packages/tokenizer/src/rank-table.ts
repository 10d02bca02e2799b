import { hashKey, packHigh, packLow } from './byte-table';

/**
 * Read-only token bytes -> rank table for the encoder's hot lookup, same slot layout as
 * ByteTable ([4 key bytes, 4 key bytes, length, rank]; one cache line for keys of up to 8 bytes)
 * but without per-entry bookkeeping: long keys compare their tail in the vocabulary's arena.
 */
export class RankTable {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(
    private readonly arena: Uint8Array,
    private readonly rankStart: Int32Array,
    rankLength: Int32Array,
  ) {
    let count = 0;
    for (let r = 0; r < rankStart.length; r++) if (rankStart[r]! >= 0) count++;
    let capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 4);
    this.mask = capacity - 1;
    for (let r = 0; r < rankStart.length; r++) {
      const start = rankStart[r]!;
      if (start < 0) continue;
      const len = rankLength[r]!;
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

  private tailEquals(rank: number, bytes: Uint8Array, start: number, len: number): boolean {
    const arena = this.arena;
    const base = this.rankStart[rank]!;
    for (let k = 8; k < len; k++) if (arena[base + k] !== bytes[start + k]) return false;
    return true;
  }
}
