import type { JsonObject } from '../json-types';
import type { Normalizer } from '../stages';

/** HF `Sequence` of normalizers, applied in order. */
export class SequenceNormalizer implements Normalizer {
  constructor(readonly normalizers: readonly Normalizer[]) {}
  normalize(text: string): string {
    return this.normalizers.reduce((t, n) => n.normalize(t), text);
  }
  toJSON(): JsonObject {
    return { type: 'Sequence', normalizers: this.normalizers.map((n) => n.toJSON()) };
  }
}
