import type { FusedKernels } from '../backend';
import { activeBackend } from '../engine';
import { noGrad, record } from '../tape';
import { fromStorage, type Tensor } from '../tensor';
import { div, sub } from './binary';
import { max, sum } from './reduce';
import { exp, log } from './unary';
import { backendFor, expectDtype, expectTensor, normalizeAxis, storage } from './validate';

/** softmax and logSoftmax share one fused-kernel shape: rows × cols, backward from y and dy. */
type RowKernel = NonNullable<FusedKernels<object>['softmax']>;

function fusedRows(name: 'softmax' | 'logSoftmax', x: Tensor, kernel: RowKernel): Tensor {
  const cols = x.shape[x.rank - 1]!;
  const rows = x.size / Math.max(cols, 1);
  const backend = backendFor(name, [x]);
  const y = fromStorage(backend, kernel.forward(storage(x, name), rows, cols), x.shape, 'f32');
  return record(y, name, [x], (dy) => [fromStorage(backend, kernel.backward(storage(y, name), storage(dy, name), rows, cols), x.shape, 'f32')]);
}

function checked(name: string, input: Tensor, axis: number): { x: Tensor; a: number } {
  const x = expectTensor(name, 'x', input);
  expectDtype(name, 'x', x, ['f32']);
  return { x, a: normalizeAxis(name, axis, x.rank) };
}

/** exp(x - max) / Σ exp(x - max) along `axis` (last by default). Fused kernel `softmax` on the last axis. */
export function softmax(input: Tensor, axis = -1): Tensor {
  const { x, a } = checked('softmax', input, axis);
  const fused = activeBackend('softmax').fused?.softmax;
  if (fused !== undefined && a === x.rank - 1) return fusedRows('softmax', x, fused);
  // The shift is a constant to autograd: softmax does not depend on it.
  const shift = noGrad(() => max(x, a, { keepDims: true }));
  const e = exp(sub(x, shift));
  return div(e, sum(e, a, { keepDims: true }));
}

/** x - max - log Σ exp(x - max) along `axis`. Fused kernel `logSoftmax` on the last axis. */
export function logSoftmax(input: Tensor, axis = -1): Tensor {
  const { x, a } = checked('logSoftmax', input, axis);
  const fused = activeBackend('logSoftmax').fused?.logSoftmax;
  if (fused !== undefined && a === x.rank - 1) return fusedRows('logSoftmax', x, fused);
  const shift = noGrad(() => max(x, a, { keepDims: true }));
  const shifted = sub(x, shift);
  return sub(shifted, log(sum(exp(shifted), a, { keepDims: true })));
}
