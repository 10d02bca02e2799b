/**
 * Fuzzing the safetensors reader (#12): random bytes, mutated valid files (truncate, flip, grow
 * the header length, splice) and mutated headers (deepen nesting, repeat keys, wild numbers).
 * Each case decodes consistently or throws the model package's WattformerError, with memory
 * bounded by a small multiple of the file. WATTFORMER_FUZZ_RUNS / WATTFORMER_FUZZ_SEED scale it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteMutation, fuzzRuns, fuzzSeed, fuzzTimeout, loadsOrRefuses, mutateBytes, mutateText, textMutation } from './__fixtures__/fuzz';
import { decodeSafetensors, encodeSafetensors, readSafetensorsHeader } from './safetensors';

const runs = Number(process.env.WATTFORMER_FUZZ_RUNS ?? 300);
const seed = Number(process.env.WATTFORMER_FUZZ_SEED ?? 20261206);

const BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, U8: 1, BOOL: 1 };

/** A valid file of a few small tensors of mixed dtypes (written here, since encodeSafetensors writes F32 only). */
const validFile = fc
  .array(
    fc.record({
      name: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('transformer.wte.weight', '__proto__', 'constructor', 'a.b')),
      dtype: fc.constantFrom('F32', 'F16', 'BF16', 'F64', 'I32', 'U8', 'BOOL'),
      shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
    }),
    { maxLength: 5 },
  )
  .chain((tensors) => {
    const unique = [...new Map(tensors.filter((t) => t.name !== '__metadata__').map((t) => [t.name, t])).values()];
    const sizes = unique.map((t) => t.shape.reduce((n, d) => n * d, 1) * BYTES[t.dtype]!);
    return fc.tuple(
      fc.constant(unique),
      fc.uint8Array({ minLength: sizes.reduce((a, b) => a + b, 0), maxLength: sizes.reduce((a, b) => a + b, 0) }),
      fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
    );
  })
  .map(([tensors, data, metadata]) => {
    const header: Record<string, unknown> = { __metadata__: metadata };
    let offset = 0;
    for (const t of tensors) {
      const bytes = t.shape.reduce((n, d) => n * d, 1) * BYTES[t.dtype]!;
      // defineProperty: assigning header['__proto__'] would set the prototype, not a key.
      Object.defineProperty(header, t.name, {
        value: { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] },
        enumerable: true,
        writable: true,
        configurable: true,
      });
      offset += bytes;
    }
    return { headerText: JSON.stringify(header), data };
  });

const assemble = (headerText: string, data: Uint8Array): Uint8Array => {
  const json = new TextEncoder().encode(headerText);
  const bytes = new Uint8Array(8 + json.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + json.length);
  return bytes;
};

/** What a successful decode must satisfy: every tensor's data holds exactly its shape's elements, inside the file. */
function checkDecoded(bytes: Uint8Array): void {
  const header = readSafetensorsHeader(bytes);
  const decoded = decodeSafetensors(bytes);
  for (const [name, entry] of decoded.tensors) {
    const info = header.tensors.get(name)!;
    expect(entry.data.length).toBe(entry.shape.reduce((n, d) => n * d, 1));
    expect(info.end).toBeLessThanOrEqual(bytes.length);
  }
}

describe('safetensors fuzz (#12)', () => {
  it(
    'random bytes: decodes or throws the model error',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
          if ((await loadsOrRefuses('model', bytes.length, () => decodeSafetensors(bytes))) !== undefined) checkDecoded(bytes);
        }),
        { numRuns: runs, seed },
      );
    },
    fuzzTimeout(300, 20),
  );

  it(
    'valid files round-trip; mutated bytes (truncate, flip, header length, splice) decode or throw the model error',
    async () => {
      await fc.assert(
        fc.asyncProperty(validFile, fc.array(byteMutation, { minLength: 0, maxLength: 3 }), async ({ headerText, data }, mutations) => {
          const valid = assemble(headerText, data);
          if (mutations.length === 0) expect(decodeSafetensors(valid).tensors.size).toBe(Object.keys(JSON.parse(headerText) as object).length - 1);
          const bytes = mutateBytes(valid, mutations);
          if ((await loadsOrRefuses('model', bytes.length, () => decodeSafetensors(bytes))) !== undefined) checkDecoded(bytes);
        }),
        { numRuns: runs, seed },
      );
    },
    fuzzTimeout(300, 30),
  );

  it(
    'mutated headers (deepen nesting, repeat keys, wild numbers, flipped characters) decode or throw the model error',
    async () => {
      await fc.assert(
        fc.asyncProperty(validFile, fc.array(textMutation, { minLength: 1, maxLength: 3 }), async ({ headerText, data }, mutations) => {
          const bytes = assemble(mutateText(headerText, mutations), data);
          if ((await loadsOrRefuses('model', bytes.length, () => decodeSafetensors(bytes))) !== undefined) checkDecoded(bytes);
        }),
        { numRuns: runs, seed },
      );
    },
    fuzzTimeout(300, 50),
  );

  it('files written by encodeSafetensors always read back', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom('__proto__', 'constructor')), fc.float32Array({ maxLength: 8 })),
          { maxLength: 4 },
        ),
        (tensors) => {
          const unique = [...new Map(tensors.filter(([name]) => name !== '__metadata__')).entries()];
          const bytes = encodeSafetensors(unique.map(([name, data]) => [name, { shape: [data.length], data }]));
          const decoded = decodeSafetensors(bytes);
          for (const [name, data] of unique) expect(decoded.tensors.get(name)!.data).toEqual(data);
        },
      ),
      { numRuns: fuzzRuns(300), seed: fuzzSeed() },
    );
  });
});
