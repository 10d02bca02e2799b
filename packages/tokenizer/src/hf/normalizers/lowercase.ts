import type { JsonObject } from '../json-types';
import type { Normalizer } from '../stages';

/** HF `Lowercase`. */
export class LowercaseNormalizer implements Normalizer {
  normalize(text: string): string {
    return text.toLowerCase();
  }
  toJSON(): JsonObject {
    return { type: 'Lowercase' };
  }
}
