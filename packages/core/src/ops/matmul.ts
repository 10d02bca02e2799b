import { matmulDims, type MatmulOptions } from '../matmul-contract';
import { formatShape } from '../shape';
import { record } from '../tape';
import { fromStorage, type Tensor } from '../tensor';
import { reshape } from './movement';
import { backendFor, checkFits, expectDtype, expectTensor, shapeError, storage } from './validate';

/** The kernel: rank 2 or rank 3 with equal batch, validated by `matmulDims`. */
function matmulKernel(a: Tensor, b: Tensor, options: MatmulOptions): Tensor {
  const dims = matmulDims(a.shape, b.shape, options);
  const backend = backendFor('matmul', [a, b]);
  checkFits('matmul', backend, dims.outShape, 'f32', [a, b]);
  const c = fromStorage(backend, backend.matmul(storage(a, 'matmul'), storage(b, 'matmul'), dims), dims.outShape, 'f32');
  const { transposeA, transposeB } = dims;
  // C = op(A)·op(B); each case below is dC routed back through the same kernel with flags.
  return record(c, 'matmul', [a, b], (dc) => [
    a.requiresGrad ? (transposeA ? matmulKernel(b, dc, { transposeA: transposeB, transposeB: true }) : matmulKernel(dc, b, { transposeB: !transposeB })) : null,
    b.requiresGrad ? (transposeB ? matmulKernel(dc, a, { transposeA: true, transposeB: transposeA }) : matmulKernel(a, dc, { transposeA: !transposeA })) : null,
  ]);
}

/**
 * Matrix product with optional transposes. Accepts [M,K]·[K,N]; batched [...,M,K]·[...,K,N] with
 * equal leading dimensions; and [...,M,K]·[K,N] (a shared weight, as in a linear layer), which is
 * folded into one [(…·M),K]·[K,N] product.
 */
export function matmul(left: Tensor, right: Tensor, options: MatmulOptions = {}): Tensor {
  const a = expectTensor('matmul', 'a', left);
  const b = expectTensor('matmul', 'b', right);
  expectDtype('matmul', 'a', a, ['f32']);
  expectDtype('matmul', 'b', b, ['f32']);
  if (a.rank < 2 || b.rank < 2) {
    throw shapeError('matmul', 'operands of rank 2 or more', `A ${formatShape(a.shape)} and B ${formatShape(b.shape)}`);
  }
  if (a.rank <= 3 && a.rank === b.rank) return matmulKernel(a, b, options);
  if (b.rank === 2 && !options.transposeA) {
    const k = a.shape[a.rank - 1]!;
    const folded = matmulKernel(reshape(a, [-1, k]), b, options);
    return reshape(folded, [...a.shape.slice(0, -1), folded.shape[1]!]);
  }
  if (a.rank === b.rank && a.shape.slice(0, -2).every((n, d) => n === b.shape[d])) {
    const batchA = reshape(a, [-1, ...a.shape.slice(-2)]);
    const batchB = reshape(b, [-1, ...b.shape.slice(-2)]);
    const c = matmulKernel(batchA, batchB, options);
    return reshape(c, [...a.shape.slice(0, -2), ...c.shape.slice(1)]);
  }
  throw shapeError(
    'matmul',
    'equal leading (batch) dimensions, or a rank-2 B',
    `A ${formatShape(a.shape)} and B ${formatShape(b.shape)}`,
    'reshape both operands to [batch, M, K] and [batch, K, N]',
  );
}
