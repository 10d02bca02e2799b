import type { TypedArray } from '../backend';
import { formatShape } from '../shape';
import { replaceStorage } from '../tensor-storage';
import { fromStorage, type Tensor } from '../tensor';
import { argumentError, backendFor, expectTensor, sameShape, shapeError } from './validate';

/**
 * `target ← value`, for optimizers and other update rules written with ops (SGD, schedules):
 * the target keeps its identity (parameter maps, optimizer state) and takes value's storage;
 * `value` is consumed. Not recorded for autograd. Shapes, dtypes and backends must match;
 * nothing changes when they do not.
 */
export function assign(targetInput: Tensor, valueInput: Tensor): void {
  const target = expectTensor('assign', 'target', targetInput);
  const value = expectTensor('assign', 'value', valueInput);
  if (!sameShape(target.shape, value.shape) || target.dtype !== value.dtype) {
    throw shapeError(
      'assign',
      `a value of the target's shape and dtype (${target.dtype} ${formatShape(target.shape)})`,
      `${value.dtype} ${formatShape(value.shape)}`,
    );
  }
  backendFor('assign', [target, value]);
  replaceStorage(target, value);
}

/**
 * `target ← values` from an array, for buffers refreshed every step (a data-parallel replica's
 * copy of the parameters): `values` is a `Float32Array` (f32) or `Int32Array` (i32) of exactly
 * `target.size` elements, copied into the target's storage in place where the backend can write
 * (cpu, wasm: no allocation, views made by `reshape` see the new values) and into new storage
 * elsewhere (as `assign`). The caller keeps `values`. Not recorded for autograd: refresh a
 * tensor between steps, not while a graph that saved it is still to be differentiated.
 */
export function assignValues(targetInput: Tensor, values: TypedArray): void {
  const target = expectTensor('assignValues', 'target', targetInput);
  const type = target.dtype === 'f32' ? Float32Array : Int32Array;
  if (!(values instanceof type) || values.length !== target.size) {
    const got = ArrayBuffer.isView(values)
      ? `${/^[AEIOU]/.test(values.constructor.name) ? 'an' : 'a'} ${values.constructor.name} of ${(values as TypedArray).length} elements`
      : typeof values;
    throw argumentError(
      'assignValues',
      `${type === Int32Array ? 'an' : 'a'} ${type.name} of ${target.size} elements (the target is ${target.dtype} ${formatShape(target.shape)})`,
      got,
      `pass ${type === Int32Array ? 'an' : 'a'} ${type.name} (or a subarray) of the target's size`,
    );
  }
  const { backend, storage } = target.handle('assignValues');
  if (backend.write !== undefined) backend.write(storage, values, target.dtype);
  else replaceStorage(target, fromStorage(backend, backend.upload(values, target.dtype), target.shape, target.dtype));
}
