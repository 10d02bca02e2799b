import type { JsonObject } from '../json-types';
import type { Normalizer } from '../stages';

export type UnicodeForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

/** HF `NFC` / `NFD` / `NFKC` / `NFKD`. */
export class UnicodeNormalizer implements Normalizer {
  constructor(readonly form: UnicodeForm) {}
  normalize(text: string): string {
    return text.normalize(this.form);
  }
  toJSON(): JsonObject {
    return { type: this.form };
  }
}
