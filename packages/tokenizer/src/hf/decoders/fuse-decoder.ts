import type { JsonObject } from '../json-types';
import type { Decoder } from '../stages';

/**
 * HF `Fuse` decoder: joins the tokens into one piece, with nothing between them. A character-level
 * tokenizer.json uses it so decoding inserts no spaces (with no decoder at all, Hugging Face joins
 * tokens with ' ').
 */
export class FuseDecoder implements Decoder {
  decodeChain(tokens: string[]): string[] {
    return [tokens.join('')];
  }
  toJSON(): JsonObject {
    return { type: 'Fuse' };
  }
}
