import { buffer, params } from './wgsl';

/**
 * Tiled (flash-style) attention on [B, T, C] operands, head h at channels [h·D, (h+1)·D). The
 * head dim D is a compile-time constant (one shader per D, cached by source), so each invocation
 * keeps its own rows in registers: a vec4 array where D % 4 = 0, scalars otherwise.
 *
 * - Forward: one workgroup per (b·h, tile of `rows` query rows), one invocation per query row.
 *   K and V tiles of `keys` rows are loaded cooperatively into workgroup memory; each row keeps a
 *   running max m and sum l (online softmax) and its output in registers, and writes O and the
 *   log-sum-exp L = m + log l: nothing of size T×T exists, on the GPU or off it.
 * - Backward (FlashAttention-2 order): Δ_i = dO_i·O_i (`ATTENTION_DELTA` in `attention.ts`), then
 *   dQ per query tile (K, V tiles in workgroup memory) and dK, dV per key tile (Q, dO tiles in
 *   workgroup memory), each recomputing P_ij = exp(s_ij − L_i). Two passes instead of atomics,
 *   which WGSL has only for integers.
 *
 * Masks add −1e9 (never −∞) exactly as core's default body: causal for j > i, and
 * (keyMask − 1)·1e9 when p[6] = 1. Without a key mask, causal tiles wholly above the diagonal
 * are skipped (their terms are exp(−1e9 − m) = 0 in f32); with one they are visited, since a row
 * whose every earlier key is padded puts its weight on them, as the reference does.
 * p = [unused, H, Tq, Tk, D, causal, hasMask, scale] (the same words as `attention.ts`).
 */
export interface FlashTiles {
  /** Head dim; D % 4 = 0 selects vec4 loads and registers. */
  readonly D: number;
  /** Rows per workgroup tile held in registers (one invocation each). */
  readonly rows: number;
  /** Rows per tile of the other sequence staged in workgroup memory. */
  readonly keys: number;
}

/** Largest head dim the tiled kernels take; larger heads use the per-row kernels of `attention.ts`. */
export const FLASH_MAX_HEAD_DIM = 128;

/** Workgroup memory the tiled kernels may use: the WebGPU default `maxComputeWorkgroupStorageSize`. */
const WORKGROUP_BYTES = 16384;

/**
 * Tile sizes by head dim: 64 query rows (invocations) per workgroup, and the largest power-of-two
 * tile of the other sequence (≤ 64 rows) whose two D-wide f32 tiles fit 16 KiB of workgroup
 * memory: 64 rows for D ≤ 32, 32 for D 64, 16 for D 128.
 */
export function chooseFlashTiles(D: number): FlashTiles {
  let keys = 64;
  while (keys > 8 && 2 * keys * D * 4 > WORKGROUP_BYTES) keys /= 2;
  return { D, rows: 64, keys };
}

/** Shared declarations: constants, vector type and the row dot product. */
function header(t: FlashTiles): string {
  const width = t.D % 4 === 0 ? 4 : 1;
  const vector = width === 4 ? 'vec4<f32>' : 'f32';
  return `alias V = ${vector};
const ROWS = ${t.rows}u;
const KEYS = ${t.keys}u;
const N = ${t.D / width}u;
fn vdot(a: V, b: V) -> f32 { ${width === 4 ? 'return dot(a, b);' : 'return a * b;'} }`;
}

const vbuffer = (binding: number, name: string, access: 'read' | 'read_write'): string =>
  `@group(0) @binding(${binding}) var<storage, ${access}> ${name}: array<V>;`;

const INPUTS = `${vbuffer(0, 'q', 'read')}
${vbuffer(1, 'k', 'read')}
${vbuffer(2, 'v', 'read')}
${buffer(3, 'mask', 'f32', 'read')}`;

/** Sizes and this workgroup's head; `tile` is the workgroup's own tile index along x. */
const PROLOGUE = `  let H = p[1];
  let Tq = p[2];
  let Tk = p[3];
  let causal = p[5] != 0u;
  let hasMask = p[6] != 0u;
  let scale = bitcast<f32>(p[7]);
  let bh = group.y;
  let b = bh / H;
  let h = bh % H;
  let CN = H * N;
  let headOffset = h * N;`;

/** Scaled, masked score of query i and key j from a dot product; the same sums as core's default body. */
const SCORE_FN = `
fn maskedScore(dotValue: f32, i: u32, j: u32, b: u32, Tk: u32, scale: f32, causal: bool, hasMask: bool) -> f32 {
  var s = dotValue * scale;
  if (causal && j > i) { s = s + -1e9; }
  if (hasMask) { s = s + (mask[b * Tk + j] - 1.0) * 1e9; }
  return s;
}`;

/** Loads `count` rows of two operands (head h of batch b, from `first`) into two workgroup tiles. */
const loadTiles = (one: string, two: string, oneTile: string, twoTile: string, count: string, start: string, T: string): string => `
    workgroupBarrier();
    for (var e = local; e < KEYS * N; e = e + ROWS) {
      let r = e / N;
      if (r < ${count}) {
        let src = (b * ${T} + ${start} + r) * CN + headOffset + e % N;
        ${oneTile}[e] = ${one}[src];
        ${twoTile}[e] = ${two}[src];
      }
    }
    workgroupBarrier();`;

/** out [B, Tq, C] and stats [B, H, Tq] (log-sum-exp per row). Groups: [ceil(Tq / rows), B·H]. */
export function flashForward(t: FlashTiles): string {
  const tile = t.keys * (t.D % 4 === 0 ? t.D / 4 : t.D);
  return `${header(t)}
${INPUTS}
${vbuffer(4, 'out', 'read_write')}
${buffer(5, 'stats', 'f32', 'read_write')}
${params(6)}
${SCORE_FN}
var<workgroup> kTile: array<V, ${tile}>;
var<workgroup> vTile: array<V, ${tile}>;

@compute @workgroup_size(${t.rows})
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) local: u32) {
${PROLOGUE}
  let first = group.x * ROWS;
  let i = first + local;
  let live = i < Tq;
  let rowOffset = (b * Tq + i) * CN + headOffset;
  var qRow: array<V, N>;
  var acc: array<V, N>;
  for (var d = 0u; d < N; d = d + 1u) {
    acc[d] = V(0.0);
    if (live) { qRow[d] = q[rowOffset + d]; } else { qRow[d] = V(0.0); }
  }
  var m = -3.0e38;
  var l = 0.0;
  var keyEnd = Tk;
  if (causal && !hasMask) { keyEnd = min(Tk, first + ROWS); }
  for (var k0 = 0u; k0 < keyEnd; k0 = k0 + KEYS) {
    let count = min(KEYS, Tk - k0);
${loadTiles('k', 'v', 'kTile', 'vTile', 'count', 'k0', 'Tk')}
    var s: array<f32, KEYS>;
    var tileMax = m;
    for (var j = 0u; j < count; j = j + 1u) {
      var total = 0.0;
      for (var d = 0u; d < N; d = d + 1u) { total = total + vdot(qRow[d], kTile[j * N + d]); }
      s[j] = maskedScore(total, i, k0 + j, b, Tk, scale, causal, hasMask);
      tileMax = max(tileMax, s[j]);
    }
    let alpha = exp(m - tileMax);
    l = l * alpha;
    for (var d = 0u; d < N; d = d + 1u) { acc[d] = acc[d] * alpha; }
    for (var j = 0u; j < count; j = j + 1u) {
      let e = exp(s[j] - tileMax);
      l = l + e;
      for (var d = 0u; d < N; d = d + 1u) { acc[d] = acc[d] + e * vTile[j * N + d]; }
    }
    m = tileMax;
  }
  if (live) {
    for (var d = 0u; d < N; d = d + 1u) { out[rowOffset + d] = acc[d] / l; }
    stats[bh * Tq + i] = m + log(l);
  }
}`;
}

const BACKWARD_INPUTS = `${INPUTS}
${buffer(4, 'stats', 'f32', 'read')}
${vbuffer(5, 'dOut', 'read')}
${buffer(6, 'delta', 'f32', 'read')}`;

/** dQ_i = scale · Σ_j P_ij (dO_i·V_j − Δ_i) K_j. Groups: [ceil(Tq / rows), B·H]. */
export function flashBackwardQuery(t: FlashTiles): string {
  const tile = t.keys * (t.D % 4 === 0 ? t.D / 4 : t.D);
  return `${header(t)}
${BACKWARD_INPUTS}
${vbuffer(7, 'dq', 'read_write')}
${params(8)}
${SCORE_FN}
var<workgroup> kTile: array<V, ${tile}>;
var<workgroup> vTile: array<V, ${tile}>;

@compute @workgroup_size(${t.rows})
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) local: u32) {
${PROLOGUE}
  let first = group.x * ROWS;
  let i = first + local;
  let live = i < Tq;
  let rowOffset = (b * Tq + i) * CN + headOffset;
  var qRow: array<V, N>;
  var dORow: array<V, N>;
  var acc: array<V, N>;
  var L = 0.0;
  var delta_i = 0.0;
  for (var d = 0u; d < N; d = d + 1u) {
    acc[d] = V(0.0);
    if (live) { qRow[d] = q[rowOffset + d]; dORow[d] = dOut[rowOffset + d]; } else { qRow[d] = V(0.0); dORow[d] = V(0.0); }
  }
  if (live) { L = stats[bh * Tq + i]; delta_i = delta[bh * Tq + i]; }
  var keyEnd = Tk;
  if (causal && !hasMask) { keyEnd = min(Tk, first + ROWS); }
  for (var k0 = 0u; k0 < keyEnd; k0 = k0 + KEYS) {
    let count = min(KEYS, Tk - k0);
${loadTiles('k', 'v', 'kTile', 'vTile', 'count', 'k0', 'Tk')}
    for (var j = 0u; j < count; j = j + 1u) {
      var total = 0.0;
      var dP = 0.0;
      for (var d = 0u; d < N; d = d + 1u) {
        total = total + vdot(qRow[d], kTile[j * N + d]);
        dP = dP + vdot(dORow[d], vTile[j * N + d]);
      }
      let P = exp(maskedScore(total, i, k0 + j, b, Tk, scale, causal, hasMask) - L);
      let dS = P * (dP - delta_i) * scale;
      for (var d = 0u; d < N; d = d + 1u) { acc[d] = acc[d] + dS * kTile[j * N + d]; }
    }
  }
  if (live) {
    for (var d = 0u; d < N; d = d + 1u) { dq[rowOffset + d] = acc[d]; }
  }
}`;
}

/**
 * dK_j = scale · Σ_i dS_ij Q_i and dV_j = Σ_i P_ij dO_i, one invocation per key row, Q and dO tiles
 * in workgroup memory. Groups: [ceil(Tk / rows), B·H].
 */
export function flashBackwardKey(t: FlashTiles): string {
  const tile = t.keys * (t.D % 4 === 0 ? t.D / 4 : t.D);
  return `${header(t)}
${BACKWARD_INPUTS}
${vbuffer(7, 'dk', 'read_write')}
${vbuffer(8, 'dv', 'read_write')}
${params(9)}
${SCORE_FN}
var<workgroup> qTile: array<V, ${tile}>;
var<workgroup> dOTile: array<V, ${tile}>;

@compute @workgroup_size(${t.rows})
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) local: u32) {
${PROLOGUE}
  let first = group.x * ROWS;
  let j = first + local;
  let live = j < Tk;
  let keyOffset = (b * Tk + j) * CN + headOffset;
  var kRow: array<V, N>;
  var vRow: array<V, N>;
  var dkAcc: array<V, N>;
  var dvAcc: array<V, N>;
  for (var d = 0u; d < N; d = d + 1u) {
    dkAcc[d] = V(0.0);
    dvAcc[d] = V(0.0);
    if (live) { kRow[d] = k[keyOffset + d]; vRow[d] = v[keyOffset + d]; } else { kRow[d] = V(0.0); vRow[d] = V(0.0); }
  }
  // Without a key mask, query tiles wholly before this key tile see none of its keys (causal).
  var q0 = 0u;
  if (causal && !hasMask) { q0 = min(Tq, first) / KEYS * KEYS; }
  for (; q0 < Tq; q0 = q0 + KEYS) {
    let count = min(KEYS, Tq - q0);
${loadTiles('q', 'dOut', 'qTile', 'dOTile', 'count', 'q0', 'Tq')}
    for (var r = 0u; r < count; r = r + 1u) {
      let i = q0 + r;
      let row = bh * Tq + i;
      var total = 0.0;
      var dP = 0.0;
      for (var d = 0u; d < N; d = d + 1u) {
        total = total + vdot(qTile[r * N + d], kRow[d]);
        dP = dP + vdot(dOTile[r * N + d], vRow[d]);
      }
      let P = exp(maskedScore(total, i, j, b, Tk, scale, causal, hasMask) - stats[row]);
      let dS = P * (dP - delta[row]) * scale;
      for (var d = 0u; d < N; d = d + 1u) {
        dvAcc[d] = dvAcc[d] + P * dOTile[r * N + d];
        dkAcc[d] = dkAcc[d] + dS * qTile[r * N + d];
      }
    }
  }
  if (live) {
    for (var d = 0u; d < N; d = d + 1u) {
      dk[keyOffset + d] = dkAcc[d];
      dv[keyOffset + d] = dvAcc[d];
    }
  }
}`;
}
