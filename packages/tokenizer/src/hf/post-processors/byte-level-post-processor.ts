import type { JsonObject } from '../json-types';
import type { PostProcessor } from '../stages';

/** HF `ByteLevel` post-processor: only trims offsets, so ids pass through unchanged. */
export class ByteLevelPostProcessor implements PostProcessor {
  constructor(readonly json: JsonObject) {}
  process(ids: number[], pair: number[] | null): number[] {
    return pair ? ids.concat(pair) : ids;
  }
  toJSON(): JsonObject {
    return { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true, ...this.json };
  }
}
