/**
 * The onnxruntime-web anchor for causal attention: ONNX graphs written in the bench (a minimal
 * protobuf writer for the few ModelProto fields they need) and run on ORT-web's WASM EP with
 * one thread and SIMD. Two graphs, both on [B, H, T, D] inputs (the layout ORT prefers):
 * the opset-23 `Attention` op with `is_causal`, and the classic
 * MatMul → Mul(scale) → Add(causal mask) → Softmax → MatMul subgraph.
 */
import * as ort from 'onnxruntime-web';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

// --- protobuf: varints and length-delimited fields (wire types 0 and 2), enough for ONNX ---
type Bytes = Uint8Array;
const enc = new TextEncoder();

function varint(value: number): number[] {
  const out: number[] = [];
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n; // int64 two's complement, as protobuf writes negatives
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}
const concat = (parts: Bytes[]): Bytes => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const intField = (field: number, value: number): Bytes => Uint8Array.from([...varint(field << 3), ...varint(value)]);
const bytesField = (field: number, value: Bytes): Bytes => concat([Uint8Array.from([...varint((field << 3) | 2), ...varint(value.length)]), value]);
const strField = (field: number, value: string): Bytes => bytesField(field, enc.encode(value));
const floatField = (field: number, value: number): Bytes => {
  const b = new Uint8Array(5);
  b[0] = (field << 3) | 5; // wire type 5: fixed32
  new DataView(b.buffer).setFloat32(1, value, true);
  return b;
};

// --- ONNX messages (field numbers from onnx.proto) ---
const FLOAT = 1;
type Attr = { name: string; int?: number; float?: number; ints?: number[] };
function attribute(a: Attr): Bytes {
  const parts = [strField(1, a.name)];
  if (a.float !== undefined) parts.push(floatField(2, a.float), intField(20, 1));
  else if (a.int !== undefined) parts.push(intField(3, a.int), intField(20, 2));
  else parts.push(...a.ints!.map((i) => intField(8, i)), intField(20, 7));
  return concat(parts);
}
function node(op: string, inputs: string[], outputs: string[], attrs: Attr[] = [], domain = ''): Bytes {
  return concat([
    ...inputs.map((s) => strField(1, s)),
    ...outputs.map((s) => strField(2, s)),
    strField(3, `${op}_${outputs[0]}`),
    strField(4, op),
    ...attrs.map((a) => bytesField(5, attribute(a))),
    ...(domain ? [strField(7, domain)] : []),
  ]);
}
function valueInfo(name: string, dims: number[]): Bytes {
  const shape = concat(dims.map((d) => bytesField(1, intField(1, d))));
  const tensorType = concat([intField(1, FLOAT), bytesField(2, shape)]);
  return concat([strField(1, name), bytesField(2, bytesField(1, tensorType))]);
}
function initializer(name: string, dims: number[], data: Float32Array): Bytes {
  return concat([
    ...dims.map((d) => intField(1, d)),
    intField(2, FLOAT),
    strField(8, name),
    bytesField(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
  ]);
}
function model(nodes: Bytes[], inits: Bytes[], inputs: Bytes[], outputs: Bytes[], opset: number, irVersion: number): Bytes {
  const graph = concat([
    ...nodes.map((n) => bytesField(1, n)),
    strField(2, 'attention'),
    ...inits.map((t) => bytesField(5, t)),
    ...inputs.map((v) => bytesField(11, v)),
    ...outputs.map((v) => bytesField(12, v)),
  ]);
  return concat([intField(1, irVersion), strField(2, 'wattformer-bench'), bytesField(7, graph), bytesField(8, intField(2, opset))]);
}

export interface AttentionShape {
  readonly B: number;
  readonly H: number;
  readonly T: number;
  readonly D: number;
}

/** Opset-23 `Attention` (Q, K, V as [B, H, T, D], `is_causal` = 1, scale 1/√D). */
export function attentionOpModel({ B, H, T, D }: AttentionShape): Bytes {
  const io = (n: string) => valueInfo(n, [B, H, T, D]);
  return model(
    [
      node(
        'Attention',
        ['q', 'k', 'v'],
        ['out'],
        [
          { name: 'is_causal', int: 1 },
          { name: 'scale', float: 1 / Math.sqrt(D) },
        ],
      ),
    ],
    [],
    [io('q'), io('k'), io('v')],
    [io('out')],
    23,
    11,
  );
}

/** MatMul(Q, Kᵀ) → ·scale → + causal mask (0 / −1e9) → Softmax → MatMul(·, V). */
export function subgraphModel({ B, H, T, D }: AttentionShape): Bytes {
  const mask = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) mask[i * T + j] = -1e9;
  const io = (n: string) => valueInfo(n, [B, H, T, D]);
  return model(
    [
      node('Transpose', ['k'], ['kt'], [{ name: 'perm', ints: [0, 1, 3, 2] }]),
      node('MatMul', ['q', 'kt'], ['s']),
      node('Mul', ['s', 'scale'], ['ss']),
      node('Add', ['ss', 'mask'], ['sm']),
      node('Softmax', ['sm'], ['p'], [{ name: 'axis', int: -1 }]),
      node('MatMul', ['p', 'v'], ['out']),
    ],
    [initializer('scale', [], Float32Array.of(1 / Math.sqrt(D))), initializer('mask', [T, T], mask)],
    [io('q'), io('k'), io('v')],
    [io('out')],
    17,
    8,
  );
}

/** ORT-web on its WASM EP: one thread, SIMD, all graph optimisations. Returns its description. */
export function setUpOrtWasm(): string {
  const dist = `${dirname(createRequire(import.meta.url).resolve('onnxruntime-web'))}/`;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = dist;
  ort.env.logLevel = 'error';
  return `onnxruntime-web ${ort.env.versions.web}, WASM EP, 1 thread, SIMD`;
}

/** A session over one model, fed [B, H, T, D] float32 q, k, v; `run` resolves to the output. */
export async function ortAttention(modelBytes: Bytes, shape: AttentionShape, q: Float32Array, k: Float32Array, v: Float32Array) {
  const session = await ort.InferenceSession.create(modelBytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const dims = [shape.B, shape.H, shape.T, shape.D];
  const feeds = { q: new ort.Tensor('float32', q, dims), k: new ort.Tensor('float32', k, dims), v: new ort.Tensor('float32', v, dims) };
  return async (): Promise<Float32Array> => {
    const result = await session.run(feeds);
    return result['out']!.data as Float32Array;
  };
}
