import { buffer, main1d, mainPerRow, NEG_INFINITY, params } from './wgsl';

/**
 * Cross-entropy, pass 1 (a workgroup per row): probabilities of each row of [rows, V] and its loss
 * (logsumexp − x[target]; 0 for ignored rows). A target outside [0, V) that is not the ignore
 * index cannot be refused synchronously on a GPU: its row loss is NaN, so the mean is NaN.
 * p = [rows, V, ignoreIndex (i32 bits)].
 */
export const CROSS_ENTROPY_ROWS = `${buffer(0, 'x', 'f32', 'read')}
${buffer(1, 'targets', 'i32', 'read')}
${buffer(2, 'probabilities', 'f32', 'read_write')}
${buffer(3, 'rowLoss', 'f32', 'read_write')}
${params(4)}
${mainPerRow(`  if (row >= p[0]) { return; }
  let V = p[1];
  let o = row * V;
  var laneMax = ${NEG_INFINITY};
  for (var c = lane; c < V; c = c + 64u) { laneMax = max(laneMax, x[o + c]); }
  let m = workgroupMax(laneMax, lane);
  var laneSum = 0.0;
  for (var c = lane; c < V; c = c + 64u) { laneSum = laneSum + exp(x[o + c] - m); }
  let s = workgroupSum(laneSum, lane);
  for (var c = lane; c < V; c = c + 64u) { probabilities[o + c] = exp(x[o + c] - m) / s; }
  if (lane != 0u) { return; }
  let t = targets[row];
  if (t == bitcast<i32>(p[2])) { rowLoss[row] = 0.0; return; }
  if (t < 0 || t >= i32(V)) { var nanBits = 0x7fc00000u; rowLoss[row] = bitcast<f32>(nanBits); return; }
  rowLoss[row] = m + log(s) - x[o + u32(t)];`)}`;

/** Cross-entropy, pass 2 (one invocation): loss = Σ rowLoss / max(counted rows, 1). p = [rows, ignoreIndex]. */
export const CROSS_ENTROPY_MEAN = `${buffer(0, 'rowLoss', 'f32', 'read')}
${buffer(1, 'targets', 'i32', 'read')}
${buffer(2, 'loss', 'f32', 'read_write')}
${params(3)}
${main1d(`  if (i > 0u) { return; }
  var total = 0.0;
  var counted = 0u;
  for (var r = 0u; r < p[0]; r = r + 1u) {
    total = total + rowLoss[r];
    if (targets[r] != bitcast<i32>(p[1])) { counted = counted + 1u; }
  }
  loss[0] = total / f32(max(counted, 1u));`)}`;

/** Cross-entropy backward, pass 1 (one invocation): scale = dLoss / max(counted rows, 1). p = [rows, ignoreIndex]. */
export const CROSS_ENTROPY_SCALE = `${buffer(0, 'dLoss', 'f32', 'read')}
${buffer(1, 'targets', 'i32', 'read')}
${buffer(2, 'scale', 'f32', 'read_write')}
${params(3)}
${main1d(`  if (i > 0u) { return; }
  var counted = 0u;
  for (var r = 0u; r < p[0]; r = r + 1u) {
    if (targets[r] != bitcast<i32>(p[1])) { counted = counted + 1u; }
  }
  scale[0] = dLoss[0] / f32(max(counted, 1u));`)}`;

/** Cross-entropy backward, pass 2: dx = (P − onehot(target)) · scale, zero on ignored rows. p = [n, V, ignoreIndex]. */
export const CROSS_ENTROPY_BACKWARD = `${buffer(0, 'probabilities', 'f32', 'read')}
${buffer(1, 'targets', 'i32', 'read')}
${buffer(2, 'scale', 'f32', 'read')}
${buffer(3, 'dx', 'f32', 'read_write')}
${params(4)}
${main1d(`  if (i >= p[0]) { return; }
  let V = p[1];
  let t = targets[i / V];
  if (t == bitcast<i32>(p[2])) { dx[i] = 0.0; return; }
  let hot = select(0.0, 1.0, i32(i % V) == t);
  dx[i] = (probabilities[i] - hot) * scale[0];`)}`;
