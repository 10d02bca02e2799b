import type { MatmulDims } from '@wattformer/core';
import { params } from './wgsl';

/**
 * A matmul tile: a workgroup of `threadsX`×`threadsY` invocations, each computing a 4×4 block of
 * C in registers, so the workgroup owns a (4·threadsY)×(4·threadsX) block of C and walks K in
 * steps of `depth`.
 */
export interface MatmulTile {
  readonly threadsX: number;
  readonly threadsY: number;
  readonly depth: number;
  /** Rows of C per invocation (4 unless set; columns are always 4). */
  readonly rows?: number;
}

/** Rows and columns of C per invocation. */
export const BLOCK = 4;

const rowsOf = (tile: MatmulTile): number => tile.rows ?? BLOCK;

/** 64×64 outputs per workgroup of 256: only for very big products (see {@link chooseMatmulTile}). */
export const LARGE_TILE: MatmulTile = { threadsX: 16, threadsY: 16, depth: 16 };
/**
 * 64×32 outputs per workgroup of 64, each invocation an 8×4 block (eight vec4 accumulators): the
 * default from 64 rows up; per four steps of K, 12 vec4 loads feed 128 multiply-adds.
 */
export const TALL_TILE: MatmulTile = { threadsX: 8, threadsY: 8, depth: 32, rows: 8 };
/** 32×32 outputs per workgroup of 64 (tfjs-backend-webgpu's default shape). */
export const MEDIUM_TILE: MatmulTile = { threadsX: 8, threadsY: 8, depth: 32 };
/** 16×16 outputs per workgroup of 16: thin products (attention heads, short sequences). */
export const SMALL_TILE: MatmulTile = { threadsX: 4, threadsY: 4, depth: 32 };

/**
 * The tile for a product: 64×32 with 8×4 blocks from 64 rows up (measured 1.4–1.9× the 32×32
 * tile at 256³–1024³ on SwiftShader and lavapipe, which were in turn faster than 64×64 with 4×4
 * blocks), 32×32 for middling products, 64×64 with 4×4 blocks only past `largeFrom` 32×32
 * workgroups (2048² and up; not yet measured on a GPU), 16×16 for thin products.
 */
export function chooseMatmulTile(d: Pick<MatmulDims, 'batch' | 'm' | 'n'>, largeFrom = 4096): MatmulTile {
  const groups = (tile: MatmulTile) => d.batch * Math.ceil(d.m / (BLOCK * tile.threadsY)) * Math.ceil(d.n / (BLOCK * tile.threadsX));
  if (d.m >= 64 && d.n >= 64 && groups(MEDIUM_TILE) >= largeFrom) return LARGE_TILE;
  if (d.m >= 64 && d.n >= 24) return TALL_TILE;
  if (d.m >= 24 && d.n >= 24) return MEDIUM_TILE;
  return SMALL_TILE;
}

/** Everything that selects a compiled variant of the matmul shader. */
export interface MatmulVariant {
  readonly tile: MatmulTile;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  /** A is read as vec4 along K (row-major A with K % 4 = 0). */
  readonly vectorA: boolean;
  /** B is read as vec4 along N (row-major B with N % 4 = 0). */
  readonly vectorB: boolean;
  /** C is written as vec4 along N (N % 4 = 0). */
  readonly vectorC: boolean;
  /** f16 workgroup tiles (needs `shader-f16`). */
  readonly f16: boolean;
}

export function matmulVariant(d: MatmulDims, f16: boolean, tile: MatmulTile = chooseMatmulTile(d)): MatmulVariant {
  return {
    tile,
    transposeA: d.transposeA,
    transposeB: d.transposeB,
    vectorA: !d.transposeA && d.k % 4 === 0,
    vectorB: !d.transposeB && d.n % 4 === 0,
    vectorC: d.n % 4 === 0,
    f16,
  };
}

/** Workgroups for one dispatch of `batches` products. */
export function matmulGroups(tile: MatmulTile, d: Pick<MatmulDims, 'm' | 'n'>, batches: number): [number, number, number] {
  return [Math.ceil(d.n / (BLOCK * tile.threadsX)), Math.ceil(d.m / (rowsOf(tile) * tile.threadsY)), batches];
}

const range = (count: number) => Array.from({ length: count }, (_, i) => i);

/**
 * C[b] = op(A[b]) · op(B[b]), row-major, batch outermost (workgroup z), register-tiled: each
 * invocation accumulates a 4×4 (or 8×4, `rows`) block of C in four (eight) vec4 registers. Per step of K the workgroup
 * stages a BM×depth tile of A (rows of vec4 along K) and a depth×BN tile of B (rows of vec4 along
 * N) in workgroup memory; each invocation then reads, per four steps of K, four vec4 of A and four
 * of B (8 loads for 64 multiply-adds, against 2 per multiply-add in a one-output-per-thread tile).
 * Transposes are compile-time: the tile loads read the transposed operand in place. Row-major
 * operands whose inner size is a multiple of 4 are read from storage as vec4 (one load for four
 * elements), and C is written as vec4 when N is. Batches past 65,535 go in several dispatches, each
 * starting at batch p[3]. p = [M, N, K, firstBatch].
 *
 * `f16` (needs the device feature `shader-f16`): the tiles are stored in workgroup memory as f16
 * (half the bytes); products and sums are f32, so the only rounding beyond f32's is the inputs'
 * rounding to f16 (relative 2^-11 each). Inputs beyond ±65,504 overflow: opt-in only
 * (`f16: 'auto'`).
 */
export function matmulShader(v: MatmulVariant): string {
  const { threadsX: TX, threadsY: TY, depth: BK } = v.tile;
  const R = rowsOf(v.tile);
  const BM = R * TY;
  const BN = BLOCK * TX;
  const T = v.f16 ? 'f16' : 'f32';
  const threads = TX * TY;
  const elemA = (row: string, k: string) => (v.transposeA ? `${k} * M + ${row}` : `${row} * K + ${k}`);
  const elemB = (k: string, col: string) => (v.transposeB ? `${col} * K + ${k}` : `${k} * N + ${col}`);
  // Tile A: BM rows of BK/4 vec4 (along K). Invocation l stages vec4 number l of it.
  const loadA = v.vectorA
    ? `let r = rowBase + l / ${BK / 4}u;
      let k = t + (l % ${BK / 4}u) * 4u;
      var value = vec4<f32>(0.0);
      if (r < M && k < K) { value = a[(aBase + r * K + k) / 4u]; }
      tileA[l] = vec4<${T}>(value);`
    : `let r = rowBase + l / ${BK / 4}u;
      let k = t + (l % ${BK / 4}u) * 4u;
      var value = vec4<f32>(0.0);
      if (r < M) {
${range(4)
  .map((j) => `        if (k + ${j}u < K) { value[${j}] = a[aBase + ${elemA('r', `(k + ${j}u)`)}]; }`)
  .join('\n')}
      }
      tileA[l] = vec4<${T}>(value);`;
  // Tile B: BK rows of BN/4 vec4 (along N).
  const loadB = v.vectorB
    ? `let k = t + l / ${BN / 4}u;
      let col = colBase + (l % ${BN / 4}u) * 4u;
      var value = vec4<f32>(0.0);
      if (k < K && col < N) { value = b[(bBase + k * N + col) / 4u]; }
      tileB[l] = vec4<${T}>(value);`
    : `let k = t + l / ${BN / 4}u;
      let col = colBase + (l % ${BN / 4}u) * 4u;
      var value = vec4<f32>(0.0);
      if (k < K) {
${range(4)
  .map((j) => `        if (col + ${j}u < N) { value[${j}] = b[bBase + ${elemB('k', `(col + ${j}u)`)}]; }`)
  .join('\n')}
      }
      tileB[l] = vec4<${T}>(value);`;
  const step = `let k4 = kk / 4u;
${range(4)
  .map((j) => `      let b${j} = vec4<f32>(tileB[(kk + ${j}u) * ${BN / 4}u + local.x]);`)
  .join('\n')}
${range(R)
  .map(
    (i) => `      let a${i} = vec4<f32>(tileA[(local.y * ${R}u + ${i}u) * ${BK / 4}u + k4]);
      acc${i} = acc${i} + a${i}.x * b0 + a${i}.y * b1 + a${i}.z * b2 + a${i}.w * b3;`,
  )
  .join('\n')}`;
  const store = range(R)
    .map((i) =>
      v.vectorC
        ? `  if (row0 + ${i}u < M && col0 < N) { c[(cBase + (row0 + ${i}u) * N + col0) / 4u] = acc${i}; }`
        : `  if (row0 + ${i}u < M) {
${range(4)
  .map((j) => `    if (col0 + ${j}u < N) { c[cBase + (row0 + ${i}u) * N + col0 + ${j}u] = acc${i}[${j}]; }`)
  .join('\n')}
  }`,
    )
    .join('\n');
  const storage = (binding: number, name: string, vector: boolean, access: 'read' | 'read_write') =>
    `@group(0) @binding(${binding}) var<storage, ${access}> ${name}: array<${vector ? 'vec4<f32>' : 'f32'}>;`;
  return `${v.f16 ? 'enable f16;\n' : ''}${storage(0, 'a', v.vectorA, 'read')}
${storage(1, 'b', v.vectorB, 'read')}
${storage(2, 'c', v.vectorC, 'read_write')}
${params(3)}
var<workgroup> tileA: array<vec4<${T}>, ${(BM * BK) / 4}>;
var<workgroup> tileB: array<vec4<${T}>, ${(BK * BN) / 4}>;

@compute @workgroup_size(${TX}, ${TY})
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u, @builtin(local_invocation_index) index: u32) {
  let M = p[0];
  let N = p[1];
  let K = p[2];
  let batch = group.z + p[3];
  let aBase = batch * M * K;
  let bBase = batch * K * N;
  let cBase = batch * M * N;
  let rowBase = group.y * ${BM}u;
  let colBase = group.x * ${BN}u;
${range(R)
  .map((i) => `  var acc${i} = vec4<f32>(0.0);`)
  .join('\n')}
  for (var t = 0u; t < K; t = t + ${BK}u) {
    for (var l = index; l < ${(BM * BK) / 4}u; l = l + ${threads}u) {
      ${loadA}
    }
    for (var l = index; l < ${(BK * BN) / 4}u; l = l + ${threads}u) {
      ${loadB}
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${BK}u; kk = kk + 4u) {
      ${step}
    }
    workgroupBarrier();
  }
  let row0 = rowBase + local.y * ${R}u;
  let col0 = colBase + local.x * 4u;
${store}
}`;
}
