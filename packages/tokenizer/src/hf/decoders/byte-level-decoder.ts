import { byteLevelToBytes } from '../byte-level-alphabet';
import type { JsonObject } from '../json-types';
import type { Decoder } from '../stages';

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** HF `ByteLevel` decoder: stand-in chars back to bytes, then lossy UTF-8. */
export class ByteLevelDecoder implements Decoder {
  constructor(readonly json: JsonObject) {}
  decodeChain(tokens: string[]): string[] {
    return [utf8.decode(byteLevelToBytes(tokens.join('')))];
  }
  toJSON(): JsonObject {
    return { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true, ...this.json };
  }
}
