import { ByteTable } from './byte-table';

/**
 * Remembers the token ids of multi-token pieces (words not in the vocabulary as a whole), keyed
 * by their bytes. Bounded: when full it is cleared, which keeps memory flat on endless streams
 * and never changes results.
 *
 * Adaptive: where pieces rarely repeat (Chinese: a piece is a whole phrase between punctuation,
 * ~6% of lookups hit, against ~57% for English prose) hashing and storing every piece costs more
 * than it saves (Chinese encoded 1.6× faster without it). So the hit rate is measured over
 * windows of lookups; below MIN_HIT_RATE the cache is consulted for one piece in SAMPLE_EVERY
 * only, which keeps measuring, until the rate comes back.
 */
const MAX_ENTRIES = 1 << 16;
const MAX_PIECE_BYTES = 128;
const WINDOW = 1024;
const MIN_HIT_RATE = 0.15;
const SAMPLE_EVERY = 16;

export class PieceCache {
  private table = new ByteTable(4096, 4096 * 12);
  private ids = new Int32Array(1 << 16);
  private idsLength = 0;
  private sparse = false;
  private tick = 0;
  private lookups = 0;
  private hits = 0;

  /** Appends the cached ids of bytes[start, end) to out and returns true, or returns false. */
  appendTo(bytes: Uint8Array, start: number, end: number, out: number[]): boolean {
    if (this.sparse && ++this.tick % SAMPLE_EVERY !== 0) return false;
    const slot = this.table.get(bytes, start, end);
    if (++this.lookups === (this.sparse ? WINDOW / SAMPLE_EVERY : WINDOW)) {
      this.sparse = (this.hits + (slot >= 0 ? 1 : 0)) / this.lookups < MIN_HIT_RATE;
      this.lookups = 0;
      this.hits = 0;
    } else if (slot >= 0) this.hits++;
    if (slot < 0) return false;
    const ids = this.ids;
    const count = ids[slot]!;
    for (let k = 1; k <= count; k++) out.push(ids[slot + k]!);
    return true;
  }

  /** Stores out[from..] as the ids of bytes[start, end). */
  store(bytes: Uint8Array, start: number, end: number, out: readonly number[], from: number): void {
    if (end - start > MAX_PIECE_BYTES) return;
    if (this.sparse && this.tick % SAMPLE_EVERY !== 0) return;
    const count = out.length - from;
    if (this.table.size >= MAX_ENTRIES) {
      this.table.clear();
      this.idsLength = 0;
    }
    if (this.idsLength + count + 1 > this.ids.length) {
      const grown = new Int32Array(Math.max(this.ids.length * 2, this.idsLength + count + 1));
      grown.set(this.ids.subarray(0, this.idsLength));
      this.ids = grown;
    }
    const slot = this.idsLength;
    this.ids[slot] = count;
    for (let k = 0; k < count; k++) this.ids[slot + 1 + k] = out[from + k]!;
    this.idsLength += count + 1;
    this.table.set(bytes, start, end, slot);
  }
}
