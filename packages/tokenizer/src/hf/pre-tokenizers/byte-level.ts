import { bytesToByteLevel } from '../byte-level-alphabet';
import type { JsonObject } from '../json-types';
import type { PreTokenizer } from '../stages';
import { gpt2PieceEnd } from '../../pre-tokenizers/gpt2-pattern';
import { scannerMatcher } from '../../pre-tokenizers/split-pattern';
import { utf8Bytes } from '../../utf8';
import { splitByMatches } from './split-by-regex';

export interface ByteLevelOptions {
  readonly addPrefixSpace: boolean;
  readonly trimOffsets: boolean;
  readonly useRegex: boolean;
}

const GPT2 = scannerMatcher(gpt2PieceEnd);

/**
 * HF `ByteLevel` pre-tokenizer: optional leading space, optional GPT-2 split, then every UTF-8
 * byte becomes its printable stand-in char (Ġ for space) so the model sees a string per piece.
 */
export class ByteLevelPreTokenizer implements PreTokenizer {
  constructor(readonly options: ByteLevelOptions) {}

  preTokenize(pieces: string[]): string[] {
    const out: string[] = [];
    for (const piece of pieces) {
      let text = piece;
      if (this.options.addPrefixSpace && !text.startsWith(' ')) text = ` ${text}`;
      const parts = this.options.useRegex ? splitByMatches(text, GPT2.spans(text), 'Isolated') : [text];
      for (const part of parts) if (part.length > 0) out.push(bytesToByteLevel(utf8Bytes(part)));
    }
    return out;
  }

  toJSON(): JsonObject {
    return { type: 'ByteLevel', add_prefix_space: this.options.addPrefixSpace, trim_offsets: this.options.trimOffsets, use_regex: this.options.useRegex };
  }
}
