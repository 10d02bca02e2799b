import type { JsonObject } from '../json-types';
import type { Decoder } from '../stages';

/** HF `Sequence` of decoders. */
export class SequenceDecoder implements Decoder {
  constructor(readonly decoders: readonly Decoder[]) {}
  decodeChain(tokens: string[]): string[] {
    return this.decoders.reduce((t, d) => d.decodeChain(t), tokens);
  }
  toJSON(): JsonObject {
    return { type: 'Sequence', decoders: this.decoders.map((d) => d.toJSON()) };
  }
}
