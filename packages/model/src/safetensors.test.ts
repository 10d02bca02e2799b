import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from './safetensors';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

describe('safetensors', () => {
  it('round-trips f32 tensors and metadata; the header is 8-byte aligned', () => {
    const a = Float32Array.from([1, -2.5, 3e-8, 65504]);
    const b = Float32Array.from([0.1]);
    const bytes = encodeSafetensors(
      [
        ['a', { shape: [2, 2], data: a }],
        ['b.c', { shape: [1], data: b }],
      ],
      { format: 'pt' },
    );
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    expect(bytes.length).toBe(8 + headerLength + 20);
    const decoded = decodeSafetensors(bytes);
    expect(decoded.metadata).toEqual({ format: 'pt' });
    expect(decoded.tensors.get('a')).toEqual({ dtype: 'F32', shape: [2, 2], data: a });
    expect(decoded.tensors.get('b.c')!.data).toEqual(b);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
    expect(header.a).toEqual({ dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] });
  });

  it('reads F16, BF16, F64 and I64 written by Python safetensors (f32 / i32 out)', () => {
    const want = JSON.parse(readFileSync(fixture('dtypes.json'), 'utf8')) as Record<string, number[]>;
    const { tensors, metadata } = decodeSafetensors(readFileSync(fixture('dtypes.safetensors')));
    expect(metadata).toEqual({ format: 'pt' });
    for (const name of ['f16', 'bf16', 'f64']) {
      expect([...tensors.get(name)!.data]).toEqual(want[name]!.map((v) => Math.fround(v)));
    }
    expect(tensors.get('f64')!.shape).toEqual([2, 4]);
    expect(tensors.get('i64')).toEqual({ dtype: 'I64', shape: [2, 2], data: Int32Array.from(want.i64!) });
  });

  it('refuses truncated or inconsistent files and says what is wrong', () => {
    const good = encodeSafetensors([['w', { shape: [4], data: new Float32Array(4) }]]);
    expect(() => decodeSafetensors(good.subarray(0, 5))).toThrow(/^model: safetensors: expected at least 8 bytes \(the header length\), got 5 bytes/);
    expect(() => decodeSafetensors(good.subarray(0, good.length - 4))).toThrow(/expected 'w' with a shape and data_offsets inside the 12 data bytes/);
    const withHeader = (header: object) => {
      const json = new TextEncoder().encode(JSON.stringify(header));
      const bytes = new Uint8Array(8 + json.length + 16);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
      bytes.set(json, 8);
      return bytes;
    };
    expect(() => decodeSafetensors(withHeader({ w: { dtype: 'F8_E4M3', shape: [4], data_offsets: [0, 4] } }))).toThrow(
      /expected 'w' dtype one of F64, F32, F16, BF16, I64, I32, U8, BOOL, got F8_E4M3/,
    );
    expect(() => decodeSafetensors(withHeader({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 16] } }))).toThrow(
      /expected 'w' F32 \[3\] to span 12 bytes, got 16/,
    );
    expect(() =>
      decodeSafetensors(withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } })),
    ).toThrow(/expected tensors stored back to back \('b' starting at byte 8 of the data\), got it overlaps the one before \(starts at 4\)/);
    const broken = new Uint8Array(16);
    new DataView(broken.buffer).setBigUint64(0, 8n, true);
    expect(() => decodeSafetensors(broken)).toThrow(/expected a JSON header, got unparsable bytes/);
  });
});
