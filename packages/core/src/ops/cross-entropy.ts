import type { Backend } from '../backend';
import { formatShape } from '../shape';
import { noGrad, record } from '../tape';
import { fromStorage, type Tensor } from '../tensor';
import { add, div, equal, maximum, mul, sub } from './binary';
import { arange } from './creation';
import { gather } from './gather';
import { reshape } from './movement';
import { sum } from './reduce';
import { logSoftmax } from './softmax';
import { cast, neg } from './unary';
import { argumentError, backendFor, expectDtype, expectTensor, shapeError, storage } from './validate';

/** Options of `softmaxCrossEntropy`, e.g. the target index whose rows count for nothing. */
export interface CrossEntropyOptions {
  /** Targets equal to this count for nothing (padding). Default -100, as PyTorch. */
  readonly ignoreIndex?: number;
}

const rowStarts = new WeakMap<Backend, Map<string, Tensor>>();

/** i32 [rows]: r · cols, to pick element (r, target_r) of a flattened [rows · cols]; cached. */
function rowOffsets(backend: Backend, rows: number, cols: number): Tensor {
  let cache = rowStarts.get(backend);
  if (cache === undefined) rowStarts.set(backend, (cache = new Map()));
  const key = `${rows}x${cols}`;
  let offsets = cache.get(key);
  if (offsets === undefined || offsets.isDisposed) {
    offsets = mul(arange(rows), cols).keep();
    cache.set(key, offsets);
  }
  return offsets;
}

/**
 * Targets are data: a target ≥ V would silently pick another row's logit in the default body, so
 * they are range-checked on the host before anything runs, on backends that read synchronously
 * (cpu, wasm: a copy of B·T ints). Async backends (WebGPU) rely on their fused kernel.
 */
function checkTargets(backend: Backend, targets: Tensor, V: number, ignoreIndex: number): void {
  if (backend.readSync === undefined) return;
  const values = backend.readSync(storage(targets, 'softmaxCrossEntropy'), 'i32', targets.size);
  for (let i = 0; i < values.length; i++) {
    const t = values[i]!;
    if (t !== ignoreIndex && (t < 0 || t >= V)) {
      throw argumentError('softmaxCrossEntropy', `targets in [0, ${V}) or the ignore index ${ignoreIndex}`, `${t} at position ${i}`);
    }
  }
}

/**
 * Mean cross-entropy of softmax(logits) against integer targets, skipping `ignoreIndex`:
 * logits f32 [..., V], targets i32 [...] → scalar. Fused kernel `softmaxCrossEntropy` when the
 * backend has one (it never materialises log-probabilities twice).
 */
export function softmaxCrossEntropy(logitsInput: Tensor, targetsInput: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const logits = expectTensor('softmaxCrossEntropy', 'logits', logitsInput);
  const targets = expectTensor('softmaxCrossEntropy', 'targets', targetsInput);
  expectDtype('softmaxCrossEntropy', 'logits', logits, ['f32']);
  expectDtype('softmaxCrossEntropy', 'targets', targets, ['i32']);
  const V = logits.shape[logits.rank - 1];
  if (V === undefined || targets.rank !== logits.rank - 1 || targets.shape.some((n, d) => n !== logits.shape[d])) {
    throw shapeError(
      'softmaxCrossEntropy',
      'logits [..., V] and targets [...] with the same leading dimensions',
      `logits ${formatShape(logits.shape)} and targets ${formatShape(targets.shape)}`,
    );
  }
  const ignoreIndex = options.ignoreIndex ?? -100;
  const rows = targets.size;
  const backend = backendFor('softmaxCrossEntropy', [logits, targets]);
  checkTargets(backend, targets, V, ignoreIndex);
  const fused = backend.fused?.softmaxCrossEntropy;
  if (fused !== undefined) {
    const s = (t: Tensor): object => storage(t, 'softmaxCrossEntropy');
    const result = fused.forward(s(logits), s(targets), rows, V, ignoreIndex);
    const loss = fromStorage(backend, result.loss, [], 'f32');
    const probabilities = fromStorage(backend, result.probabilities, [rows, V], 'f32');
    return record(loss, 'softmaxCrossEntropy', [logits], (dLoss) => [
      fromStorage(backend, fused.backward(s(probabilities), s(targets), s(dLoss), rows, V, ignoreIndex), logits.shape, 'f32'),
    ]);
  }
  const flatTargets = reshape(targets, [rows]);
  const { picks, weights } = noGrad(() => {
    const ignored = equal(flatTargets, ignoreIndex); // i32 [rows], 1 where ignored
    // Ignored rows point at column 0 so the gather stays in range; their weight is 0 anyway.
    const safeTargets = mul(flatTargets, sub(1, ignored));
    // -1 where counted, 0 where ignored: the loss is -mean log p over counted rows.
    return { picks: add(rowOffsets(backend, rows, V), safeTargets), weights: sub(cast(ignored, 'f32'), 1) };
  });
  const logProbabilities = reshape(logSoftmax(reshape(logits, [rows, V])), [rows * V]);
  const picked = gather(logProbabilities, picks, 0); // [rows]
  const count = noGrad(() => maximum(neg(sum(weights)), 1));
  return div(sum(mul(picked, weights)), count);
}
