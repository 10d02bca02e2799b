/**
 * The safetensors format, read and written here without dependencies: an 8-byte little-endian
 * header length N, N bytes of JSON ({ name: { dtype, shape, data_offsets: [begin, end] }, …,
 * "__metadata__": { string: string } }, space-padded to a multiple of 8 so tensors stay aligned),
 * then the tensors' bytes, little-endian, offsets relative to the end of the header.
 * https://github.com/huggingface/safetensors#format
 */
import type { WattformerError } from '@wattformer/core';
import { describeJson, parseBoundedJson } from './bounded-json';
import { modelError } from './errors';

/** Dtypes we read. F32 is written; F64, F16 and BF16 are widened/converted to f32 on read. */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'U8' | 'BOOL';

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, U8: 1, BOOL: 1 };

/**
 * One tensor of a safetensors file: stored dtype, shape and the values (f32 for floats, i32 for integers).
 */
export interface SafetensorsEntry {
  /** The dtype stored in the file (data below is f32 for float dtypes, i32 for integers). */
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array | Uint8Array;
}

/** A parsed safetensors file: tensors by name and the `__metadata__` strings. */
export interface SafetensorsFile {
  readonly tensors: Map<string, SafetensorsEntry>;
  readonly metadata: Record<string, string>;
}

const op = 'safetensors';
/** Typed arrays use the host's byte order; safetensors is little-endian (as nearly every host). */
const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Serialises f32 tensors (name → { shape, data }) in the given order, with string metadata. */
export function encodeSafetensors(
  tensors: Iterable<readonly [string, { readonly shape: readonly number[]; readonly data: Float32Array }]>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const parts: Float32Array[] = [];
  let offset = 0;
  for (const [name, { shape, data }] of tensors) {
    const size = shape.reduce((n, d) => n * d, 1);
    if (data.length !== size) throw modelError(op, `'${name}' to hold ${size} values for shape [${shape.join(', ')}]`, `${data.length}`);
    if (name === '__metadata__' || Object.hasOwn(header, name)) throw modelError(op, 'each tensor name once (and not __metadata__)', `'${name}' again`);
    // defineProperty: a tensor named '__proto__' must become a key, not the object's prototype.
    Object.defineProperty(header, name, {
      value: { dtype: 'F32', shape: [...shape], data_offsets: [offset, offset + 4 * size] },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    parts.push(data);
    offset += 4 * size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(padded - json.length));
  const bytes = new Uint8Array(8 + json.length + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  let at = 8 + json.length;
  for (const data of parts) {
    if (hostIsLittleEndian) bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    else for (let i = 0; i < data.length; i++) view.setFloat32(at + 4 * i, data[i]!, true);
    at += 4 * data.length;
  }
  return bytes;
}

/** Where one tensor lies in a safetensors file, from its header (nothing decoded yet). */
export interface SafetensorsTensorInfo {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Number of elements. */
  readonly size: number;
  /** Byte range in the whole file (header included), begin inclusive, end exclusive. */
  readonly begin: number;
  readonly end: number;
}

/**
 * A safetensors header: each tensor's dtype, shape and byte range, and the `__metadata__` strings, read without the data.
 */
export interface SafetensorsHeader {
  readonly tensors: Map<string, SafetensorsTensorInfo>;
  readonly metadata: Record<string, string>;
}

/** The safetensors reference implementation's bound on the header (100 MB). */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;
/** Deepest nesting a header needs is 3 (file → tensor → shape); anything deeper is refused. */
const MAX_HEADER_DEPTH = 4;
/** More dimensions than any tensor here has; bounds the work per entry. */
const MAX_RANK = 16;

/**
 * Reads and checks a safetensors header without decoding any tensor: the header length against
 * the file size (before anything is allocated), the header's size, depth and keys (each once),
 * every dtype, shape and byte length, and that the tensors lie back to back from the start of the
 * data to the end of the file (as the reference implementation requires). Linear in the header.
 */
export function readSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  if (!(bytes instanceof Uint8Array)) throw modelError(op, 'the file as a Uint8Array', typeof bytes);
  if (bytes.length < 8) throw modelError(op, 'at least 8 bytes (the header length)', `${bytes.length} bytes`, 'is this a .safetensors file?');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(bytes.length - 8)) {
    throw modelError(op, `a header length within the file (${bytes.length - 8} bytes)`, `${declared}`, 'the file is truncated or not safetensors');
  }
  const headerLength = Number(declared);
  if (headerLength > MAX_SAFETENSORS_HEADER_BYTES) {
    throw modelError(op, `a header of at most ${MAX_SAFETENSORS_HEADER_BYTES} bytes`, `${headerLength}`, 'the file is not safetensors, or was crafted');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch (error) {
    throw modelError(op, 'a JSON header', `unparsable bytes (${(error as Error).message})`, 'the file is truncated or not safetensors');
  }
  let header: unknown;
  try {
    header = parseBoundedJson(text, op, 'a JSON header', { maxLength: MAX_SAFETENSORS_HEADER_BYTES, maxDepth: MAX_HEADER_DEPTH });
  } catch (error) {
    const e = error as WattformerError;
    throw e.expected.endsWith('to be JSON') ? modelError(op, 'a JSON header', `unparsable bytes (${e.got})`, 'the file is truncated or not safetensors') : e;
  }
  if (!isPlainObject(header)) {
    throw modelError(
      op,
      'a JSON object header ({ name: { dtype, shape, data_offsets } })',
      header === null ? 'null' : Array.isArray(header) ? 'an array' : typeof header,
      'the file is truncated or not safetensors',
    );
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const rawMetadata = header.__metadata__;
  if (rawMetadata !== undefined) {
    if (!isPlainObject(rawMetadata)) throw modelError(op, '__metadata__ an object of strings', describeJson(rawMetadata));
    for (const [key, value] of Object.entries(rawMetadata)) {
      if (typeof value !== 'string') throw modelError(op, `__metadata__ '${clip(key)}' a string`, describeJson(value));
      metadata[key] = value;
    }
  }
  const tensors = new Map<string, SafetensorsTensorInfo>();
  const ranges: [number, number, string][] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const entry = isPlainObject(value) ? value : {};
    const { dtype, shape, data_offsets: offsets } = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string' || !Object.hasOwn(BYTES, dtype)) {
      throw modelError(
        op,
        `'${clip(name)}' dtype one of ${Object.keys(BYTES).join(', ')}`,
        typeof dtype === 'string' ? clip(dtype) : describeJson(dtype),
        undefined,
        'E_DTYPE',
      );
    }
    const okShape = Array.isArray(shape) && shape.length <= MAX_RANK && shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0);
    const okOffsets =
      Array.isArray(offsets) &&
      offsets.length === 2 &&
      offsets.every((o) => Number.isSafeInteger(o)) &&
      0 <= offsets[0]! &&
      offsets[0]! <= offsets[1]! &&
      offsets[1]! <= dataLength;
    if (!okShape || !okOffsets) {
      throw modelError(
        op,
        `'${clip(name)}' with a shape and data_offsets inside the ${dataLength} data bytes`,
        describeJson(value),
        `a shape is a list of at most ${MAX_RANK} non-negative integers; data_offsets is [begin, end]`,
      );
    }
    const dims = shape as number[];
    const [begin, end] = offsets as [number, number];
    const size = dims.reduce((n, d) => n * d, 1);
    const width = BYTES[dtype as SafetensorsDtype];
    if (end - begin !== size * width) {
      throw modelError(op, `'${clip(name)}' ${dtype} [${dims.join(', ')}] to span ${size * width} bytes`, `${end - begin}`);
    }
    ranges.push([begin, end, name]);
    tensors.set(name, { dtype: dtype as SafetensorsDtype, shape: dims, size, begin: dataStart + begin, end: dataStart + end });
  }
  // Back to back from 0 to the end of the file: no overlap, no gap, no trailing bytes.
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let at = 0;
  for (const [begin, end, name] of ranges) {
    if (begin !== at) {
      throw modelError(
        op,
        `tensors stored back to back ('${clip(name)}' starting at byte ${at} of the data)`,
        begin < at ? `it overlaps the one before (starts at ${begin})` : `a gap (starts at ${begin})`,
        'the file is corrupted or crafted',
      );
    }
    at = end;
  }
  if (at !== dataLength) {
    throw modelError(op, `tensors filling the ${dataLength} data bytes`, `${at} bytes used`, 'the file has trailing bytes; it is corrupted or crafted');
  }
  return { tensors, metadata };
}

/** Decodes one tensor of a header read by `readSafetensorsHeader` from the same bytes (f32 for float dtypes, i32 for integers). */
export function readSafetensorsTensor(bytes: Uint8Array, info: SafetensorsTensorInfo): SafetensorsEntry {
  return { dtype: info.dtype, shape: info.shape, data: convert(bytes.subarray(info.begin, info.end), info.dtype, info.size) };
}

/** Parses a safetensors file, checking the header, every offset and every byte length (see readSafetensorsHeader). */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  const header = readSafetensorsHeader(bytes);
  const tensors = new Map<string, SafetensorsEntry>();
  for (const [name, info] of header.tensors) tensors.set(name, readSafetensorsTensor(bytes, info));
  return { tensors, metadata: header.metadata };
}

/**
 * Refuses NaN and ±Infinity in a weight, naming the tensor and the first bad position: a model
 * with them loads but predicts nothing (every logit NaN, argmax 0 forever).
 */
export function checkFiniteWeights(op: string, name: string, data: Float32Array | Int32Array | Uint8Array): void {
  if (!(data instanceof Float32Array)) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) {
      throw modelError(
        op,
        `finite values in '${clip(name)}'`,
        `${v} at index ${i}`,
        'the checkpoint is corrupted or diverged in training; pass { allowNonFinite: true } to load it anyway',
        'E_NON_FINITE',
      );
    }
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const clip = (text: string) => (text.length > 120 ? `${text.slice(0, 120)}…` : text);

function convert(raw: Uint8Array, dtype: SafetensorsDtype, size: number): Float32Array | Int32Array | Uint8Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (dtype) {
    case 'F32':
      // Copy (new Uint8Array, not slice: a Node Buffer's slice is a view) so it is aligned and owns its bytes.
      if (hostIsLittleEndian) return new Float32Array(new Uint8Array(raw).buffer);
      return Float32Array.from({ length: size }, (_, i) => view.getFloat32(4 * i, true));
    case 'F64':
      return Float32Array.from({ length: size }, (_, i) => view.getFloat64(8 * i, true));
    case 'F16':
      return Float32Array.from({ length: size }, (_, i) => halfToFloat(view.getUint16(2 * i, true)));
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const out = new Float32Array(size);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < size; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      return out;
    }
    case 'I32':
      return Int32Array.from({ length: size }, (_, i) => view.getInt32(4 * i, true));
    case 'I64':
      return Int32Array.from({ length: size }, (_, i) => {
        const value = view.getBigInt64(8 * i, true);
        if (value > 2147483647n || value < -2147483648n) throw modelError(op, 'I64 values within int32', String(value));
        return Number(value);
      });
    case 'U8':
    case 'BOOL':
      return new Uint8Array(raw);
  }
}

/** IEEE 754 binary16 → number (subnormals, infinities and NaN included). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** A tensor known by its header entry, decoded only when `read()` is called. */
export interface TensorSource {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Decodes the tensor's values (f32 for float dtypes, i32 for integers) from the file. */
  read(): Float32Array | Int32Array | Uint8Array;
}

/** Name → lazily decoded tensor, for loaders that check names and shapes before decoding anything. */
export function safetensorsSources(bytes: Uint8Array, header: SafetensorsHeader): Map<string, TensorSource> {
  return new Map(
    [...header.tensors].map(([name, info]) => [name, { dtype: info.dtype, shape: info.shape, read: () => readSafetensorsTensor(bytes, info).data }] as const),
  );
}
