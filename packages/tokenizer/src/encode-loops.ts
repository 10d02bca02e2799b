import { cl100kPieceEnd } from './pre-tokenizers/cl100k-pattern';
import { gpt2PieceEnd } from './pre-tokenizers/gpt2-pattern';
import { o200kPieceEnd } from './pre-tokenizers/o200k-pattern';
import type { Vocabulary } from './vocabulary';

/** Called for a piece that is not one token: appends its ids to out. */
export type MissHandler = (bytes: Uint8Array, start: number, end: number, out: number[]) => void;

export type EncodeLoop = (vocab: Vocabulary, bytes: Uint8Array, length: number, out: number[], miss: MissHandler) => void;

/*
 * The encoder's hot loop, once per built-in pattern. The bodies are identical on purpose: each
 * calls its own scanner, so V8 sees one call target per loop and inlines the scanner, which a
 * shared loop calling `this.pieceEnd` (several targets once several encodings are in use) cannot.
 */

export const encodeGpt2Loop: EncodeLoop = (vocab, bytes, length, out, miss) => {
  for (let pos = 0; pos < length; ) {
    const end = gpt2PieceEnd(bytes, pos, length);
    const rank = vocab.rankOf(bytes, pos, end);
    if (rank >= 0) out.push(rank);
    else miss(bytes, pos, end, out);
    pos = end;
  }
};

export const encodeCl100kLoop: EncodeLoop = (vocab, bytes, length, out, miss) => {
  for (let pos = 0; pos < length; ) {
    const end = cl100kPieceEnd(bytes, pos, length);
    const rank = vocab.rankOf(bytes, pos, end);
    if (rank >= 0) out.push(rank);
    else miss(bytes, pos, end, out);
    pos = end;
  }
};

export const encodeO200kLoop: EncodeLoop = (vocab, bytes, length, out, miss) => {
  for (let pos = 0; pos < length; ) {
    const end = o200kPieceEnd(bytes, pos, length);
    const rank = vocab.rankOf(bytes, pos, end);
    if (rank >= 0) out.push(rank);
    else miss(bytes, pos, end, out);
    pos = end;
  }
};

export const ENCODE_LOOPS: Readonly<Record<string, EncodeLoop>> = {
  gpt2: encodeGpt2Loop,
  cl100k: encodeCl100kLoop,
  o200k: encodeO200kLoop,
};
