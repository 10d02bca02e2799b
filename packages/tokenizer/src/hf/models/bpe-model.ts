import { TokenizerError } from '../../errors';
import type { JsonObject } from '../json-types';
import type { Model } from '../stages';

export interface BpeModelOptions {
  readonly vocab: ReadonlyMap<string, number>;
  /** In priority order: merges[0] is applied first. */
  readonly merges: ReadonlyArray<readonly [string, string]>;
  readonly unkToken: string | null;
  readonly fuseUnk: boolean;
  readonly byteFallback: boolean;
  readonly ignoreMerges: boolean;
}

const ID_BITS = 2 ** 21;
const CACHE_LIMIT = 50_000;

/**
 * HF `BPE` model: a piece is split into chars (byte-level chars for GPT-style tokenizers), then
 * the merge with the lowest rank (leftmost on ties) is applied until none applies. Unlike
 * tiktoken, only listed *pairs* merge, which is what HF does and what our trainer produces.
 */
export class BpeModel implements Model {
  private readonly idToTokenTable: string[] = [];
  /** (left id, right id) -> rank * 2^21 + merged id. */
  private readonly mergeTable = new Map<number, number>();
  private readonly cache = new Map<string, number[]>();

  constructor(readonly options: BpeModelOptions) {
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
    const cached = this.cache.get(piece);
    if (cached) return cached;
    const ids = this.initialSymbols(piece);
    for (;;) {
      let best = Infinity;
      let at = -1;
      let mergedId = -1;
      for (let k = 0; k + 1 < ids.length; k++) {
        const entry = this.mergeTable.get(ids[k]! * ID_BITS + ids[k + 1]!);
        if (entry !== undefined && entry < best) {
          best = entry;
          at = k;
        }
      }
      if (at < 0) break;
      mergedId = best % ID_BITS;
      ids.splice(at, 2, mergedId);
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(piece, ids);
    return ids.slice();
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
        const fallback = [...bytes].map((b) => vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`));
        if (fallback.every((f) => f !== undefined)) {
          ids.push(...(fallback as number[]));
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
