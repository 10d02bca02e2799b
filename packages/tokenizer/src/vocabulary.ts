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
  /** Rank of each 2-byte token by (first << 8 | second), -1 where none: the merge loop's first lookups. */
  readonly pairRanks: Int32Array;
  /** Rank of each single byte, -1 where none. */
  readonly byteRanks: Int32Array;

  constructor(table: ByteTable, op = 'Vocabulary') {
    this.table = table;
    let size = 0;
    for (let i = 0; i < table.size; i++) size = Math.max(size, table.values[i]! + 1);
    const bound = maxRankFor(table.size);
    if (size > bound) {
      throw new TokenizerError('E_MALFORMED_RANKS', {
        op,
        expected: `ranks below ${bound} for ${table.size} tokens`,
        got: `rank ${size - 1}`,
        help: 'ranks number the tokens from 0 with few gaps (tiktoken files have none); renumber them',
      });
    }
    this.size = size;
    this.rankStart = new Int32Array(size).fill(-1);
    this.rankLength = new Int32Array(size);
    for (let i = 0; i < table.size; i++) {
      const rank = table.values[i]!;
      this.rankStart[rank] = table.keyStart[i]!;
      this.rankLength[rank] = table.keyLength[i]!;
    }
    this.ranks = new RankTable(table.arena, this.rankStart, this.rankLength);
    this.pairRanks = this.ranks.double;
    this.byteRanks = this.ranks.single;
  }

  /** Builds from (bytes, rank) pairs; duplicate byte strings or ranks are errors. */
  static fromEntries(entries: Iterable<readonly [Uint8Array, number]>, op = 'Vocabulary.fromEntries'): Vocabulary {
    const list = Array.from(entries);
    const bound = maxRankFor(list.length);
    const table = new ByteTable(1024);
    const seenRanks = new Set<number>();
    for (const [bytes, rank] of list) {
      if (!Number.isInteger(rank) || rank < 0 || rank >= bound) {
        throw new TokenizerError('E_ARGUMENT', { op, expected: `ranks to be integers in 0..${bound - 1} for ${list.length} tokens`, got: String(rank) });
      }
      if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
        throw new TokenizerError('E_ARGUMENT', {
          op,
          expected: 'token bytes to be non-empty Uint8Arrays',
          got: `${bytes instanceof Uint8Array ? 'empty bytes' : typeof bytes} at rank ${rank}`,
        });
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
    return new Vocabulary(table, op);
  }

  /** Rank of bytes[start, end), or -1. */
  rankOf(bytes: Uint8Array, start: number, end: number): number {
    return this.ranks.get(bytes, start, end);
  }

  /** `rankOf` for lookups that usually find nothing (the cross-character pairs of CJK text): a small filter answers most of them. */
  rankOfMostlyAbsent(bytes: Uint8Array, start: number, end: number): number {
    return this.ranks.getMostlyAbsent(bytes, start, end);
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

/**
 * Largest rank + 1 accepted for a vocabulary of `count` tokens. Rank tables are allocated by
 * rank, so a 2.5 KB file claiming rank 1e9 would cost gigabytes; real files number their
 * tokens 0..count-1, and this leaves room for gaps while keeping memory linear in the file.
 */
export function maxRankFor(count: number): number {
  return 2 * count + 1024;
}

function byteName(b: number): string {
  const hex = `0x${b.toString(16).padStart(2, '0')}`;
  return b >= 0x21 && b < 0x7f ? `${hex} (${JSON.stringify(String.fromCharCode(b))})` : hex;
}

/** Byte-level BPE needs a rank for each of the 256 single bytes, or some text has no ids. */
export function checkSingleBytes(vocab: Vocabulary, op: string): void {
  const one = new Uint8Array(1);
  const missing: number[] = [];
  for (let b = 0; b < 256; b++) {
    one[0] = b;
    if (vocab.rankOf(one, 0, 1) < 0) missing.push(b);
  }
  if (missing.length > 0) {
    throw new TokenizerError('E_MALFORMED_RANKS', {
      op,
      expected: 'a rank for each of the 256 single bytes',
      got: `none for byte ${missing.slice(0, 4).map(byteName).join(', ')}${missing.length > 4 ? ` and ${missing.length - 4} more` : ''}`,
      help: 'a byte-level BPE rank file lists every single byte (tiktoken files give them the first ranks)',
    });
  }
}
