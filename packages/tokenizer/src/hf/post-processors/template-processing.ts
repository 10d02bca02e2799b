import { field, asArray, asInteger, asObject, asString, malformed, type JsonObject } from '../json-types';
import { appendAll } from '../../append-all';
import type { PostProcessor } from '../stages';

type Piece = { readonly kind: 'special'; readonly id: string } | { readonly kind: 'sequence'; readonly id: 'A' | 'B' };

function parsePiece(value: unknown, path: string): Piece {
  const json = asObject(value, path);
  if (Object.hasOwn(json, 'SpecialToken')) {
    return { kind: 'special', id: asString(field(asObject(field(json, 'SpecialToken'), `${path}.SpecialToken`), 'id'), `${path}.SpecialToken.id`) };
  }
  if (Object.hasOwn(json, 'Sequence')) {
    const id = asString(field(asObject(field(json, 'Sequence'), `${path}.Sequence`), 'id'), `${path}.Sequence.id`);
    if (id !== 'A' && id !== 'B') throw malformed(`${path}.Sequence.id`, '"A" or "B"', id);
    return { kind: 'sequence', id };
  }
  throw malformed(path, '{ "SpecialToken": ... } or { "Sequence": ... }', value);
}

/** HF `TemplateProcessing`, e.g. `[CLS] $A [SEP]` and `[CLS] $A [SEP] $B [SEP]`. */
export class TemplateProcessing implements PostProcessor {
  private readonly specialIds = new Map<string, number[]>();
  private readonly single: readonly Piece[];
  private readonly pair: readonly Piece[];

  constructor(readonly json: JsonObject) {
    const specials = field(json, 'special_tokens');
    if (specials !== undefined && specials !== null) {
      for (const [name, value] of Object.entries(asObject(specials, 'post_processor.special_tokens'))) {
        const path = `post_processor.special_tokens[${JSON.stringify(name)}]`;
        const ids = asArray(field(asObject(value, path), 'ids'), `${path}.ids`).map((id, i) => asInteger(id, `${path}.ids[${i}]`));
        this.specialIds.set(name, ids);
      }
    }
    this.single = asArray(field(json, 'single'), 'post_processor.single').map((p, i) => parsePiece(p, `post_processor.single[${i}]`));
    this.pair = asArray(field(json, 'pair'), 'post_processor.pair').map((p, i) => parsePiece(p, `post_processor.pair[${i}]`));
    for (const piece of [...this.single, ...this.pair]) {
      if (piece.kind === 'special' && !this.specialIds.has(piece.id)) {
        throw malformed(`post_processor.special_tokens[${JSON.stringify(piece.id)}]`, 'defined (the template uses it)', undefined);
      }
    }
  }

  process(ids: number[], pair: number[] | null, addSpecialTokens: boolean): number[] {
    const out: number[] = [];
    for (const piece of pair ? this.pair : this.single) {
      if (piece.kind === 'sequence') appendAll(out, piece.id === 'A' ? ids : (pair ?? []));
      else if (addSpecialTokens) appendAll(out, this.specialIds.get(piece.id)!);
    }
    return out;
  }

  toJSON(): JsonObject {
    return this.json;
  }
}
