/**
 * Dense ids for symbol pairs (a, b) via open addressing on two int32 keys, so the trainer's
 * per-pair state (count, words containing it) lives in flat arrays indexed by pair id.
 */
export class PairTable {
  left = new Int32Array(1 << 16);
  right = new Int32Array(1 << 16);
  size = 0;
  private slots = new Int32Array(1 << 17);
  private mask = (1 << 17) - 1;

  private static hash(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
    h ^= h >>> 16;
    return h;
  }

  /** Pair id of (a, b), creating it if new. */
  idOf(a: number, b: number): number {
    let slot = PairTable.hash(a, b) & this.mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === 0) break;
      const id = entry - 1;
      if (this.left[id] === a && this.right[id] === b) return id;
      slot = (slot + 1) & this.mask;
    }
    const id = this.size++;
    if (id === this.left.length) {
      const grow = (x: Int32Array) => {
        const y = new Int32Array(x.length * 2);
        y.set(x);
        return y;
      };
      this.left = grow(this.left);
      this.right = grow(this.right);
    }
    this.left[id] = a;
    this.right[id] = b;
    this.slots[slot] = id + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = PairTable.hash(this.left[id]!, this.right[id]!) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
