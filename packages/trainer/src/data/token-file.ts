/**
 * Token files (Node): a stream of token ids written once, in order, and read back by window, so a
 * corpus larger than memory trains without being held. The file is raw little-endian `uint16`
 * (vocabularies up to 65,536) or `uint32`, nanoGPT's `train.bin` layout (`np.memmap` reads it).
 * The reader validates every id it returns against the vocabulary, so a corrupt or foreign file
 * fails with a clear error instead of indexing past the embedding table.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { trainerError } from '../errors';
import type { TokenSource } from './token-batches';

/** How token ids are stored in a token file: unsigned, 2 bytes (`uint16`) or 4 bytes (`uint32`) each. */
export type TokenDtype = 'uint16' | 'uint32';

const BYTES: Record<TokenDtype, number> = { uint16: 2, uint32: 4 };

/** The smallest dtype that holds every id of a vocabulary. */
export function tokenDtypeFor(vocabSize: number): TokenDtype {
  return vocabSize <= 65_536 ? 'uint16' : 'uint32';
}

function checkDtype(dtype: unknown, op: string): TokenDtype {
  if (dtype !== 'uint16' && dtype !== 'uint32') throw trainerError('E_ARGUMENT', op, "dtype 'uint16' or 'uint32'", JSON.stringify(dtype));
  return dtype;
}

/** Appends token ids to a new file through a fixed buffer; `close()` returns the count written. */
export class TokenFileWriter {
  readonly #fd: number;
  readonly #buffer: Uint16Array | Uint32Array;
  readonly #limit: number;
  #used = 0;
  #count = 0;
  #closed = false;

  /** Creates (or truncates) `path`. `vocabSize` bounds every id appended. */
  constructor(
    readonly path: string,
    readonly dtype: TokenDtype,
    readonly vocabSize: number,
    bufferTokens = 1 << 20,
  ) {
    checkDtype(dtype, 'TokenFileWriter');
    const max = 2 ** (8 * BYTES[dtype]);
    if (!Number.isInteger(vocabSize) || vocabSize < 1 || vocabSize > max) {
      throw trainerError('E_ARGUMENT', 'TokenFileWriter', `a vocabulary size in 1..${max} for ${dtype}`, String(vocabSize));
    }
    this.#buffer = dtype === 'uint16' ? new Uint16Array(bufferTokens) : new Uint32Array(bufferTokens);
    this.#limit = bufferTokens;
    this.#fd = openSync(path, 'w');
  }

  get count(): number {
    return this.#count;
  }

  /** Appends token ids to the file (each checked to fit the dtype). */
  append(ids: ArrayLike<number>): void {
    if (this.#closed) throw trainerError('E_ARGUMENT', 'TokenFileWriter.append', 'an open writer', 'a closed one');
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (!(Number.isInteger(id) && id >= 0 && id < this.vocabSize)) {
        throw trainerError('E_ARGUMENT', 'TokenFileWriter.append', `token ids in 0..${this.vocabSize - 1}`, `${String(id)} at index ${i}`);
      }
      this.#buffer[this.#used++] = id;
      if (this.#used === this.#limit) this.#flush();
    }
    this.#count += ids.length;
  }

  #flush(): void {
    const bytes = new Uint8Array(this.#buffer.buffer, 0, this.#used * this.#buffer.BYTES_PER_ELEMENT);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.#fd, bytes, written, bytes.length - written);
    this.#used = 0;
  }

  /** Flushes and closes the file; returns the number of tokens written. */
  close(): number {
    if (!this.#closed) {
      try {
        this.#flush();
      } finally {
        this.#closed = true;
        closeSync(this.#fd);
      }
    }
    return this.#count;
  }
}

/** Options of `openTokenFile`: the ids' dtype and the vocabulary size every id read is checked against. */
export interface OpenTokenFileOptions {
  readonly dtype: TokenDtype;
  /** Every id read is checked to be below this. */
  readonly vocabSize: number;
}

/** A token file opened for reading by window; `close()` releases the file descriptor. */
export interface TokenFile extends TokenSource {
  readonly path: string;
  readonly dtype: TokenDtype;
  /** Releases the file; the source is unusable afterwards. */
  close(): void;
}

/** Opens a token file written by `TokenFileWriter` (or nanoGPT's `prepare.py`). */
export function openTokenFile(path: string, options: OpenTokenFileOptions): TokenFile {
  const op = 'openTokenFile';
  const dtype = checkDtype(options.dtype, op);
  const { vocabSize } = options;
  if (!Number.isInteger(vocabSize) || vocabSize < 1) throw trainerError('E_ARGUMENT', op, 'vocabSize a positive integer', String(vocabSize));
  const bytesPer = BYTES[dtype];
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw trainerError(
      'E_ARGUMENT',
      op,
      'a readable token file',
      `${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      'tokenize the data again (a new run, or delete the token file)',
    );
  }
  const size = fstatSync(fd).size;
  if (size % bytesPer !== 0) {
    closeSync(fd);
    throw trainerError(
      'E_ARGUMENT',
      op,
      `a file of whole ${dtype} values (a multiple of ${bytesPer} bytes)`,
      `${size} bytes in ${path}`,
      'the file is truncated or not a token file: tokenize the data again',
    );
  }
  const length = size / bytesPer;
  let scratch = new Uint8Array(0);
  let closed = false;
  return {
    path,
    dtype,
    length,
    read(start: number, out: Int32Array): void {
      if (closed) throw trainerError('E_ARGUMENT', 'TokenFile.read', 'an open token file', 'a closed one');
      if (!(Number.isInteger(start) && start >= 0 && start + out.length <= length)) {
        throw trainerError('E_ARGUMENT', 'TokenFile.read', `a window inside 0..${length}`, `[${start}, ${start + out.length})`);
      }
      const want = out.length * bytesPer;
      if (scratch.length < want) scratch = new Uint8Array(want);
      let got = 0;
      while (got < want) {
        const n = readSync(fd, scratch, got, want - got, start * bytesPer + got);
        if (n === 0) throw trainerError('E_ARGUMENT', 'TokenFile.read', `${want} bytes at offset ${start * bytesPer}`, `${got} (the file shrank)`);
        got += n;
      }
      const view = new DataView(scratch.buffer, 0, want);
      for (let i = 0; i < out.length; i++) {
        const id = bytesPer === 2 ? view.getUint16(2 * i, true) : view.getUint32(4 * i, true);
        if (id >= vocabSize) {
          throw trainerError(
            'E_ARGUMENT',
            'TokenFile.read',
            `token ids below the vocabulary size ${vocabSize}`,
            `${id} at token ${start + i} of ${path}`,
            'the token file belongs to another tokenizer or is corrupt: tokenize the data again',
          );
        }
        out[i] = id;
      }
    },
    close(): void {
      if (!closed) {
        closed = true;
        closeSync(fd);
      }
    },
  };
}
