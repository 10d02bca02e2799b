/**
 * The safetensors format, read and written here without dependencies: an 8-byte little-endian
 * header length N, N bytes of JSON ({ name: { dtype, shape, data_offsets: [begin, end] }, …,
 * "__metadata__": { string: string } }, space-padded to a multiple of 8 so tensors stay aligned),
 * then the tensors' bytes, little-endian, offsets relative to the end of the header.
 * https://github.com/huggingface/safetensors#format
 */
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
    header[name] = { dtype: 'F32', shape: [...shape], data_offsets: [offset, offset + 4 * size] };
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

/** Parses a safetensors file, checking the header, every offset and every byte length. */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) throw modelError(op, 'at least 8 bytes (the header length)', `${bytes.length} bytes`, 'is this a .safetensors file?');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8) {
    throw modelError(op, `a header length within the file (${bytes.length - 8} bytes)`, `${headerLength}`, 'the file is truncated or not safetensors');
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  } catch (error) {
    throw modelError(op, 'a JSON header', `unparsable bytes (${(error as Error).message})`, 'the file is truncated or not safetensors');
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const tensors = new Map<string, SafetensorsEntry>();
  const ranges: [number, number, string][] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = (value ?? {}) as { dtype?: string; shape?: number[]; data_offsets?: number[] };
    if (dtype === undefined || !(dtype in BYTES)) {
      throw modelError(op, `'${name}' dtype one of ${Object.keys(BYTES).join(', ')}`, `${String(dtype)}`, undefined, 'E_DTYPE');
    }
    const okShape = Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0);
    const okOffsets = Array.isArray(offsets) && offsets.length === 2 && offsets.every((o) => Number.isInteger(o)) && 0 <= offsets[0]! && offsets[0]! <= offsets[1]! && offsets[1]! <= dataLength;
    if (!okShape || !okOffsets) throw modelError(op, `'${name}' with a shape and data_offsets inside the ${dataLength} data bytes`, JSON.stringify(value));
    const size = shape.reduce((n, d) => n * d, 1);
    const width = BYTES[dtype as SafetensorsDtype];
    if (offsets[1]! - offsets[0]! !== size * width) {
      throw modelError(op, `'${name}' ${dtype} [${shape.join(', ')}] to span ${size * width} bytes`, `${offsets[1]! - offsets[0]!}`);
    }
    ranges.push([offsets[0]!, offsets[1]!, name]);
    const raw = bytes.subarray(dataStart + offsets[0]!, dataStart + offsets[1]!);
    tensors.set(name, { dtype: dtype as SafetensorsDtype, shape, data: convert(raw, dtype as SafetensorsDtype, size) });
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]![0] < ranges[i - 1]![1]) throw modelError(op, 'tensors that do not overlap', `'${ranges[i - 1]![2]}' and '${ranges[i]![2]}' overlap`);
  }
  return { tensors, metadata };
}

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
