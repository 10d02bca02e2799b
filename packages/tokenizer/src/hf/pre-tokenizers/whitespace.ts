import type { JsonObject } from '../json-types';
import type { PreTokenizer } from '../stages';

/** HF `Whitespace` (`\w+|[^\w\s]+`) and `WhitespaceSplit` (split on whitespace only). */
export class WhitespacePreTokenizer implements PreTokenizer {
  constructor(readonly splitOnly: boolean) {}
  preTokenize(pieces: string[]): string[] {
    const re = this.splitOnly ? /\S+/gu : /[\p{L}\p{N}\p{Mn}\p{Pc}]+|[^\p{L}\p{N}\p{Mn}\p{Pc}\s]+/gu;
    return pieces.flatMap((p) => p.match(re) ?? []);
  }
  toJSON(): JsonObject {
    return { type: this.splitOnly ? 'WhitespaceSplit' : 'Whitespace' };
  }
}
