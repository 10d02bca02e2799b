import { formatShape } from '../shape';
import { record } from '../tape';
import { fromStorage, type Tensor } from '../tensor';
import { backendFor, checkFits, expectDtype, expectTensor, normalizeAxis, shapeError, sizeOf, storage } from './validate';

/**
 * Picks slices of x along `axis` by i32 indices of any shape: out.shape = x.shape[:axis] ++
 * indices.shape ++ x.shape[axis+1:]. The gradient scatter-adds back (repeated indices sum).
 */
export function gather(input: Tensor, indicesInput: Tensor, axis = 0): Tensor {
  const x = expectTensor('gather', 'x', input);
  const indices = expectTensor('gather', 'indices', indicesInput);
  expectDtype('gather', 'indices', indices, ['i32']);
  const a = normalizeAxis('gather', axis, x.rank);
  const plan = {
    outer: sizeOf(x.shape.slice(0, a)),
    axisSize: x.shape[a]!,
    inner: sizeOf(x.shape.slice(a + 1)),
    count: indices.size,
  };
  const outShape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  const backend = backendFor('gather', [x, indices]);
  checkFits('gather', backend, outShape, x.dtype, [x, indices]);
  const out = fromStorage(backend, backend.gather(storage(x, 'gather'), storage(indices, 'gather'), plan, x.dtype), outShape, x.dtype);
  return record(out, 'gather', [x], (dy) => [
    fromStorage(backend, backend.scatterAdd(storage(dy, 'gather'), storage(indices, 'gather'), plan), x.shape, 'f32'),
  ]);
}

/** Rows of `weight` [V, C] for token ids [...]: out [..., C]. Gradient: scatter-add into [V, C]. */
export function embedding(weight: Tensor, ids: Tensor): Tensor {
  const w = expectTensor('embedding', 'weight', weight);
  if (w.rank !== 2) throw shapeError('embedding', 'weight of rank 2 [vocabulary, channels]', formatShape(w.shape));
  return gather(w, ids, 0);
}
