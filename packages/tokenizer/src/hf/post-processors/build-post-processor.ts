import { field, type JsonObject, asArray, buildByType } from '../json-types';
import type { PostProcessor } from '../stages';
import { BertProcessing } from './bert-processing';
import { ByteLevelPostProcessor } from './byte-level-post-processor';
import { SequencePostProcessor } from './sequence-post-processor';
import { TemplateProcessing } from './template-processing';

const BUILDERS: Record<string, (json: JsonObject, path: string, depth: number) => PostProcessor> = {
  ByteLevel: (json) => new ByteLevelPostProcessor(json),
  TemplateProcessing: (json) => new TemplateProcessing(json),
  BertProcessing: (json) => new BertProcessing(json),
  RobertaProcessing: (json) => new BertProcessing(json),
  Sequence: (json, path, depth) =>
    new SequencePostProcessor(
      asArray(field(json, 'processors'), `${path}.processors`).map((p, i) => buildPostProcessor(p, `${path}.processors[${i}]`, depth + 1)),
    ),
};

export function buildPostProcessor(json: unknown, path = 'post_processor', depth = 0): PostProcessor {
  return buildByType(json, path, BUILDERS, depth);
}
