/**
 * Shared pieces of the model package's fuzz suites (`*.fuzz.test.ts`, fast-check): the run count
 * and seed from the environment (`npm run fuzz -- --runs N --seed S` sets them), mutations of
 * valid files (truncate, flip, grow a length field, deepen nesting, repeat keys, splice bytes),
 * and the property every reader must keep: it returns, or throws the package's WattformerError
 * (never a raw TypeError/RangeError), using memory bounded by a small multiple of its input.
 */
import { WattformerError } from '@wattformer/core';
import fc from 'fast-check';
import { expect } from 'vitest';

export const fuzzRuns = (fallback: number): number => Number(process.env.WATTFORMER_FUZZ_RUNS ?? fallback);
export const fuzzSeed = (): number => Number(process.env.WATTFORMER_FUZZ_SEED ?? 20261206);
/** Generous per-test time for vitest: runs scale with WATTFORMER_FUZZ_RUNS. */
export const fuzzTimeout = (fallback: number, perRunMs: number): number => Math.max(60_000, fuzzRuns(fallback) * perRunMs);

/** One edit of a byte string. */
export type ByteMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'length'; value: bigint }
  | { kind: 'splice'; at: number; bytes: Uint8Array };

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant('length' as const),
    value: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 4096n }), fc.constantFrom(2n ** 63n, 2n ** 64n - 1n, 2n ** 32n, 100_000_001n)),
  }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 16 }) }),
);

/** Applies byte mutations; `length` rewrites the 8-byte little-endian length at the start (safetensors' header length). */
export function mutateBytes(input: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  let bytes = Uint8Array.from(input);
  for (const m of mutations) {
    if (m.kind === 'truncate') bytes = bytes.slice(0, bytes.length === 0 ? 0 : m.at % (bytes.length + 1));
    else if (m.kind === 'flip' && bytes.length > 0) bytes[m.at % bytes.length]! ^= 1 << m.bit;
    else if (m.kind === 'length' && bytes.length >= 8) new DataView(bytes.buffer).setBigUint64(0, m.value, true);
    else if (m.kind === 'splice') {
      const at = m.at % (bytes.length + 1);
      bytes = Uint8Array.from([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
    }
  }
  return bytes;
}

/** One edit of JSON text. */
export type TextMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'deepen'; at: number; depth: number }
  | { kind: 'repeatKey'; at: number }
  | { kind: 'bigNumber'; at: number; value: string };

export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), char: fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '0', '-', 'e', 'n', '\\', ' ', '\u0000', '\u00e9') }),
  fc.record({ kind: fc.constant('deepen' as const), at: fc.nat(), depth: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.constant(100_000)) }),
  fc.record({ kind: fc.constant('repeatKey' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('bigNumber' as const), at: fc.nat(), value: fc.constantFrom('1e9', '1e308', '-1', '0', '2.5', '4294967296', '9007199254740993', 'null', '"x"', '[]', '{}', 'true') }),
);

/**
 * Applies text mutations: `deepen` wraps the value after the `at`-th colon in `[`…`]`, `repeatKey`
 * copies the `at`-th `"key": value,` pair next to itself, `bigNumber` replaces the `at`-th number.
 */
export function mutateText(input: string, mutations: readonly TextMutation[]): string {
  let text = input;
  for (const m of mutations) {
    if (m.kind === 'truncate') text = text.slice(0, m.at % (text.length + 1));
    else if (m.kind === 'flip' && text.length > 0) {
      const at = m.at % text.length;
      text = text.slice(0, at) + m.char + text.slice(at + 1);
    } else if (m.kind === 'deepen') {
      const colons = [...text.matchAll(/:/g)].map((x) => x.index);
      if (colons.length === 0) continue;
      const at = colons[m.at % colons.length]! + 1;
      const end = valueEnd(text, at);
      text = `${text.slice(0, at)}${'['.repeat(m.depth)}${text.slice(at, end)}${']'.repeat(m.depth)}${text.slice(end)}`;
    } else if (m.kind === 'repeatKey') {
      const keys = [...text.matchAll(/"(?:[^"\\]|\\.)*"\s*:/g)].map((x) => x.index);
      if (keys.length === 0) continue;
      const at = keys[m.at % keys.length]!;
      const end = valueEnd(text, text.indexOf(':', at) + 1);
      text = `${text.slice(0, end)},${text.slice(at, end)}${text.slice(end)}`;
    } else if (m.kind === 'bigNumber') {
      const numbers = [...text.matchAll(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi)];
      if (numbers.length === 0) continue;
      const hit = numbers[m.at % numbers.length]!;
      text = text.slice(0, hit.index) + m.value + text.slice(hit.index + hit[0].length);
    }
  }
  return text;
}

/** End of the JSON value starting at `start` (whitespace allowed before it); a best effort on malformed text. */
function valueEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return i;
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === ',' && depth === 0) return i;
  }
  return text.length;
}

/** JSON-like values of every kind, deep ones included (for config fields). */
export const wildValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -4, max: 4096 }),
  fc.constantFrom(0, -1, 1.5, 1e9, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 2 ** 32, 2 ** 53, NaN, Infinity),
  fc.string({ maxLength: 8 }),
  fc.constantFrom(null, true, false, '__proto__', 'constructor', 'toString', 'gelu_new', 'gpt2', 'bert', 'LORA'),
  fc.array(fc.integer({ min: -2, max: 64 }), { maxLength: 4 }),
  fc.constant({}),
  fc.integer({ min: 1, max: 2000 }).map((depth) => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  }),
);

/**
 * Runs `call` and checks the property every reader keeps: it returns, or throws the package's
 * WattformerError (message `<packageName>: …`); and memory grows by at most a small multiple of
 * the input's size (plus slack for the collector's timing). Returns the value, or undefined.
 */
export async function loadsOrRefuses<T>(packageName: string, inputBytes: number, call: () => T | Promise<T>): Promise<T | undefined> {
  const before = process.memoryUsage();
  let result: T | undefined;
  try {
    result = await call();
  } catch (error) {
    if (!(error instanceof WattformerError) || error.packageName !== packageName) {
      throw new Error(`expected a ${packageName} WattformerError, got ${(error as Error)?.name}: ${(error as Error)?.message?.slice(0, 300)}`);
    }
    expect(error.message.startsWith(`${packageName}: `)).toBe(true);
  }
  const after = process.memoryUsage();
  const grown = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
  expect(grown).toBeLessThan(64 * 2 ** 20 + 32 * inputBytes);
  return result;
}
