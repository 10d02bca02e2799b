import type { AttentionPlan, Backend } from '../backend';
import { formatShape } from '../shape';
import { noGrad, record } from '../tape';
import { fromStorage, type Tensor } from '../tensor';
import { add, mul, sub } from './binary';
import { tensor } from './creation';
import { matmul } from './matmul';
import { permute, reshape } from './movement';
import { softmax } from './softmax';
import { argumentError, backendFor, expectDtype, expectTensor, shapeError, storage } from './validate';

/** Options of `attention`: causal masking, score scale and a key padding mask. */
export interface AttentionOptions {
  readonly numHeads: number;
  /** Query i attends keys j <= i only (top-left aligned, as PyTorch's is_causal). */
  readonly causal?: boolean;
  /** f32 [B, Tk]: 1 where the key is real, 0 where it is padding. */
  readonly keyMask?: Tensor;
  /** Score scale; 1/√D by default. */
  readonly scale?: number;
}

/** The score added where attention is masked: finite, so fully masked rows stay finite. */
export const MASKED_SCORE = -1e9;

const causalBiases = new WeakMap<Backend, Map<string, Tensor>>();

/** [Tq, Tk] with 0 on and below the diagonal and MASKED_SCORE above; cached per backend. */
function causalBias(backend: Backend, Tq: number, Tk: number): Tensor {
  let cache = causalBiases.get(backend);
  if (cache === undefined) causalBiases.set(backend, (cache = new Map()));
  const key = `${Tq}x${Tk}`;
  let bias = cache.get(key);
  if (bias === undefined || bias.isDisposed) {
    const values = new Float32Array(Tq * Tk);
    for (let i = 0; i < Tq; i++) for (let j = i + 1; j < Tk; j++) values[i * Tk + j] = MASKED_SCORE;
    bias = tensor(values, [Tq, Tk]).keep();
    cache.set(key, bias);
  }
  return bias;
}

function attentionPlan(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions): AttentionPlan {
  for (const [name, t] of [
    ['q', q],
    ['k', k],
    ['v', v],
  ] as const)
    expectDtype('attention', name, t, ['f32']);
  const H = options.numHeads;
  const [B, Tq, C] = q.shape as [number, number, number];
  const Tk = k.shape[1]!;
  const shapes = `q ${formatShape(q.shape)}, k ${formatShape(k.shape)}, v ${formatShape(v.shape)}`;
  if (q.rank !== 3 || k.rank !== 3 || v.rank !== 3 || k.shape[0] !== B || v.shape[0] !== B || k.shape[2] !== C || v.shape[2] !== C || v.shape[1] !== Tk) {
    throw shapeError('attention', 'q [B, Tq, C], k and v [B, Tk, C]', shapes);
  }
  if (!Number.isInteger(H) || H <= 0 || C % H !== 0) {
    throw argumentError('attention', `numHeads dividing C = ${C}`, String(H));
  }
  const mask = options.keyMask;
  if (mask !== undefined && (mask.rank !== 2 || mask.shape[0] !== B || mask.shape[1] !== Tk || mask.dtype !== 'f32')) {
    throw shapeError('attention', `keyMask f32 [${B}, ${Tk}]`, `${mask.dtype} ${formatShape(mask.shape)}`);
  }
  const D = C / H;
  return { B, H, Tq, Tk, D, causal: options.causal ?? false, scale: options.scale ?? 1 / Math.sqrt(D) };
}

/**
 * Multi-head scaled dot-product attention on [B, T, C] (projections are the caller's):
 * softmax(Q·Kᵀ·scale + masks)·V per head. Fused kernel `attention` (flash-style, memory linear in T)
 * when the backend has one; otherwise this default body materialises [B·H, Tq, Tk] scores.
 */
export function attention(qInput: Tensor, kInput: Tensor, vInput: Tensor, options: AttentionOptions): Tensor {
  const q = expectTensor('attention', 'q', qInput);
  const k = expectTensor('attention', 'k', kInput);
  const v = expectTensor('attention', 'v', vInput);
  const plan = attentionPlan(q, k, v, options);
  const mask = options.keyMask;
  const backend = backendFor('attention', mask ? [q, k, v, mask] : [q, k, v]);
  const fused = backend.fused?.attention;
  if (fused !== undefined) {
    const s = (t: Tensor): object => storage(t, 'attention');
    const maskStorage = mask ? s(mask) : null;
    const result = fused.forward(s(q), s(k), s(v), maskStorage, plan);
    const out = fromStorage(backend, result.out, q.shape, 'f32');
    const stats = fromStorage(backend, result.stats, [plan.B, plan.H, plan.Tq], 'f32');
    return record(out, 'attention', [q, k, v], (dOut) => {
      const grads = fused.backward(s(q), s(k), s(v), maskStorage, s(out), s(stats), s(dOut), plan);
      return [fromStorage(backend, grads.dq, q.shape, 'f32'), fromStorage(backend, grads.dk, k.shape, 'f32'), fromStorage(backend, grads.dv, v.shape, 'f32')];
    });
  }
  const { B, H, Tq, Tk, D } = plan;
  // [B, T, C] → [B, H, T, D] → [B·H, T, D]
  const heads = (t: Tensor, T: number): Tensor => reshape(permute(reshape(t, [B, T, H, D]), [0, 2, 1, 3]), [B * H, T, D]);
  let scores = mul(matmul(heads(q, Tq), heads(k, Tk), { transposeB: true }), plan.scale); // (B·H, Tq, Tk)
  if (plan.causal) scores = add(scores, causalBias(backend, Tq, Tk));
  if (mask !== undefined) {
    const bias = noGrad(() => reshape(mul(sub(mask, 1), -MASKED_SCORE), [B, 1, 1, Tk]));
    scores = reshape(add(reshape(scores, [B, H, Tq, Tk]), bias), [B * H, Tq, Tk]);
  }
  const out = matmul(softmax(scores), heads(v, Tk)); // (B·H, Tq, D)
  return reshape(permute(reshape(out, [B, H, Tq, D]), [0, 2, 1, 3]), [B, Tq, H * D]);
}
