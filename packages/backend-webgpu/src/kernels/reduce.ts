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
