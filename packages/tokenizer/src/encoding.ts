import type { EncodingSpec } from './encodings/encoding-spec';
import { ENCODE_LOOPS, type EncodeLoop, type MissHandler } from './encode-loops';
import { TokenizerError, preview } from './errors';
import { CharSeededBpe, SEEDED_MAX_BYTES } from './models/char-seeded-bpe';
import { rankBpe } from './models/rank-bpe';
import { PieceCache } from './piece-cache';
import { findBuiltInPattern } from './pre-tokenizers/patterns';
import { type SplitMatcher, compileSplitPattern } from './pre-tokenizers/split-pattern';
import { type EncodeOptions, type Segment, SpecialTokens } from './special-tokens';
import { StreamingDecoder } from './streaming-decoder';
import { parseTiktokenRanks, serializeTiktokenRanks } from './tiktoken-file';
import { utf8Bytes, utf8Decode, utf8Scratch } from './utf8';
import { Vocabulary, checkSingleBytes } from './vocabulary';

/**
 * Everything that defines a tiktoken-style encoding: its name, pre-tokenizer pattern, special tokens and byte-pair ranks.
 */
export interface EncodingOptions {
  readonly name: string;
  /** Built-in pattern name ('gpt2' | 'cl100k' | 'o200k') or a regex source (tiktoken syntax). */
  readonly pattern: string;
  readonly specialTokens?: Readonly<Record<string, number>>;
  /** `.tiktoken` text or bytes, or an already parsed Vocabulary. */
  readonly ranks: string | Uint8Array | Vocabulary;
}

/** What `encodeWithOffsets` returns: token ids and each token's span in the input. */
export interface EncodingWithOffsets {
  readonly ids: number[];
  /** Per token, [start, end) in UTF-16 code units of the input; a token that holds only part of a
   * character spans that whole character. */
  readonly offsets: Array<[number, number]>;
}

/**
 * A tiktoken-compatible byte-level BPE encoding. Pieces come from a hand-compiled scanner for
 * the built-in patterns (or a RegExp otherwise); each piece is looked up whole in the rank
 * table, then in a piece cache, and only then merged.
 */
export class Encoding {
  readonly name: string;
  readonly pattern: string;
  readonly vocabulary: Vocabulary;
  readonly specialTokens: SpecialTokens;
  private readonly loop: EncodeLoop | null;
  private readonly miss: MissHandler = (bytes, start, end, out) => this.encodePiece(bytes, start, end, out);
  /**
   * Pieces that start with a non-ASCII byte: the whole-piece lookup through the rank table's
   * filter, then the character-seeded merge directly. No piece cache: CJK pieces are whole
   * phrases that rarely repeat, and the seeded merge costs about what hashing the piece for
   * the cache would.
   */
  private readonly multiByte: MissHandler = (bytes, start, end, out) => {
    const rank = this.vocabulary.rankOfMostlyAbsent(bytes, start, end);
    if (rank >= 0) out.push(rank);
    else if (end - start > SEEDED_MAX_BYTES || !this.seeded.encode(bytes, start, end, out)) this.encodePiece(bytes, start, end, out);
  };
  private readonly matcher: SplitMatcher | null;
  private readonly cache = new PieceCache();
  /** Character-seeded merge for pieces of multi-byte text (its vocabulary scan runs here, once). */
  private readonly seeded: CharSeededBpe;
  private readonly specialBytes = new Map<number, Uint8Array>();
  private decodeScratch = new Uint8Array(1 << 16);

  constructor(options: EncodingOptions | EncodingSpec) {
    this.name = options.name;
    const builtIn = findBuiltInPattern(options.pattern);
    this.pattern = builtIn ? builtIn.source : options.pattern;
    this.loop = builtIn ? ENCODE_LOOPS[builtIn.name]! : null;
    this.matcher = builtIn ? null : compileSplitPattern(options.pattern, 'Encoding');
    this.vocabulary = options.ranks instanceof Vocabulary ? options.ranks : parseTiktokenRanks(options.ranks);
    checkSingleBytes(this.vocabulary, 'Encoding');
    this.seeded = new CharSeededBpe(this.vocabulary);
    this.specialTokens = new SpecialTokens(options.specialTokens ?? {}, 'Encoding');
    for (const [text, id] of this.specialTokens.ids) {
      if (!Number.isInteger(id) || id < 0 || this.vocabulary.has(id)) {
        throw new TokenizerError('E_ARGUMENT', {
          op: 'Encoding',
          expected: 'special token ids that are non-negative integers not used by a rank',
          got: `${preview(text)} = ${id}`,
        });
      }
      this.specialBytes.set(id, utf8Bytes(text));
    }
  }

  /** Number of ids: one more than the largest rank or special-token id. */
  get vocabSize(): number {
    let max = this.vocabulary.size - 1;
    for (const id of this.specialTokens.byId.keys()) max = Math.max(max, id);
    return max + 1;
  }

  /** Token ids of `text`; special tokens follow tiktoken's allowedSpecial/disallowedSpecial rules. */
  encode(text: string, options?: EncodeOptions): number[] {
    const out: number[] = [];
    const segments = this.specialTokens.split(text, options, 'encode');
    if (segments === null) this.encodeOrdinaryInto(text, out);
    else for (const s of segments) typeof s === 'number' ? out.push(s) : this.encodeOrdinaryInto(s, out);
    return out;
  }

  /** Token ids of `text`, treating special-token text as ordinary text. */
  encodeOrdinary(text: string): number[] {
    const out: number[] = [];
    this.encodeOrdinaryInto(text, out);
    return out;
  }

  /** `encode` for each text. */
  encodeBatch(texts: readonly string[], options?: EncodeOptions): number[][] {
    return texts.map((t) => this.encode(t, options));
  }

  /** Number of tokens `encode(text, options)` would return, without building the array. */
  countTokens(text: string, options?: EncodeOptions): number {
    return this.encode(text, options).length;
  }

  /** Ids plus, for each token, its `[start, end)` span in the input (UTF-16 code units). */
  encodeWithOffsets(text: string, options?: EncodeOptions): EncodingWithOffsets {
    const segments: Segment[] = this.specialTokens.split(text, options, 'encodeWithOffsets') ?? [text];
    const ids: number[] = [];
    const byteEnds: number[] = [];
    let bytePos = 0;
    for (const s of segments) {
      const from = ids.length;
      if (typeof s === 'number') ids.push(s);
      else this.encodeOrdinaryInto(s, ids);
      for (let k = from; k < ids.length; k++) {
        bytePos += this.tokenByteLength(ids[k]!);
        byteEnds.push(bytePos);
      }
    }
    // Map each UTF-8 byte to the UTF-16 span of the character it belongs to.
    const charStart = new Int32Array(bytePos + 1);
    const charEnd = new Int32Array(bytePos + 1);
    let b = 0;
    for (let u = 0; u < text.length; ) {
      const cp = text.codePointAt(u)!;
      const units = cp > 0xffff ? 2 : 1;
      const isLone = cp >= 0xd800 && cp <= 0xdfff;
      const len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 || isLone ? 3 : 4;
      for (let k = 0; k < len; k++) {
        charStart[b + k] = u;
        charEnd[b + k] = u + units;
      }
      b += len;
      u += units;
    }
    const offsets: Array<[number, number]> = [];
    let start = 0;
    for (const end of byteEnds) {
      offsets.push(end > start ? [charStart[start]!, charEnd[end - 1]!] : [charStart[start]!, charStart[start]!]);
      start = end;
    }
    return { ids, offsets };
  }

  /** Text of the ids; bytes that are not valid UTF-8 on their own decode to U+FFFD. */
  decode(ids: ArrayLike<number>): string {
    return utf8Decode(this.decodeToScratch(ids, 'decode'));
  }

  /** Raw bytes of the ids (no UTF-8 decoding). */
  decodeBytes(ids: ArrayLike<number>): Uint8Array {
    return this.decodeToScratch(ids, 'decodeBytes').slice();
  }

  /** Bytes of one token (a copy). */
  tokenBytes(id: number): Uint8Array {
    return this.decodeToScratch([id], 'tokenBytes').slice();
  }

  /** A decoder for ids that arrive one at a time; it never splits a UTF-8 character. */
  createStreamingDecoder(): StreamingDecoder {
    return new StreamingDecoder((ids) => this.decodeBytes(ids));
  }

  /** The rank data in `.tiktoken` format. */
  toTiktoken(): string {
    return serializeTiktokenRanks(this.vocabulary);
  }

  private tokenByteLength(id: number): number {
    return this.vocabulary.has(id) ? this.vocabulary.rankLength[id]! : this.specialBytes.get(id)!.length;
  }

  private decodeToScratch(ids: ArrayLike<number>, op: string): Uint8Array {
    const vocab = this.vocabulary;
    const starts = vocab.rankStart;
    const lengths = vocab.rankLength;
    const arena = vocab.table.arena;
    const size = vocab.size;
    let out = this.decodeScratch;
    let length = 0;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      let src: Uint8Array;
      let from: number;
      let len: number;
      if (id >= 0 && id < size && starts[id]! >= 0) {
        src = arena;
        from = starts[id]!;
        len = lengths[id]!;
      } else {
        const special = this.specialBytes.get(id);
        if (special === undefined) throw this.badId(id, k, op);
        src = special;
        from = 0;
        len = special.length;
      }
      if (length + len > out.length) {
        const grown = new Uint8Array(Math.max(out.length * 2, length + len));
        grown.set(out.subarray(0, length));
        out = this.decodeScratch = grown;
      }
      if (len < 16) for (let j = 0; j < len; j++) out[length + j] = src[from + j]!;
      else out.set(src.subarray(from, from + len), length);
      length += len;
    }
    return out.subarray(0, length);
  }

  private badId(id: number, index: number, op: string): TokenizerError {
    return new TokenizerError('E_TOKEN_ID_OUT_OF_RANGE', {
      op,
      expected: `token ids that are ranks in 0..${this.vocabulary.size - 1} or special-token ids (${[...this.specialTokens.byId.keys()].join(', ') || 'none'}) of ${this.name}`,
      got: `${String(id)} at index ${index}`,
      help: 'decode ids produced by the same encoding',
    });
  }

  private encodeOrdinaryInto(text: string, out: number[]): void {
    if (this.matcher !== null) {
      const spans = this.matcher.spans(text);
      for (let k = 0; k < spans.length; k += 2) {
        const { bytes, length } = utf8Scratch(text.slice(spans[k], spans[k + 1]));
        this.encodePiece(bytes, 0, length, out);
      }
      return;
    }
    const { bytes, length } = utf8Scratch(text);
    this.loop!(this.vocabulary, bytes, length, out, this.miss, this.multiByte);
  }

  private encodePiece(bytes: Uint8Array, start: number, end: number, out: number[]): void {
    if (this.cache.appendTo(bytes, start, end, out)) return;
    const from = out.length;
    if (end - start > SEEDED_MAX_BYTES || !hasMultiByte(bytes, start, end) || !this.seeded.encode(bytes, start, end, out)) {
      rankBpe(this.vocabulary, bytes, start, end, out);
    }
    this.cache.store(bytes, start, end, out, from);
  }
}

function hasMultiByte(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}
