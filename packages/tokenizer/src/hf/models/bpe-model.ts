import { TokenizerError } from '../../errors';
import type { JsonObject } from '../json-types';
import type { Model } from '../stages';
import { NO_MERGE, heapMerge } from '../../models/heap-merge';
import { MAX_TOKEN_ID, checkVocabIds } from './vocab-ids';

export interface BpeModelOptions {
  readonly vocab: ReadonlyMap<string, number>;
  /** In priority order: merges[0] is applied first. */
  readonly merges: ReadonlyArray<readonly [string, string]>;
  readonly unkToken: string | null;
  readonly fuseUnk: boolean;
  readonly byteFallback: boolean;
  readonly ignoreMerges: boolean;
}

const ID_BITS = MAX_TOKEN_ID + 1;
const CACHE_LIMIT = 50_000;
/** Pieces longer than this are not cached (a 4 MB word would pin 4 MB). */
const CACHE_MAX_CHARS = 256;
/** Pieces of more symbols than this use the heap merge; fewer, the array scan. */
const HEAP_THRESHOLD = 64;

/**
 * HF `BPE` model: a piece is split into chars (byte-level chars for GPT-style tokenizers), then
 * the merge with the lowest rank (leftmost on ties) is applied until none applies. Unlike
 * tiktoken, only listed *pairs* merge, which is what HF does and what our trainer produces.
 * Long pieces use the heap merge shared with the tiktoken path, so time is O(n log n).
 */
export class BpeModel implements Model {
  private readonly idToTokenTable: string[] = [];
  /** (left id, right id) -> rank * 2^21 + merged id. */
  private readonly mergeTable = new Map<number, number>();
  private readonly cache = new Map<string, number[]>();

  constructor(readonly options: BpeModelOptions) {
    checkVocabIds(options.vocab, 'model.vocab');
    for (const [token, id] of options.vocab) this.idToTokenTable[id] = token;
    options.merges.forEach(([left, right], rank) => {
      const a = options.vocab.get(left);
      const b = options.vocab.get(right);
      const merged = options.vocab.get(left + right);
      if (a === undefined || b === undefined || merged === undefined) {
        throw new TokenizerError('E_MALFORMED_TOKENIZER_JSON', {
          op: 'Tokenizer.fromJSON',
          expected: `model.merges[${rank}] to join two vocab tokens into a vocab token`,
          got: JSON.stringify([left, right]),
          help: 'every merge "a b" needs a, b and ab in model.vocab',
        });
      }
      const key = a * ID_BITS + b;
      if (!this.mergeTable.has(key)) this.mergeTable.set(key, rank * ID_BITS + merged);
    });
  }

  get vocabSize(): number {
    return this.options.vocab.size;
  }

  tokenToId(token: string): number | undefined {
    return this.options.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.idToTokenTable[id];
  }

  tokenize(piece: string): number[] {
    if (this.options.ignoreMerges) {
      const whole = this.options.vocab.get(piece);
      if (whole !== undefined) return [whole];
    }
    const cacheable = piece.length <= CACHE_MAX_CHARS;
    const cached = cacheable ? this.cache.get(piece) : undefined;
    if (cached) return cached.slice();
    const ids = this.initialSymbols(piece);
    const merged = ids.length > HEAP_THRESHOLD ? this.heapMerge(ids) : this.scanMerge(ids);
    if (cacheable) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(piece, merged.slice());
    }
    return merged;
  }

  /** Short pieces: rescan for the best pair after each merge (fastest for a few symbols). */
  private scanMerge(ids: number[]): number[] {
    for (;;) {
      let best = Infinity;
      let at = -1;
      for (let k = 0; k + 1 < ids.length; k++) {
        const entry = this.mergeTable.get(ids[k]! * ID_BITS + ids[k + 1]!);
        if (entry !== undefined && entry < best) {
          best = entry;
          at = k;
        }
      }
      if (at < 0) return ids;
      ids.splice(at, 2, best % ID_BITS);
    }
  }

  /** Long pieces: the shared heap merge, O(n log n). */
  private heapMerge(ids: number[]): number[] {
    const table = this.mergeTable;
    const symbols = Int32Array.from(ids);
    const next = heapMerge(symbols.length, {
      rank: (p, q) => {
        const entry = table.get(symbols[p]! * ID_BITS + symbols[q]!);
        return entry === undefined ? NO_MERGE : Math.floor(entry / ID_BITS);
      },
      join: (p, q) => {
        symbols[p] = table.get(symbols[p]! * ID_BITS + symbols[q]!)! % ID_BITS;
      },
    });
    const out: number[] = [];
    for (let p = 0; p < symbols.length; p = next[p]!) out.push(symbols[p]!);
    return out;
  }

  private initialSymbols(piece: string): number[] {
    const ids: number[] = [];
    const { vocab, unkToken, fuseUnk, byteFallback } = this.options;
    let lastWasUnk = false;
    for (const ch of piece) {
      const id = vocab.get(ch);
      if (id !== undefined) {
        ids.push(id);
        lastWasUnk = false;
        continue;
      }
      if (byteFallback) {
        const bytes = new TextEncoder().encode(ch);
        const fallback = Array.from(bytes, (b) => vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`));
        if (fallback.every((f) => f !== undefined)) {
          for (const f of fallback) ids.push(f!);
          lastWasUnk = false;
          continue;
        }
      }
      const unk = unkToken === null ? undefined : vocab.get(unkToken);
      if (unk === undefined) {
        throw new TokenizerError('E_UNKNOWN_CHARACTER', {
          op: 'encode',
          expected: 'characters in the BPE vocabulary (or an unk_token)',
          got: JSON.stringify(ch),
          help: 'byte-level tokenizers cover every byte; this tokenizer.json has neither that nor an unk_token',
        });
      }
      if (!(fuseUnk && lastWasUnk)) ids.push(unk);
      lastWasUnk = true;
    }
    return ids;
  }

  toJSON(): JsonObject {
    const vocab: Record<string, number> = {};
    for (const [token, id] of [...this.options.vocab].sort((x, y) => x[1] - y[1])) vocab[token] = id;
    return {
      type: 'BPE',
      dropout: null,
      unk_token: this.options.unkToken,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: this.options.fuseUnk,
      byte_fallback: this.options.byteFallback,
      ignore_merges: this.options.ignoreMerges,
      vocab,
      merges: this.options.merges.map(([a, b]) => [a, b]),
    };
  }
}
