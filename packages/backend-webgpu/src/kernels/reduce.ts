import type { DType, ReduceOp } from '@wattformer/core';
import { buffer, main1d, NEG_INFINITY, params } from './wgsl';

/**
 * x [outer, size, inner] → y [outer, inner], one invocation per output walking the reduced axis.
 * f32 sums are compensated (TwoSum) to stay near the oracle's f64 accumulation; max propagates
 * NaN and gives -Infinity for an empty axis (i32: 0, as the oracle's Int32Array stores it).
 * i32 sums wrap. p = [n, size, inner].
 */
export function reduceShader(op: ReduceOp, dtype: DType): string {
  // TwoSum (Knuth): `total + error` carries ~48 bits, so the final f32 rounding almost always
  // matches the oracle's f64 sum rounded once (the conformance suite checks broadcast gradients exactly).
  const f32Sum = `  var total = 0.0;
  var error = 0.0;
  for (var r = 0u; r < size; r = r + 1u) {
    let v = x[base + r * inner];
    let next = total + v;
    let back = next - total;
    error = error + ((total - (next - back)) + (v - back));
    total = next;
  }
  y[i] = total + error;`;
  const f32Max = `  var best = ${NEG_INFINITY};
  for (var r = 0u; r < size; r = r + 1u) {
    let v = x[base + r * inner];
    let isNan = (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
    if (v > best || isNan) { best = v; }
    if (isNan) { break; }
  }
  y[i] = best;`;
  const i32Sum = `  var total = 0;
  for (var r = 0u; r < size; r = r + 1u) { total = total + x[base + r * inner]; }
  y[i] = total;`;
  const i32Max = `  var best = i32(-2147483647) - 1;
  for (var r = 0u; r < size; r = r + 1u) { best = max(best, x[base + r * inner]); }
  y[i] = select(0, best, size > 0u);`;
  const body = dtype === 'f32' ? (op === 'sum' ? f32Sum : f32Max) : op === 'sum' ? i32Sum : i32Max;
  return `${buffer(0, 'x', dtype, 'read')}
${buffer(1, 'y', dtype, 'read_write')}
${params(2)}
${main1d(`  if (i >= p[0]) { return; }
  let size = p[1];
  let inner = p[2];
  let base = (i / inner) * size * inner + i % inner;
${body}`)}`;
}

/** Reduced-axis length from which one workgroup (64 invocations) shares each output. */
export const WIDE_REDUCE = 256;

/**
 * The same reduction for long axes (≥ WIDE_REDUCE): one workgroup per output; each invocation
 * folds a strided slice, then a tree in workgroup memory combines the 64 partials. f32 sums carry
 * (sum, error) pairs through the tree (TwoSum on every combine), so accuracy matches the serial
 * kernel; max keeps NaN propagation. Workgroups are numbered x + y·65,535 past that limit.
 * p = [n, size, inner].
 */
export function wideReduceShader(op: ReduceOp, dtype: DType): string {
  const sum = op === 'sum';
  const f32 = dtype === 'f32';
  const zero = f32 ? (sum ? '0.0' : NEG_INFINITY) : sum ? '0' : 'i32(-2147483647) - 1';
  const fold = !f32
    ? sum
      ? 'return a + b;'
      : 'return max(a, b);'
    : sum
      ? 'return a + b;' // f32 sums go through twoSum below
      : `let aNan = (bitcast<u32>(a) & 0x7fffffffu) > 0x7f800000u;
  let bNan = (bitcast<u32>(b) & 0x7fffffffu) > 0x7f800000u;
  if (aNan) { return a; }
  if (bNan || b > a) { return b; }
  return a;`;
  const f32Sum = f32 && sum;
  return `${buffer(0, 'x', dtype, 'read')}
${buffer(1, 'y', dtype, 'read_write')}
${params(2)}
var<workgroup> partial: array<${dtype}, 64>;
var<workgroup> partialError: array<f32, 64>;
fn fold(a: ${dtype}, b: ${dtype}) -> ${dtype} {
  ${fold}
}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let out = group.x + group.y * groups.x;
  if (out >= p[0]) { return; }
  let size = p[1];
  let inner = p[2];
  let base = (out / inner) * size * inner + out % inner;
  var acc: ${dtype} = ${zero};
  var error = 0.0;
  for (var r = local.x; r < size; r = r + 64u) {
    let v = x[base + r * inner];
    ${
      f32Sum
        ? `let next = acc + v;
    let back = next - acc;
    error = error + ((acc - (next - back)) + (v - back));
    acc = next;`
        : 'acc = fold(acc, v);'
    }
  }
  partial[local.x] = acc;
  partialError[local.x] = error;
  for (var half = 32u; half > 0u; half = half / 2u) {
    workgroupBarrier();
    if (local.x < half) {
      let a = partial[local.x];
      let b = partial[local.x + half];
      ${
        f32Sum
          ? `let next = a + b;
      let back = next - a;
      partialError[local.x] = partialError[local.x] + partialError[local.x + half] + ((a - (next - back)) + (b - back));
      partial[local.x] = next;`
          : 'partial[local.x] = fold(a, b);'
      }
    }
  }
  if (local.x == 0u) {
    ${f32Sum ? 'y[out] = partial[0] + partialError[0];' : f32 || sum ? 'y[out] = partial[0];' : 'y[out] = select(0, partial[0], size > 0u);'}
  }
}`;
}
