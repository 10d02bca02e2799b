import { malformed, type JsonObject } from '../json-types';
import type { PostProcessor } from '../stages';

/** HF `BertProcessing` / `RobertaProcessing`: `cls A sep` (pair: `cls A sep B sep`, or Roberta's `sep sep`). */
export class BertProcessing implements PostProcessor {
  private readonly cls: number;
  private readonly sep: number;

  constructor(readonly json: JsonObject) {
    const pick = (key: string): number => {
      const v = json[key];
      if (!Array.isArray(v) || typeof v[1] !== 'number') throw malformed(`post_processor.${key}`, '[token, id]', v);
      return v[1];
    };
    this.cls = pick('cls');
    this.sep = pick('sep');
  }

  process(ids: number[], pair: number[] | null, addSpecialTokens: boolean): number[] {
    if (!addSpecialTokens) return pair ? [...ids, ...pair] : ids;
    const out = [this.cls, ...ids, this.sep];
    if (pair) {
      if (this.json['type'] === 'RobertaProcessing') out.push(this.sep);
      out.push(...pair, this.sep);
    }
    return out;
  }

  toJSON(): JsonObject {
    return this.json;
  }
}
