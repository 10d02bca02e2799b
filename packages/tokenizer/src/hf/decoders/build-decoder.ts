import { field, type JsonObject, asArray, asBoolean, asString, buildByType } from '../json-types';
import type { Decoder } from '../stages';
import { ByteLevelDecoder } from './byte-level-decoder';
import { FuseDecoder } from './fuse-decoder';
import { SequenceDecoder } from './sequence-decoder';
import { WordPieceDecoder } from './word-piece-decoder';

const BUILDERS: Record<string, (json: JsonObject, path: string, depth: number) => Decoder> = {
  ByteLevel: (json) => new ByteLevelDecoder(json),
  WordPiece: (json, path) =>
    new WordPieceDecoder(asString(field(json, 'prefix') ?? '##', `${path}.prefix`), asBoolean(field(json, 'cleanup'), `${path}.cleanup`, true)),
  Fuse: () => new FuseDecoder(),
  Sequence: (json, path, depth) =>
    new SequenceDecoder(asArray(field(json, 'decoders'), `${path}.decoders`).map((d, i) => buildDecoder(d, `${path}.decoders[${i}]`, depth + 1))),
};

export function buildDecoder(json: unknown, path = 'decoder', depth = 0): Decoder {
  return buildByType(json, path, BUILDERS, depth);
}
