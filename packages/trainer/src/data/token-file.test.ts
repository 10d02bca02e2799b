import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sliceTokenSource, splitTokens, TokenBatches, tokenSource } from './token-batches';
import { openTokenFile, TokenFileWriter, tokenDtypeFor } from './token-file';

const dir = mkdtempSync(join(tmpdir(), 'wattformer-token-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ids = Int32Array.from({ length: 5_000 }, (_, i) => (i * 7919) % 3001);

function write(name: string, dtype: 'uint16' | 'uint32', vocabSize: number, values: ArrayLike<number>, bufferTokens = 97): string {
  const path = join(dir, name);
  const writer = new TokenFileWriter(path, dtype, vocabSize, bufferTokens);
  // Appends of many sizes, across buffer boundaries.
  for (let at = 0, size = 1; at < values.length; at += size, size = ((size * 3) % 211) + 1) {
    writer.append(Array.from({ length: Math.min(size, values.length - at) }, (_, k) => values[at + k]!));
  }
  expect(writer.close()).toBe(values.length);
  return path;
}

describe('token files', () => {
  it('round-trip every id, uint16 and uint32, little-endian raw (nanoGPT train.bin layout)', () => {
    for (const dtype of ['uint16', 'uint32'] as const) {
      const path = write(`ids.${dtype}.bin`, dtype, 3001, ids);
      expect(statSync(path).size).toBe(ids.length * (dtype === 'uint16' ? 2 : 4));
      const raw = readFileSync(path);
      expect(dtype === 'uint16' ? raw.readUInt16LE(2 * 4999) : raw.readUInt32LE(4 * 4999)).toBe(ids[4999]);
      const file = openTokenFile(path, { dtype, vocabSize: 3001 });
      const out = new Int32Array(ids.length);
      file.read(0, out);
      expect(out).toEqual(ids);
      const window = new Int32Array(33);
      file.read(1234, window);
      expect(window).toEqual(ids.subarray(1234, 1267));
      file.close();
    }
    expect(tokenDtypeFor(65_536)).toBe('uint16');
    expect(tokenDtypeFor(65_537)).toBe('uint32');
  });

  it('give the same batches through TokenBatches as the array in memory, and resume the same', () => {
    const path = write('batches.bin', 'uint16', 3001, ids);
    const file = openTokenFile(path, { dtype: 'uint16', vocabSize: 3001 });
    const inMemory = splitTokens(ids, 0.1);
    const fromFile = splitTokens(file, 0.1);
    expect(fromFile.train.length).toBe(inMemory.train.length);
    expect(fromFile.validation.length).toBe(inMemory.validation.length);
    for (const order of ['random', 'sequential'] as const) {
      const a = new TokenBatches(inMemory.train, { batchSize: 4, contextLength: 16, seed: 3, order });
      const b = new TokenBatches(fromFile.train, { batchSize: 4, contextLength: 16, seed: 3, order });
      for (let k = 0; k < 20; k++) expect(b.next()).toEqual(a.next());
      const saved = b.state();
      const next = a.next();
      const resumed = new TokenBatches(fromFile.train, { batchSize: 4, contextLength: 16, seed: 99, order });
      resumed.restore(saved);
      expect(resumed.next()).toEqual(next);
    }
    const v = new TokenBatches(fromFile.validation, { batchSize: 2, contextLength: 8, seed: 5 }).next();
    expect(v).toEqual(new TokenBatches(inMemory.validation, { batchSize: 2, contextLength: 8, seed: 5 }).next());
    file.close();
  });

  it('sources over arrays and slices read the right windows, and refuse ranges outside', () => {
    const source = sliceTokenSource(tokenSource(Uint16Array.from(ids)), 100, 200);
    const out = new Int32Array(10);
    source.read(90, out);
    expect(out).toEqual(ids.subarray(190, 200));
    expect(() => sliceTokenSource(source, 50, 101)).toThrow(/^trainer: sliceTokenSource: expected 0 ≤ start ≤ end ≤ 100, got \[50, 101\)/);
  });

  it('refuse ids outside the vocabulary, truncated files, a missing file and a closed file', () => {
    const writer = new TokenFileWriter(join(dir, 'bad.bin'), 'uint16', 10);
    expect(() => writer.append([1, 2, 10])).toThrow(/^trainer: TokenFileWriter.append: expected token ids in 0..9, got 10 at index 2/);
    writer.close();
    expect(() => new TokenFileWriter(join(dir, 'x.bin'), 'uint16', 70_000)).toThrow(/expected a vocabulary size in 1..65536 for uint16, got 70000/);

    const path = write('foreign.bin', 'uint16', 3001, ids);
    const foreign = openTokenFile(path, { dtype: 'uint16', vocabSize: 100 });
    expect(() => foreign.read(0, new Int32Array(50))).toThrow(
      /^trainer: TokenFile.read: expected token ids below the vocabulary size 100, got \d+ at token \d+ of .*\nhelp: the token file belongs to another tokenizer/,
    );
    expect(() => foreign.read(4990, new Int32Array(20))).toThrow(/expected a window inside 0..5000, got \[4990, 5010\)/);
    foreign.close();
    expect(() => foreign.read(0, new Int32Array(1))).toThrow(/expected an open token file, got a closed one/);

    const odd = join(dir, 'odd.bin');
    writeFileSync(odd, new Uint8Array(7));
    expect(() => openTokenFile(odd, { dtype: 'uint16', vocabSize: 10 })).toThrow(
      /expected a file of whole uint16 values \(a multiple of 2 bytes\), got 7 bytes/,
    );
    expect(() => openTokenFile(join(dir, 'missing.bin'), { dtype: 'uint16', vocabSize: 10 })).toThrow(
      /expected a readable token file, got .*missing.bin \(ENOENT\)/,
    );
    expect(() => openTokenFile(odd, { dtype: 'int8' as 'uint16', vocabSize: 10 })).toThrow(/expected dtype 'uint16' or 'uint32', got "int8"/);
  });
});
