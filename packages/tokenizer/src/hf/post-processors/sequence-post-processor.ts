import type { JsonObject } from '../json-types';
import type { PostProcessor } from '../stages';

/** HF `Sequence` of post-processors. */
export class SequencePostProcessor implements PostProcessor {
  constructor(readonly processors: readonly PostProcessor[]) {}
  process(ids: number[], pair: number[] | null, addSpecialTokens: boolean): number[] {
    let out = ids;
    let second = pair;
    for (const p of this.processors) {
      out = p.process(out, second, addSpecialTokens);
      second = null;
    }
    return out;
  }
  toJSON(): JsonObject {
    return { type: 'Sequence', processors: this.processors.map((p) => p.toJSON()) };
  }
}
