import { TokenizerError } from '../../errors';
import { field, type JsonObject, asArray, asBoolean, asInteger, asObject, asString, buildByType, malformed } from '../json-types';
import type { Model } from '../stages';
import { BpeModel } from './bpe-model';
import { WordPieceModel } from './word-piece-model';

function vocabMap(value: unknown, path: string): Map<string, number> {
  const json = asObject(value, path);
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(json)) vocab.set(token, asInteger(id, `${path}[${JSON.stringify(token)}]`));
  return vocab;
}

function mergePair(value: unknown, path: string): [string, string] {
  if (typeof value === 'string') {
    const space = value.indexOf(' ');
    if (space <= 0 || value.indexOf(' ', space + 1) >= 0) throw malformed(path, '"left right" with one space', value);
    return [value.slice(0, space), value.slice(space + 1)];
  }
  const pair = asArray(value, path);
  if (pair.length !== 2) throw malformed(path, 'a [left, right] pair', value);
  return [asString(pair[0], `${path}[0]`), asString(pair[1], `${path}[1]`)];
}

const nullableString = (value: unknown, path: string): string | null => (value === null || value === undefined ? null : asString(value, path));

const BUILDERS: Record<string, (json: JsonObject, path: string) => Model> = {
  BPE: (json, path) => {
    for (const name of ['continuing_subword_prefix', 'end_of_word_suffix'] as const) {
      const value = field(json, name);
      if (value !== null && value !== undefined && value !== '') {
        throw new TokenizerError('E_UNSUPPORTED', {
          op: 'Tokenizer.fromJSON',
          expected: `${path}.${name} to be null`,
          got: JSON.stringify(value),
          help: 'subword prefixes/suffixes belong to non-byte-level BPE, which this loader does not support',
        });
      }
    }
    return new BpeModel({
      vocab: vocabMap(field(json, 'vocab'), `${path}.vocab`),
      merges: asArray(field(json, 'merges'), `${path}.merges`).map((m, i) => mergePair(m, `${path}.merges[${i}]`)),
      unkToken: nullableString(field(json, 'unk_token'), `${path}.unk_token`),
      fuseUnk: asBoolean(field(json, 'fuse_unk'), `${path}.fuse_unk`, false),
      byteFallback: asBoolean(field(json, 'byte_fallback'), `${path}.byte_fallback`, false),
      ignoreMerges: asBoolean(field(json, 'ignore_merges'), `${path}.ignore_merges`, false),
    });
  },
  WordPiece: (json, path) =>
    new WordPieceModel({
      vocab: vocabMap(field(json, 'vocab'), `${path}.vocab`),
      unkToken: asString(field(json, 'unk_token') ?? '[UNK]', `${path}.unk_token`),
      continuingSubwordPrefix: asString(field(json, 'continuing_subword_prefix') ?? '##', `${path}.continuing_subword_prefix`),
      maxInputCharsPerWord: asInteger(field(json, 'max_input_chars_per_word') ?? 100, `${path}.max_input_chars_per_word`),
    }),
};

/** Builds a model from its tokenizer.json object, by `type`. */
export function buildModel(json: unknown, path = 'model'): Model {
  return buildByType(json, path, BUILDERS);
}
