import { activeBackend } from '../engine';
import { formatShape } from '../shape';
import { record } from '../tape';
import { fromStorage, type Tensor } from '../tensor';
import { add, div, mul, sub } from './binary';
import { mean } from './reduce';
import { sqrt } from './unary';
import { backendFor, expectDtype, expectTensor, shapeError, storage } from './validate';

function checkLayerNormShapes(op: string, x: Tensor, gamma: Tensor, beta: Tensor): number {
  const C = x.shape[x.rank - 1];
  if (C === undefined || gamma.rank !== 1 || beta.rank !== 1 || gamma.shape[0] !== C || beta.shape[0] !== C) {
    throw shapeError(
      op,
      'x [..., C] with gamma [C] and beta [C]',
      `x ${formatShape(x.shape)}, gamma ${formatShape(gamma.shape)}, beta ${formatShape(beta.shape)}`,
    );
  }
  return C;
}

/**
 * Layer normalisation over the last axis: (x - μ) / √(σ² + ε) · γ + β, σ² the biased variance
 * (as PyTorch). x [..., C], gamma and beta [C]. Fused kernel `layerNorm` when the backend has one.
 */
export function layerNorm(input: Tensor, gammaInput: Tensor, betaInput: Tensor, epsilon = 1e-5): Tensor {
  const x = expectTensor('layerNorm', 'x', input);
  const gamma = expectTensor('layerNorm', 'gamma', gammaInput);
  const beta = expectTensor('layerNorm', 'beta', betaInput);
  for (const [name, t] of [
    ['x', x],
    ['gamma', gamma],
    ['beta', beta],
  ] as const)
    expectDtype('layerNorm', name, t, ['f32']);
  const C = checkLayerNormShapes('layerNorm', x, gamma, beta);
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
    return [fromStorage(backend, grads.dx, x.shape, 'f32'), fromStorage(backend, grads.dgamma, [C], 'f32'), fromStorage(backend, grads.dbeta, [C], 'f32')];
  });
}

/** What `addLayerNorm` returns: the new residual stream and its layer norm. */
export interface AddLayerNormResult {
  /** x + residual: the stream the next residual add reads. */
  readonly sum: Tensor;
  /** layerNorm(sum, gamma, beta, epsilon). */
  readonly y: Tensor;
}

/**
 * The residual add and the layer norm that follows it in a pre-LN Transformer block, as one
 * kernel: `sum = x + residual`, `y = layerNorm(sum, gamma, beta, epsilon)`. x and residual have
 * the same shape [..., C]; gamma and beta are [C]. Fused kernel `addLayerNorm` when the backend
 * has one (one pass, no separate sum kernel); otherwise `add` then `layerNorm`, the same values.
 * Gradients flow through both outputs.
 */
export function addLayerNorm(input: Tensor, residualInput: Tensor, gammaInput: Tensor, betaInput: Tensor, epsilon = 1e-5): AddLayerNormResult {
  const op = 'addLayerNorm';
  const x = expectTensor(op, 'x', input);
  const residual = expectTensor(op, 'residual', residualInput);
  const gamma = expectTensor(op, 'gamma', gammaInput);
  const beta = expectTensor(op, 'beta', betaInput);
  for (const [name, t] of [
    ['x', x],
    ['residual', residual],
    ['gamma', gamma],
    ['beta', beta],
  ] as const)
    expectDtype(op, name, t, ['f32']);
  if (formatShape(x.shape) !== formatShape(residual.shape)) {
    throw shapeError(
      op,
      'x and residual of the same shape',
      `x ${formatShape(x.shape)}, residual ${formatShape(residual.shape)}`,
      'addLayerNorm does not broadcast; use add then layerNorm',
    );
  }
  const C = checkLayerNormShapes(op, x, gamma, beta);
  const backend = backendFor(op, [x, residual, gamma, beta]);
  const fused = activeBackend(op).fused?.addLayerNorm;
  if (fused === undefined) {
    const sum = add(x, residual);
    return { sum, y: layerNorm(sum, gamma, beta, epsilon) };
  }
  const rows = x.size / Math.max(C, 1);
  const s = (t: Tensor): object => storage(t, op);
  const result = fused.forward(s(x), s(residual), s(gamma), s(beta), rows, C, epsilon);
  const sum = record(fromStorage(backend, result.sum, x.shape, 'f32'), 'add', [x, residual], (dy) => [dy, dy]);
  const stats = fromStorage(backend, result.stats, [2, rows], 'f32');
  const y = record(fromStorage(backend, result.y, x.shape, 'f32'), op, [sum, gamma, beta], (dy) => {
    const grads = fused.backward(s(dy), s(sum), s(gamma), s(stats), rows, C);
    return [fromStorage(backend, grads.dx, x.shape, 'f32'), fromStorage(backend, grads.dgamma, [C], 'f32'), fromStorage(backend, grads.dbeta, [C], 'f32')];
  });
  return { sum, y };
}
