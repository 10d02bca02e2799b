import { field, malformed, type JsonObject } from '../json-types';
import type { PostProcessor } from '../stages';
import { appendAll } from '../../append-all';

/** HF `BertProcessing` / `RobertaProcessing`: `cls A sep` (pair: `cls A sep B sep`, or Roberta's `sep sep`). */
export class BertProcessing implements PostProcessor {
  private readonly cls: number;
  private readonly sep: number;

  constructor(readonly json: JsonObject) {
    const pick = (key: string): number => {
      const v = field(json, key);
      if (!Array.isArray(v) || v.length !== 2 || typeof v[1] !== 'number' || !Number.isInteger(v[1]) || v[1] < 0)
        throw malformed(`post_processor.${key}`, '[token, id]', v);
      return v[1];
    };
    this.cls = pick('cls');
    this.sep = pick('sep');
  }

  process(ids: number[], pair: number[] | null, addSpecialTokens: boolean): number[] {
    if (!addSpecialTokens) return pair ? ids.concat(pair) : ids;
    const out = [this.cls];
    appendAll(out, ids);
    out.push(this.sep);
    if (pair) {
      if (field(this.json, 'type') === 'RobertaProcessing') out.push(this.sep);
      appendAll(out, pair);
      out.push(this.sep);
    }
    return out;
  }

  toJSON(): JsonObject {
    return this.json;
  }
}
