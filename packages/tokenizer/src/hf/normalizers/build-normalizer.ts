import { field, type JsonObject, asArray, asBoolean, buildByType } from '../json-types';
import type { Normalizer } from '../stages';
import { BertNormalizer } from './bert-normalizer';
import { LowercaseNormalizer } from './lowercase';
import { SequenceNormalizer } from './sequence-normalizer';
import { UnicodeNormalizer } from './unicode-normalizer';

const BUILDERS: Record<string, (json: JsonObject, path: string, depth: number) => Normalizer> = {
  NFC: () => new UnicodeNormalizer('NFC'),
  NFD: () => new UnicodeNormalizer('NFD'),
  NFKC: () => new UnicodeNormalizer('NFKC'),
  NFKD: () => new UnicodeNormalizer('NFKD'),
  Lowercase: () => new LowercaseNormalizer(),
  BertNormalizer: (json, path) =>
    new BertNormalizer({
      cleanText: asBoolean(field(json, 'clean_text'), `${path}.clean_text`, true),
      handleChineseChars: asBoolean(field(json, 'handle_chinese_chars'), `${path}.handle_chinese_chars`, true),
      stripAccents:
        field(json, 'strip_accents') === null || field(json, 'strip_accents') === undefined
          ? null
          : asBoolean(field(json, 'strip_accents'), `${path}.strip_accents`, false),
      lowercase: asBoolean(field(json, 'lowercase'), `${path}.lowercase`, true),
    }),
  Sequence: (json, path, depth) =>
    new SequenceNormalizer(
      asArray(field(json, 'normalizers'), `${path}.normalizers`).map((n, i) => buildNormalizer(n, `${path}.normalizers[${i}]`, depth + 1)),
    ),
};

/** Builds a normalizer from its tokenizer.json object, by `type`. */
export function buildNormalizer(json: unknown, path = 'normalizer', depth = 0): Normalizer {
  return buildByType(json, path, BUILDERS, depth);
}
