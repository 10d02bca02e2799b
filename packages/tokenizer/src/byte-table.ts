/**
 * Open-addressing hash table from byte strings to int32 values, without creating JS strings.
 * Each slot is 16 bytes [first 4 key bytes, next 4 key bytes, length + 1, value], so finding
 * a key of up to 8 bytes touches one cache line; longer keys compare their tail against the
 * key arena. Entries are also numbered in insertion order (keyStart/keyLength/values) for
 * callers that walk them. Linear probing, load factor <= 0.5.
 */
export class ByteTable {
  arena: Uint8Array;
  arenaLength = 0;
  keyStart: Int32Array;
  keyLength: Int32Array;
  values: Int32Array;
  size = 0;
  private slots: Int32Array;
  private slotEntry: Int32Array;
  private mask: number;

  constructor(expectedEntries = 1024, expectedKeyBytes = expectedEntries * 8) {
    let capacity = 16;
    while (capacity < expectedEntries * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 4);
    this.slotEntry = new Int32Array(capacity);
    this.mask = capacity - 1;
    const entries = Math.max(8, expectedEntries);
    this.keyStart = new Int32Array(entries);
    this.keyLength = new Int32Array(entries);
    this.values = new Int32Array(entries);
    this.arena = new Uint8Array(Math.max(64, expectedKeyBytes));
  }

  /** Value stored for bytes[start, end), or -1. */
  get(bytes: Uint8Array, start: number, end: number): number {
    const slot = this.find(bytes, start, end);
    return slot < 0 ? -1 : this.slots[slot * 4 + 3]!;
  }

  /** Entry index of bytes[start, end), or -1. */
  indexOf(bytes: Uint8Array, start: number, end: number): number {
    const slot = this.find(bytes, start, end);
    return slot < 0 ? -1 : this.slotEntry[slot]!;
  }

  /** Inserts or overwrites; returns the entry index. */
  set(bytes: Uint8Array, start: number, end: number, value: number): number {
    const len = end - start;
    const lo = packLow(bytes, start, len);
    const hi = packHigh(bytes, start, len);
    let slot = hashKey(bytes, start, len, lo, hi) & this.mask;
    for (;;) {
      const l = this.slots[slot * 4 + 2]!;
      if (l === 0) break;
      if (l === len + 1 && this.slots[slot * 4] === lo && this.slots[slot * 4 + 1] === hi && this.tailEquals(slot, bytes, start, len)) {
        const entry = this.slotEntry[slot]!;
        this.slots[slot * 4 + 3] = value;
        this.values[entry] = value;
        return entry;
      }
      slot = (slot + 1) & this.mask;
    }
    const entry = this.size;
    if (entry === this.keyStart.length) this.growEntries();
    if (this.arenaLength + len > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLength + len));
      next.set(this.arena.subarray(0, this.arenaLength));
      this.arena = next;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaLength);
    this.keyStart[entry] = this.arenaLength;
    this.keyLength[entry] = len;
    this.values[entry] = value;
    this.arenaLength += len;
    this.size = entry + 1;
    this.slots[slot * 4] = lo;
    this.slots[slot * 4 + 1] = hi;
    this.slots[slot * 4 + 2] = len + 1;
    this.slots[slot * 4 + 3] = value;
    this.slotEntry[slot] = entry;
    if (this.size * 2 > this.slotEntry.length) this.rehash();
    return entry;
  }

  clear(): void {
    this.slots.fill(0);
    this.size = 0;
    this.arenaLength = 0;
  }

  private find(bytes: Uint8Array, start: number, end: number): number {
    const len = end - start;
    const lo = packLow(bytes, start, len);
    const hi = packHigh(bytes, start, len);
    const slots = this.slots;
    const mask = this.mask;
    let slot = hashKey(bytes, start, len, lo, hi) & mask;
    for (;;) {
      const l = slots[slot * 4 + 2]!;
      if (l === 0) return -1;
      if (l === len + 1 && slots[slot * 4] === lo && slots[slot * 4 + 1] === hi && (len <= 8 || this.tailEquals(slot, bytes, start, len))) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  private tailEquals(slot: number, bytes: Uint8Array, start: number, len: number): boolean {
    const arena = this.arena;
    const base = this.keyStart[this.slotEntry[slot]!]!;
    for (let k = 8; k < len; k++) if (arena[base + k] !== bytes[start + k]) return false;
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
    this.values = grow(this.values);
  }

  private rehash(): void {
    const capacity = this.slotEntry.length * 2;
    const slots = new Int32Array(capacity * 4);
    const slotEntry = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let entry = 0; entry < this.size; entry++) {
      const start = this.keyStart[entry]!;
      const len = this.keyLength[entry]!;
      const lo = packLow(this.arena, start, len);
      const hi = packHigh(this.arena, start, len);
      let slot = hashKey(this.arena, start, len, lo, hi) & mask;
      while (slots[slot * 4 + 2] !== 0) slot = (slot + 1) & mask;
      slots[slot * 4] = lo;
      slots[slot * 4 + 1] = hi;
      slots[slot * 4 + 2] = len + 1;
      slots[slot * 4 + 3] = this.values[entry]!;
      slotEntry[slot] = entry;
    }
    this.slots = slots;
    this.slotEntry = slotEntry;
    this.mask = mask;
  }
}

/** Little-endian bytes 0..3 of the key (zero-padded). */
export function packLow(bytes: Uint8Array, start: number, len: number): number {
  if (len >= 4) return bytes[start]! | (bytes[start + 1]! << 8) | (bytes[start + 2]! << 16) | (bytes[start + 3]! << 24);
  let v = 0;
  for (let k = 0; k < len; k++) v |= bytes[start + k]! << (8 * k);
  return v;
}

/** Little-endian bytes 4..7 of the key (zero-padded). */
export function packHigh(bytes: Uint8Array, start: number, len: number): number {
  if (len >= 8) return bytes[start + 4]! | (bytes[start + 5]! << 8) | (bytes[start + 6]! << 16) | (bytes[start + 7]! << 24);
  let v = 0;
  for (let k = 4; k < len; k++) v |= bytes[start + k]! << (8 * (k - 4));
  return v;
}

/** Multiplicative hash of the packed head, FNV-1a over any tail, then an avalanche step. */
export function hashKey(bytes: Uint8Array, start: number, len: number, lo: number, hi: number): number {
  let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi + len, 0x85ebca77);
  for (let k = 8; k < len; k++) h = Math.imul(h ^ bytes[start + k]!, 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h;
}
