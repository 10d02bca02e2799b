import { buffer, main1d, params } from './wgsl';

// Movement kernels copy raw 32-bit words, so one shader serves f32 and i32.

/** out[idx] = x[offset + Σ idx_d · strides_d]. p = [n, rank, offset, outShape[rank], strides[rank]] (strides as i32 bits). */
export const COPY_STRIDED = `${buffer(0, 'x', 'u32', 'read')}
${buffer(1, 'y', 'u32', 'read_write')}
${params(2)}
${main1d(`  if (i >= p[0]) { return; }
  let rank = p[1];
  var rest = i;
  var source = i32(p[2]);
  for (var d = i32(rank) - 1; d >= 0; d = d - 1) {
    let k = u32(d);
    let extent = p[3u + k];
    source = source + i32(rest % extent) * bitcast<i32>(p[3u + rank + k]);
    rest = rest / extent;
  }
  y[i] = x[u32(source)];`)}`;

/** Zeros of outShape with x at `before`; one invocation per output. p = [n, rank, outShape[rank], inShape[rank], before[rank]]. */
export const PAD = `${buffer(0, 'x', 'u32', 'read')}
${buffer(1, 'y', 'u32', 'read_write')}
${params(2)}
${main1d(`  if (i >= p[0]) { return; }
  let rank = p[1];
  var rest = i;
  var source = 0u;
  var stride = 1u;
  var inside = true;
  for (var d = i32(rank) - 1; d >= 0; d = d - 1) {
    let k = u32(d);
    let extent = p[2u + k];
    let index = i32(rest % extent) - i32(p[2u + 2u * rank + k]);
    rest = rest / extent;
    let inExtent = p[2u + rank + k];
    if (index < 0 || index >= i32(inExtent)) { inside = false; }
    source = source + u32(max(index, 0)) * stride;
    stride = stride * inExtent;
  }
  y[i] = select(0u, x[source], inside);`)}`;

/**
 * x [outer, axisSize, inner], indices [count] → y [outer, count, inner]. Indices cannot be
 * range-checked synchronously on a GPU: an out-of-range index reads zeros. p = [n, axisSize, inner, count].
 */
export const GATHER = `${buffer(0, 'x', 'u32', 'read')}
${buffer(1, 'ids', 'i32', 'read')}
${buffer(2, 'y', 'u32', 'read_write')}
${params(3)}
${main1d(`  if (i >= p[0]) { return; }
  let axis = p[1];
  let inner = p[2];
  let count = p[3];
  let j = i % inner;
  let c = (i / inner) % count;
  let o = i / (inner * count);
  let id = ids[c];
  if (id < 0 || id >= i32(axis)) { y[i] = 0u; return; }
  y[i] = x[(o * axis + u32(id)) * inner + j];`)}`;

/**
 * The adjoint of gather, without atomics: one invocation per output element of
 * [outer, axisSize, inner] sums the updates whose index names its row, in index order, so
 * duplicates add deterministically. Out-of-range indices contribute nothing.
 * p = [n, axisSize, inner, count].
 */
export const SCATTER_ADD = `${buffer(0, 'updates', 'f32', 'read')}
${buffer(1, 'ids', 'i32', 'read')}
${buffer(2, 'y', 'f32', 'read_write')}
${params(3)}
${main1d(`  if (i >= p[0]) { return; }
  let axis = p[1];
  let inner = p[2];
  let count = p[3];
  let j = i % inner;
  let a = (i / inner) % axis;
  let o = i / (inner * axis);
  var total = 0.0;
  for (var c = 0u; c < count; c = c + 1u) {
    if (ids[c] == i32(a)) { total = total + updates[(o * count + c) * inner + j]; }
  }
  y[i] = total;`)}`;

/**
 * scatterAdd when the indices have a host copy: the host groups update positions by target row
 * (CSR: `starts` [axisSize + 1], `positions` [count], ascending within a row), so each output
 * element visits only its own updates, in index order as the cpu oracle adds them: O(count)
 * work in total instead of O(count) per output. p = [n, axisSize, inner, count].
 */
export const SCATTER_ADD_GROUPED = `${buffer(0, 'updates', 'f32', 'read')}
${buffer(1, 'starts', 'i32', 'read')}
${buffer(2, 'positions', 'i32', 'read')}
${buffer(3, 'y', 'f32', 'read_write')}
${params(4)}
${main1d(`  if (i >= p[0]) { return; }
  let axis = p[1];
  let inner = p[2];
  let count = p[3];
  let j = i % inner;
  let a = (i / inner) % axis;
  let o = i / (inner * axis);
  var total = 0.0;
  for (var k = starts[a]; k < starts[a + 1u]; k = k + 1) {
    total = total + updates[(o * count + u32(positions[k])) * inner + j];
  }
  y[i] = total;`)}`;
