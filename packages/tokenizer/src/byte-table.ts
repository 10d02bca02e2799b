/**
 * Open-addressing hash table from byte strings to int32 values, without creating JS strings.
 * Keys live in one growing byte arena; `slots` holds entry index + 1 (0 = empty), probed
 * linearly. Lookups hash a range of the caller's buffer (FNV-1a), so the encoder can ask
 * "is bytes[start, end) a token?" with no allocation.
 */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  // Final avalanche so the low bits (used as the slot index) depend on every byte.
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h | 0;
}

export class ByteTable {
  arena: Uint8Array;
  arenaLength = 0;
  keyStart: Int32Array;
  keyLength: Int32Array;
  keyHash: Int32Array;
  values: Int32Array;
  size = 0;
  private slots: Int32Array;
  private mask: number;

  constructor(expectedEntries = 1024, expectedKeyBytes = expectedEntries * 8) {
    let capacity = 16;
    while (capacity < expectedEntries * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    const entries = Math.max(8, expectedEntries);
    this.keyStart = new Int32Array(entries);
    this.keyLength = new Int32Array(entries);
    this.keyHash = new Int32Array(entries);
    this.values = new Int32Array(entries);
    this.arena = new Uint8Array(Math.max(64, expectedKeyBytes));
  }

  /** Value stored for bytes[start, end), or -1. */
  get(bytes: Uint8Array, start: number, end: number): number {
    const h = hashBytes(bytes, start, end);
    const len = end - start;
    const slots = this.slots;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const entry = slots[slot]!;
      if (entry === 0) return -1;
      const i = entry - 1;
      if (this.keyHash[i] === h && this.keyLength[i] === len && this.equals(i, bytes, start, len)) {
        return this.values[i]!;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Entry index of bytes[start, end), or -1. */
  indexOf(bytes: Uint8Array, start: number, end: number): number {
    const h = hashBytes(bytes, start, end);
    const len = end - start;
    let slot = h & this.mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === 0) return -1;
      const i = entry - 1;
      if (this.keyHash[i] === h && this.keyLength[i] === len && this.equals(i, bytes, start, len)) {
        return i;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** Inserts or overwrites; returns the entry index. */
  set(bytes: Uint8Array, start: number, end: number, value: number): number {
    const h = hashBytes(bytes, start, end);
    const len = end - start;
    let slot = h & this.mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === 0) break;
      const i = entry - 1;
      if (this.keyHash[i] === h && this.keyLength[i] === len && this.equals(i, bytes, start, len)) {
        this.values[i] = value;
        return i;
      }
      slot = (slot + 1) & this.mask;
    }
    const i = this.size;
    if (i === this.keyStart.length) this.growEntries();
    if (this.arenaLength + len > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLength + len));
      next.set(this.arena.subarray(0, this.arenaLength));
      this.arena = next;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaLength);
    this.keyStart[i] = this.arenaLength;
    this.keyLength[i] = len;
    this.keyHash[i] = h;
    this.values[i] = value;
    this.arenaLength += len;
    this.size = i + 1;
    this.slots[slot] = i + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    return i;
  }

  clear(): void {
    this.slots.fill(0);
    this.size = 0;
    this.arenaLength = 0;
  }

  private equals(i: number, bytes: Uint8Array, start: number, len: number): boolean {
    const arena = this.arena;
    const base = this.keyStart[i]!;
    for (let k = 0; k < len; k++) if (arena[base + k] !== bytes[start + k]) return false;
    return true;
  }

  private growEntries(): void {
    const n = this.keyStart.length * 2;
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.keyStart = grow(this.keyStart);
    this.keyLength = grow(this.keyLength);
    this.keyHash = grow(this.keyHash);
    this.values = grow(this.values);
  }

  private rehash(): void {
    const capacity = this.slots.length * 2;
    const slots = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let i = 0; i < this.size; i++) {
      let slot = this.keyHash[i]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = i + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
