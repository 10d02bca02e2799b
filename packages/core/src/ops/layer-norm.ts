import { activeBackend } from '../engine';
import { formatShape } from '../shape';
import { record } from '../tape';
import { fromStorage, type Tensor } from '../tensor';
import { add, div, mul, sub } from './binary';
import { mean } from './reduce';
import { sqrt } from './unary';
import { backendFor, expectDtype, expectTensor, shapeError, storage } from './validate';

/**
 * Layer normalisation over the last axis: (x - μ) / √(σ² + ε) · γ + β, σ² the biased variance
 * (as PyTorch). x [..., C], gamma and beta [C]. Fused kernel `layerNorm` when the backend has one.
 */
export function layerNorm(input: Tensor, gammaInput: Tensor, betaInput: Tensor, epsilon = 1e-5): Tensor {
  const x = expectTensor('layerNorm', 'x', input);
  const gamma = expectTensor('layerNorm', 'gamma', gammaInput);
  const beta = expectTensor('layerNorm', 'beta', betaInput);
  for (const [name, t] of [['x', x], ['gamma', gamma], ['beta', beta]] as const) expectDtype('layerNorm', name, t, ['f32']);
  const C = x.shape[x.rank - 1];
  if (C === undefined || gamma.rank !== 1 || beta.rank !== 1 || gamma.shape[0] !== C || beta.shape[0] !== C) {
    throw shapeError(
      'layerNorm',
      'x [..., C] with gamma [C] and beta [C]',
      `x ${formatShape(x.shape)}, gamma ${formatShape(gamma.shape)}, beta ${formatShape(beta.shape)}`,
    );
  }
  const backend = backendFor('layerNorm', [x, gamma, beta]);
  const fused = activeBackend('layerNorm').fused?.layerNorm;
  if (fused === undefined) {
    const centered = sub(x, mean(x, -1, { keepDims: true }));
    const variance = mean(mul(centered, centered), -1, { keepDims: true });
    const normalized = div(centered, sqrt(add(variance, epsilon)));
    return add(mul(normalized, gamma), beta);
  }
  const rows = x.size / Math.max(C, 1);
  const s = (t: Tensor): object => storage(t, 'layerNorm');
  const result = fused.forward(s(x), s(gamma), s(beta), rows, C, epsilon);
  const y = fromStorage(backend, result.y, x.shape, 'f32');
  const saved = [fromStorage(backend, result.mean, [rows], 'f32'), fromStorage(backend, result.rstd, [rows], 'f32')] as const;
  return record(y, 'layerNorm', [x, gamma, beta], (dy) => {
    const grads = fused.backward(s(dy), s(x), s(gamma), s(saved[0]), s(saved[1]), rows, C);
    return [
      fromStorage(backend, grads.dx, x.shape, 'f32'),
      fromStorage(backend, grads.dgamma, [C], 'f32'),
      fromStorage(backend, grads.dbeta, [C], 'f32'),
    ];
  });
}
