import type { JsonObject } from '../json-types';
import type { PreTokenizer } from '../stages';

/** HF `Sequence` of pre-tokenizers, applied in order. */
export class SequencePreTokenizer implements PreTokenizer {
  constructor(readonly preTokenizers: readonly PreTokenizer[]) {}
  preTokenize(pieces: string[]): string[] {
    return this.preTokenizers.reduce((p, t) => t.preTokenize(p), pieces);
  }
  toJSON(): JsonObject {
    return { type: 'Sequence', pretokenizers: this.preTokenizers.map((p) => p.toJSON()) };
  }
}
