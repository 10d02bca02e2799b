import { buffer, params } from './wgsl';

export const TILE = 16;

/**
 * C[b] = op(A[b]) · op(B[b]), row-major, batch outermost (workgroup z). Classic shared-memory
 * tiling: each 16×16 workgroup stages a 16×16 tile of A and of B per step of K, so every operand
 * element is read from storage once per tile instead of once per output. Transposes are read in
 * place by swapping the index arithmetic. Batches past 65,535 go in several dispatches, each
 * starting at batch p[5]. p = [M, N, K, transposeA, transposeB, firstBatch].
 *
 * `f16` (needs the device feature `shader-f16`): the tiles are stored in workgroup memory as f16
 * (half the bytes) and each step of K takes four-term f16 dot products, added into an f32
 * accumulator, so rounding stays near f16's unit roundoff (2^-11) times Σ|a·b| rather than
 * growing with K. Inputs beyond ±65,504 overflow: opt-in only (`f16: 'auto'`).
 */
export function matmulShader(f16: boolean): string {
  const tile = f16 ? 'f16' : 'f32';
  const inner = f16
    ? `for (var kk = 0u; kk < ${TILE}u; kk = kk + 4u) {
      let av4 = vec4<f16>(tileA[local.y][kk], tileA[local.y][kk + 1u], tileA[local.y][kk + 2u], tileA[local.y][kk + 3u]);
      let bv4 = vec4<f16>(tileB[kk][local.x], tileB[kk + 1u][local.x], tileB[kk + 2u][local.x], tileB[kk + 3u][local.x]);
      acc = acc + f32(dot(av4, bv4));
    }`
    : `for (var kk = 0u; kk < ${TILE}u; kk = kk + 1u) {
      acc = acc + tileA[local.y][kk] * tileB[kk][local.x];
    }`;
  return `${f16 ? 'enable f16;\n' : ''}${buffer(0, 'a', 'f32', 'read')}
${buffer(1, 'b', 'f32', 'read')}
${buffer(2, 'c', 'f32', 'read_write')}
${params(3)}
var<workgroup> tileA: array<array<${tile}, ${TILE}>, ${TILE}>;
var<workgroup> tileB: array<array<${tile}, ${TILE}>, ${TILE}>;

@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let M = p[0];
  let N = p[1];
  let K = p[2];
  let transposeA = p[3] != 0u;
  let transposeB = p[4] != 0u;
  let row = group.y * ${TILE}u + local.y;
  let col = group.x * ${TILE}u + local.x;
  let batch = group.z + p[5];
  let aBase = batch * M * K;
  let bBase = batch * K * N;
  var acc = 0.0;
  for (var t = 0u; t < K; t = t + ${TILE}u) {
    let ak = t + local.x;
    var av = 0.0;
    if (row < M && ak < K) {
      av = a[aBase + select(row * K + ak, ak * M + row, transposeA)];
    }
    tileA[local.y][local.x] = ${tile}(av);
    let bk = t + local.y;
    var bv = 0.0;
    if (bk < K && col < N) {
      bv = b[bBase + select(bk * N + col, col * K + bk, transposeB)];
    }
    tileB[local.y][local.x] = ${tile}(bv);
    workgroupBarrier();
    ${inner}
    workgroupBarrier();
  }
  if (row < M && col < N) {
    c[batch * M * N + row * N + col] = acc;
  }
}`;
}

/** The f32 matmul every device runs (see {@link matmulShader}). */
export const MATMUL = matmulShader(false);
