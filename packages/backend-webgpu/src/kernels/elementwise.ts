import type { BinaryOp, DType, UnaryOp } from '@wattformer/core';
import { buffer, main1d, params } from './wgsl';

/** fill: raw bits, so one shader serves f32 and i32. p = [n, bits]. */
export const FILL = `${buffer(0, 'y', 'u32', 'read_write')}
${params(1)}
${main1d('  if (i < p[0]) { y[i] = p[1]; }')}`;

const unaryF32: Record<UnaryOp, string> = {
  neg: '-v',
  exp: 'exp(v)',
  log: 'log(v)',
  // tanh saturates to ±1 in f32 beyond |v| = 10; clamping avoids exp overflow inside some drivers.
  tanh: 'tanh(clamp(v, -10.0, 10.0))',
  sqrt: 'sqrt(v)',
  relu: 'select(0.0, v, v > 0.0)',
  step: 'select(0.0, 1.0, v > 0.0)',
};

/** y = f(x) over [n]; i32 only for neg (wrapping, as 0 - v). p = [n]. */
export function unaryShader(op: UnaryOp, dtype: DType): string {
  const expression = dtype === 'i32' ? '0 - v' : unaryF32[op];
  return `${buffer(0, 'x', dtype, 'read')}
${buffer(1, 'y', dtype, 'read_write')}
${params(2)}
${main1d(`  if (i >= p[0]) { return; }
  let v = x[i];
  y[i] = ${expression};`)}`;
}

const binaryF32: Record<BinaryOp, string> = {
  add: 'u + w',
  sub: 'u - w',
  mul: 'u * w',
  div: 'u / w',
  maximum: 'select(w, u, u >= w)',
  equal: 'select(0.0, 1.0, u == w)',
};

// WGSL i32 arithmetic wraps; x / 0 is guarded to 0 and MIN / -1 gives MIN, as the cpu oracle does.
const binaryI32: Record<BinaryOp, string> = {
  add: 'u + w',
  sub: 'u - w',
  mul: 'u * w',
  div: 'select(0, u / select(w, 1, w == 0), w != 0)',
  maximum: 'select(w, u, u >= w)',
  equal: 'select(0, 1, u == w)',
};

/**
 * out[idx] = a[idx · aStrides] ∘ b[idx · bStrides] over outShape (broadcast by zero strides).
 * p = [n, rank, outShape[rank], aStrides[rank], bStrides[rank]].
 */
export function binaryShader(op: BinaryOp, dtype: DType): string {
  const expression = dtype === 'i32' ? binaryI32[op] : binaryF32[op];
  return `${buffer(0, 'a', dtype, 'read')}
${buffer(1, 'b', dtype, 'read')}
${buffer(2, 'y', dtype, 'read_write')}
${params(3)}
${main1d(`  if (i >= p[0]) { return; }
  let rank = p[1];
  var rest = i;
  var ai = 0u;
  var bi = 0u;
  for (var d = i32(rank) - 1; d >= 0; d = d - 1) {
    let k = u32(d);
    let extent = p[2u + k];
    let index = rest % extent;
    rest = rest / extent;
    ai = ai + index * p[2u + rank + k];
    bi = bi + index * p[2u + 2u * rank + k];
  }
  let u = a[ai];
  let w = b[bi];
  y[i] = ${expression};`)}`;
}

/** Float → int truncates toward zero (saturating in WGSL); int → float rounds. p = [n]. */
export function castShader(from: DType, to: DType): string {
  const expression = from === to ? 'x[i]' : to === 'i32' ? 'i32(x[i])' : 'f32(x[i])';
  return `${buffer(0, 'x', from, 'read')}
${buffer(1, 'y', to, 'read_write')}
${params(2)}
${main1d(`  if (i < p[0]) { y[i] = ${expression}; }`)}`;
}

/** lowbias32 counter RNG, bit-identical to core's random.ts. p = [n, seed, offset]. */
export const RANDOM_UNIFORM = `${buffer(0, 'y', 'f32', 'read_write')}
${params(1)}
fn lowbias32(value: u32) -> u32 {
  var x = value;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  x = x ^ (x >> 16u);
  return x;
}
${main1d(`  if (i >= p[0]) { return; }
  let seed = p[1];
  let key = lowbias32(seed ^ 0x9e3779b9u);
  let bits = lowbias32(lowbias32((p[2] + i) ^ key) + seed);
  y[i] = f32(bits >> 8u) / 16777216.0;`)}`;
