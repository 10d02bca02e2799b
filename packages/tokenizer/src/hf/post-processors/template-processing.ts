import { malformed, type JsonObject } from '../json-types';
import type { PostProcessor } from '../stages';

type Piece = { readonly SpecialToken: { readonly id: string } } | { readonly Sequence: { readonly id: 'A' | 'B' } };

/** HF `TemplateProcessing`, e.g. `[CLS] $A [SEP]` and `[CLS] $A [SEP] $B [SEP]`. */
export class TemplateProcessing implements PostProcessor {
  private readonly specialIds = new Map<string, number[]>();

  constructor(readonly json: JsonObject) {
    const specials = (json['special_tokens'] ?? {}) as Record<string, { ids?: unknown }>;
    for (const [name, value] of Object.entries(specials)) {
      if (!Array.isArray(value?.ids)) throw malformed(`post_processor.special_tokens.${name}.ids`, 'an array of ids', value?.ids);
      this.specialIds.set(name, value.ids as number[]);
    }
    for (const key of ['single', 'pair']) {
      if (!Array.isArray(json[key])) throw malformed(`post_processor.${key}`, 'an array of template pieces', json[key]);
    }
  }

  process(ids: number[], pair: number[] | null, addSpecialTokens: boolean): number[] {
    const template = (pair ? this.json['pair'] : this.json['single']) as Piece[];
    const out: number[] = [];
    for (const piece of template) {
      if ('Sequence' in piece) out.push(...(piece.Sequence.id === 'A' ? ids : (pair ?? [])));
      else if (addSpecialTokens) {
        const special = this.specialIds.get(piece.SpecialToken.id);
        if (!special) throw malformed(`post_processor.special_tokens.${piece.SpecialToken.id}`, 'defined', undefined);
        out.push(...special);
      }
    }
    return out;
  }

  toJSON(): JsonObject {
    return this.json;
  }
}
