import { buffer, main1d, params, pf } from './wgsl';

/**
 * AdamW in place over [n]: m, v moments, decoupled weight decay, then the bias-corrected step.
 * The decay factor 1 − lr·λ and corrections c1 = 1 − β1^t, c2 = 1 − β2^t are computed on the host
 * in f64. p = [n, lr, β1, β2, ε, 1 − lr·λ, c1, c2].
 */
export const ADAMW = `${buffer(0, 'param', 'f32', 'read_write')}
${buffer(1, 'grad', 'f32', 'read')}
${buffer(2, 'm', 'f32', 'read_write')}
${buffer(3, 'v', 'f32', 'read_write')}
${params(4)}
${main1d(`  if (i >= p[0]) { return; }
  let lr = ${pf(1)};
  let beta1 = ${pf(2)};
  let beta2 = ${pf(3)};
  let g = grad[i];
  let mi = beta1 * m[i] + (1.0 - beta1) * g;
  let vi = beta2 * v[i] + (1.0 - beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  let mHat = mi / ${pf(6)};
  let vHat = vi / ${pf(7)};
  param[i] = param[i] * ${pf(5)} - (lr * mHat) / (sqrt(vHat) + ${pf(4)});`)}`;
