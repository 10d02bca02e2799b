import { type JsonObject, asArray, asBoolean, asString, buildByType } from '../json-types';
import type { Decoder } from '../stages';
import { ByteLevelDecoder } from './byte-level-decoder';
import { FuseDecoder } from './fuse-decoder';
import { SequenceDecoder } from './sequence-decoder';
import { WordPieceDecoder } from './word-piece-decoder';

const BUILDERS: Record<string, (json: JsonObject, path: string) => Decoder> = {
  ByteLevel: (json) => new ByteLevelDecoder(json),
  WordPiece: (json, path) => new WordPieceDecoder(asString(json['prefix'] ?? '##', `${path}.prefix`), asBoolean(json['cleanup'], `${path}.cleanup`, true)),
  Fuse: () => new FuseDecoder(),
  Sequence: (json, path) => new SequenceDecoder(asArray(json['decoders'], `${path}.decoders`).map((d, i) => buildDecoder(d, `${path}.decoders[${i}]`))),
};

export function buildDecoder(json: unknown, path = 'decoder'): Decoder {
  return buildByType(json, path, BUILDERS);
}
