import { cl100kPieceEnd } from './pre-tokenizers/cl100k-pattern';
import { gpt2PieceEnd } from './pre-tokenizers/gpt2-pattern';
import { o200kPieceEnd } from './pre-tokenizers/o200k-pattern';
import type { Vocabulary } from './vocabulary';

/** Called for a piece that is not one token: appends its ids to out. */
export type MissHandler = (bytes: Uint8Array, start: number, end: number, out: number[]) => void;

/**
 * A built-in pattern's encode loop. `miss` gets the pieces that start with an ASCII byte and are
 * not one token; `multiByte` gets every piece that starts with a non-ASCII byte (in CJK text a
 * whole phrase, almost never one token) and does its own whole-piece lookup, through the rank
 * table's filter, so the hot ASCII path stays as small as it was.
 */
export type EncodeLoop = (vocab: Vocabulary, bytes: Uint8Array, length: number, out: number[], miss: MissHandler, multiByte: MissHandler) => void;

/*
 * The encoder's hot loop, once per built-in pattern. The bodies are identical on purpose: each
 * calls its own scanner, so V8 sees one call target per loop and inlines the scanner, which a
 * shared loop calling `this.pieceEnd` (several targets once several encodings are in use) cannot.
 */

export const encodeGpt2Loop: EncodeLoop = (vocab, bytes, length, out, miss, multiByte) => {
  for (let pos = 0; pos < length; ) {
    const end = gpt2PieceEnd(bytes, pos, length);
    if (bytes[pos]! >= 0x80) multiByte(bytes, pos, end, out);
    else {
      const rank = vocab.rankOf(bytes, pos, end);
      if (rank >= 0) out.push(rank);
      else miss(bytes, pos, end, out);
    }
    pos = end;
  }
};

export const encodeCl100kLoop: EncodeLoop = (vocab, bytes, length, out, miss, multiByte) => {
  for (let pos = 0; pos < length; ) {
    const end = cl100kPieceEnd(bytes, pos, length);
    if (bytes[pos]! >= 0x80) multiByte(bytes, pos, end, out);
    else {
      const rank = vocab.rankOf(bytes, pos, end);
      if (rank >= 0) out.push(rank);
      else miss(bytes, pos, end, out);
    }
    pos = end;
  }
};

export const encodeO200kLoop: EncodeLoop = (vocab, bytes, length, out, miss, multiByte) => {
  for (let pos = 0; pos < length; ) {
    const end = o200kPieceEnd(bytes, pos, length);
    if (bytes[pos]! >= 0x80) multiByte(bytes, pos, end, out);
    else {
      const rank = vocab.rankOf(bytes, pos, end);
      if (rank >= 0) out.push(rank);
      else miss(bytes, pos, end, out);
    }
    pos = end;
  }
};

export const ENCODE_LOOPS: Readonly<Record<string, EncodeLoop>> = {
  gpt2: encodeGpt2Loop,
  cl100k: encodeCl100kLoop,
  o200k: encodeO200kLoop,
};
