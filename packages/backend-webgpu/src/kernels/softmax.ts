import { buffer, mainPerRow, NEG_INFINITY, params } from './wgsl';

// Softmax and log-softmax act on the last axis of a contiguous [rows, cols] tensor with one workgroup of 64
// per row (lanes stride over the columns, tree reductions combine them).

/** Max-subtracted softmax (log: x − logsumexp) per row. p = [rows, cols]. */
export function softmaxForward(log: boolean): string {
  const write = log ? 'y[o + c] = x[o + c] - lse;' : 'y[o + c] = exp(x[o + c] - m) / s;';
  return `${buffer(0, 'x', 'f32', 'read')}
${buffer(1, 'y', 'f32', 'read_write')}
${params(2)}
${mainPerRow(`  if (row >= p[0]) { return; }
  let cols = p[1];
  let o = row * cols;
  var laneMax = ${NEG_INFINITY};
  for (var c = lane; c < cols; c = c + 64u) { laneMax = max(laneMax, x[o + c]); }
  let m = workgroupMax(laneMax, lane);
  var laneSum = 0.0;
  for (var c = lane; c < cols; c = c + 64u) { laneSum = laneSum + exp(x[o + c] - m); }
  let s = workgroupSum(laneSum, lane);
  let lse = m + log(s);
  for (var c = lane; c < cols; c = c + 64u) { ${write} }`)}`;
}

/** softmax: dx = y ⊙ (dy − Σ dy ⊙ y); log-softmax: dx = dy − exp(y) · Σ dy. p = [rows, cols]. */
export function softmaxBackward(log: boolean): string {
  const term = log ? 'dy[o + c]' : 'dy[o + c] * y[o + c]';
  const write = log ? 'dx[o + c] = dy[o + c] - exp(y[o + c]) * total;' : 'dx[o + c] = y[o + c] * (dy[o + c] - total);';
  return `${buffer(0, 'y', 'f32', 'read')}
${buffer(1, 'dy', 'f32', 'read')}
${buffer(2, 'dx', 'f32', 'read_write')}
${params(3)}
${mainPerRow(`  if (row >= p[0]) { return; }
  let cols = p[1];
  let o = row * cols;
  var laneSum = 0.0;
  for (var c = lane; c < cols; c = c + 64u) { laneSum = laneSum + ${term}; }
  let total = workgroupSum(laneSum, lane);
  for (var c = lane; c < cols; c = c + 64u) { ${write} }`)}`;
}
