import type { JsonObject } from '../json-types';
import type { Normalizer } from '../stages';

export interface BertNormalizerOptions {
  readonly cleanText: boolean;
  readonly handleChineseChars: boolean;
  /** null: strip accents exactly when lowercasing (HF's default). */
  readonly stripAccents: boolean | null;
  readonly lowercase: boolean;
}

const CONTROL = /^[\p{Cc}\p{Cf}]$/u;
const WHITESPACE = /^\s$/u;

function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** HF `BertNormalizer`: control-char cleanup, spaces around CJK ideographs, accents, lowercase. */
export class BertNormalizer implements Normalizer {
  constructor(readonly options: BertNormalizerOptions) {}

  normalize(text: string): string {
    let out = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (this.options.cleanText) {
        if (cp === 0 || cp === 0xfffd) continue;
        if (ch === '\t' || ch === '\n' || ch === '\r') {
          out += ' ';
          continue;
        }
        if (CONTROL.test(ch)) continue;
        if (WHITESPACE.test(ch)) {
          out += ' ';
          continue;
        }
      }
      out += this.options.handleChineseChars && isChineseChar(cp) ? ` ${ch} ` : ch;
    }
    const strip = this.options.stripAccents ?? this.options.lowercase;
    if (strip) out = out.normalize('NFD').replace(/\p{Mn}/gu, '');
    if (this.options.lowercase) out = out.toLowerCase();
    return out;
  }

  toJSON(): JsonObject {
    return {
      type: 'BertNormalizer',
      clean_text: this.options.cleanText,
      handle_chinese_chars: this.options.handleChineseChars,
      strip_accents: this.options.stripAccents,
      lowercase: this.options.lowercase,
    };
  }
}
