import { ByteTable } from './byte-table';
import { TokenizerError } from './errors';
import { RankTable } from './rank-table';

/**
 * A byte-level vocabulary: byte string <-> rank. Ranks double as token ids and, for
 * tiktoken-style BPE, as merge priorities (lower merges first).
 */
export class Vocabulary {
  readonly table: ByteTable;
  /** Per rank: start in `table.arena`, or -1 where the rank is unused. */
  readonly rankStart: Int32Array;
  readonly rankLength: Int32Array;
  /** One more than the largest rank. */
  readonly size: number;
  private readonly ranks: RankTable;

  constructor(table: ByteTable) {
    this.table = table;
    let size = 0;
    for (let i = 0; i < table.size; i++) size = Math.max(size, table.values[i]! + 1);
    this.size = size;
    this.rankStart = new Int32Array(size).fill(-1);
    this.rankLength = new Int32Array(size);
    for (let i = 0; i < table.size; i++) {
      const rank = table.values[i]!;
      this.rankStart[rank] = table.keyStart[i]!;
      this.rankLength[rank] = table.keyLength[i]!;
    }
    this.ranks = new RankTable(table.arena, this.rankStart, this.rankLength);
  }

  /** Builds from (bytes, rank) pairs; duplicate byte strings or ranks are errors. */
  static fromEntries(entries: Iterable<readonly [Uint8Array, number]>, op = 'Vocabulary.fromEntries'): Vocabulary {
    const table = new ByteTable(1024);
    const seenRanks = new Set<number>();
    for (const [bytes, rank] of entries) {
      if (!Number.isInteger(rank) || rank < 0) {
        throw new TokenizerError('E_ARGUMENT', { op, expected: 'ranks to be non-negative integers', got: String(rank) });
      }
      if (seenRanks.has(rank)) {
        throw new TokenizerError('E_ARGUMENT', { op, expected: 'each rank once', got: `rank ${rank} twice` });
      }
      if (table.get(bytes, 0, bytes.length) >= 0) {
        throw new TokenizerError('E_ARGUMENT', { op, expected: 'each byte string once', got: `a repeated byte string at rank ${rank}` });
      }
      seenRanks.add(rank);
      table.set(bytes, 0, bytes.length, rank);
    }
    return new Vocabulary(table);
  }

  /** Rank of bytes[start, end), or -1. */
  rankOf(bytes: Uint8Array, start: number, end: number): number {
    return this.ranks.get(bytes, start, end);
  }

  /** Whether `rank` is a token of this vocabulary (ranks may have gaps). */
  has(rank: number): boolean {
    return rank >= 0 && rank < this.size && this.rankStart[rank]! >= 0;
  }

  /** The bytes of a rank (a view; do not mutate). */
  bytesOf(rank: number): Uint8Array {
    const start = this.rankStart[rank]!;
    return this.table.arena.subarray(start, start + this.rankLength[rank]!);
  }

  /** Every (bytes, rank) pair, in rank order. */
  *entries(): IterableIterator<[Uint8Array, number]> {
    for (let rank = 0; rank < this.size; rank++) if (this.rankStart[rank]! >= 0) yield [this.bytesOf(rank), rank];
  }
}
