import { ByteTable } from '../byte-table';
import type { PieceEnd } from '../pre-tokenizers/patterns';
import type { SplitMatcher } from '../pre-tokenizers/split-pattern';
import { utf8Scratch } from '../utf8';

/**
 * Counts distinct pre-tokenized pieces ("words") by their UTF-8 bytes. Memory grows with the
 * number of distinct words, not with the amount of text, so a stream of tens of MB stays small.
 */
export class WordCounter {
  readonly table = new ByteTable(1 << 14, 1 << 17);
  counts = new Float64Array(1 << 14);
  bytesSeen = 0;

  constructor(
    private readonly pieceEnd: PieceEnd | null,
    private readonly matcher: SplitMatcher | null,
  ) {}

  add(text: string): void {
    if (this.matcher !== null) {
      const spans = this.matcher.spans(text);
      for (let k = 0; k < spans.length; k += 2) {
        const { bytes, length } = utf8Scratch(text.slice(spans[k], spans[k + 1]));
        this.count(bytes, 0, length);
      }
      return;
    }
    const { bytes, length } = utf8Scratch(text);
    const pieceEnd = this.pieceEnd!;
    for (let pos = 0; pos < length; ) {
      const end = pieceEnd(bytes, pos, length);
      this.count(bytes, pos, end);
      pos = end;
    }
  }

  private count(bytes: Uint8Array, start: number, end: number): void {
    this.bytesSeen += end - start;
    let index = this.table.get(bytes, start, end);
    if (index < 0) {
      index = this.table.size;
      this.table.set(bytes, start, end, index);
      if (index === this.counts.length) {
        const grown = new Float64Array(this.counts.length * 2);
        grown.set(this.counts);
        this.counts = grown;
      }
    }
    this.counts[index]! += 1;
  }
}
