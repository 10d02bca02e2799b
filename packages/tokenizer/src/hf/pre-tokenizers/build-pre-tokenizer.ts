import { unknownChoiceError } from '../../errors';
import { field, type JsonObject, asArray, asBoolean, asObject, asString, buildByType, malformed } from '../json-types';
import type { PreTokenizer } from '../stages';
import { BertPreTokenizer } from './bert-pre-tokenizer';
import { ByteLevelPreTokenizer } from './byte-level';
import { SequencePreTokenizer } from './sequence-pre-tokenizer';
import { SplitPreTokenizer, type SplitPattern } from './split';
import { SPLIT_BEHAVIORS, type SplitBehavior } from './split-by-regex';
import { WhitespacePreTokenizer } from './whitespace';

function splitPattern(value: unknown, path: string): SplitPattern {
  const json = asObject(value, path);
  const regex = field(json, 'Regex');
  if (typeof regex === 'string') return { Regex: regex };
  const literal = field(json, 'String');
  if (typeof literal === 'string') return { String: literal };
  throw malformed(path, '{ "Regex": string } or { "String": string }', value);
}

const BUILDERS: Record<string, (json: JsonObject, path: string, depth: number) => PreTokenizer> = {
  ByteLevel: (json, path) =>
    new ByteLevelPreTokenizer({
      addPrefixSpace: asBoolean(field(json, 'add_prefix_space'), `${path}.add_prefix_space`, true),
      trimOffsets: asBoolean(field(json, 'trim_offsets'), `${path}.trim_offsets`, true),
      useRegex: asBoolean(field(json, 'use_regex'), `${path}.use_regex`, true),
    }),
  Split: (json, path) => {
    const behavior = asString(field(json, 'behavior'), `${path}.behavior`);
    if (!SPLIT_BEHAVIORS.includes(behavior as SplitBehavior)) {
      throw unknownChoiceError('Tokenizer.fromJSON', `${path}.behavior`, behavior, SPLIT_BEHAVIORS);
    }
    return new SplitPreTokenizer(
      splitPattern(field(json, 'pattern'), `${path}.pattern`),
      behavior as SplitBehavior,
      asBoolean(field(json, 'invert'), `${path}.invert`, false),
    );
  },
  BertPreTokenizer: () => new BertPreTokenizer(),
  Whitespace: () => new WhitespacePreTokenizer(false),
  WhitespaceSplit: () => new WhitespacePreTokenizer(true),
  Sequence: (json, path, depth) =>
    new SequencePreTokenizer(
      asArray(field(json, 'pretokenizers'), `${path}.pretokenizers`).map((p, i) => buildPreTokenizer(p, `${path}.pretokenizers[${i}]`, depth + 1)),
    ),
};

/** Builds a pre-tokenizer from its tokenizer.json object, by `type`. */
export function buildPreTokenizer(json: unknown, path = 'pre_tokenizer', depth = 0): PreTokenizer {
  return buildByType(json, path, BUILDERS, depth);
}
