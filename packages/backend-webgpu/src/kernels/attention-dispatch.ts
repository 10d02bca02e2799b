import type { AttentionPlan, FusedKernels } from '@wattformer/core';
import { f32Bits, type Binding, type GpuRuntime, type WebGpuStorage } from '../gpu-runtime';
import { ATTENTION_DELTA, ATTENTION_DKDV, ATTENTION_DQ, ATTENTION_FORWARD } from './attention';
import { chooseFlashTiles, FLASH_MAX_HEAD_DIM, flashBackwardKey, flashBackwardQuery, flashForward } from './attention-flash';

/** Storage buffers the attention backward kernels bind (9 + params); the WebGPU default limit is 8. */
export const ATTENTION_STORAGE_BUFFERS = 10;

/** Which kernels run a plan: the tiled ones for heads up to 128 wide, the per-row ones above. */
export function attentionRoute(plan: Pick<AttentionPlan, 'D'>): 'flash' | 'rows' {
  return plan.D <= FLASH_MAX_HEAD_DIM ? 'flash' : 'rows';
}

interface FlashShaders {
  readonly forward: string;
  readonly query: string;
  readonly key: string;
  readonly rows: number;
}

/**
 * The fused attention kernels: tiled flash-style forward and backward (`attention-flash.ts`), the
 * per-row kernels of `attention.ts` for heads wider than 128. Shaders are built once per head dim.
 */
export function createAttentionKernels(gpu: GpuRuntime): NonNullable<FusedKernels<WebGpuStorage>['attention']> {
  const bufferOf = (s: WebGpuStorage | GPUBuffer): GPUBuffer => ('bytes' in s ? s.buffer : s);
  const read = (s: WebGpuStorage | GPUBuffer): Binding => ({ buffer: bufferOf(s), access: 'read' });
  const write = (s: WebGpuStorage | GPUBuffer): Binding => ({ buffer: bufferOf(s), access: 'write' });
  const maskBinding = (mask: WebGpuStorage | null): Binding => read(mask ?? gpu.placeholder);
  const words = (threads: number, plan: AttentionPlan, hasMask: boolean): number[] => [
    threads,
    plan.H,
    plan.Tq,
    plan.Tk,
    plan.D,
    plan.causal ? 1 : 0,
    hasMask ? 1 : 0,
    f32Bits(plan.scale),
  ];
  const shaders = new Map<number, FlashShaders>();
  const flash = (D: number): FlashShaders => {
    let s = shaders.get(D);
    if (s === undefined) {
      const tiles = chooseFlashTiles(D);
      s = { forward: flashForward(tiles), query: flashBackwardQuery(tiles), key: flashBackwardKey(tiles), rows: tiles.rows };
      shaders.set(D, s);
    }
    return s;
  };
  /** One workgroup per (tile of `rows` rows of a sequence of T, b·h); nothing when T or B·H is 0. */
  const tiled = (code: string, bindings: Binding[], params: number[], T: number, rows: number, plan: AttentionPlan): void => {
    if (T > 0 && plan.B * plan.H > 0) gpu.dispatch(code, 'main', bindings, params, [Math.ceil(T / rows), plan.B * plan.H, 1]);
  };

  return {
    forward(q, k, v, keyMask, plan) {
      const { B, H, Tq, D } = plan;
      const out = gpu.allocate(B * Tq * H * D, 'attention');
      const stats = gpu.allocate(B * H * Tq, 'attention');
      const rows = B * H * Tq;
      const bindings = [read(q), read(k), read(v), maskBinding(keyMask), write(out), write(stats)];
      if (attentionRoute(plan) === 'flash') {
        const s = flash(D);
        tiled(s.forward, bindings, words(rows, plan, keyMask !== null), Tq, s.rows, plan);
      } else {
        gpu.dispatch1d(ATTENTION_FORWARD, 'main', bindings, words(rows, plan, keyMask !== null), rows);
      }
      return { out, stats };
    },
    backward(q, k, v, keyMask, out, stats, dOut, plan) {
      const { B, H, Tq, Tk, D } = plan;
      const dq = gpu.allocate(B * Tq * H * D, 'attention');
      const dk = gpu.allocate(B * Tk * H * D, 'attention');
      const dv = gpu.allocate(B * Tk * H * D, 'attention');
      const rows = B * H * Tq;
      const keys = B * H * Tk;
      const hasMask = keyMask !== null;
      const delta = gpu.scratch(rows);
      const inputs = [read(q), read(k), read(v), maskBinding(keyMask), read(stats), read(dOut), read(delta)];
      gpu.dispatch1d(ATTENTION_DELTA, 'main', [read(out), read(dOut), write(delta)], words(rows, plan, hasMask), rows);
      if (attentionRoute(plan) === 'flash') {
        const s = flash(D);
        tiled(s.query, [...inputs, write(dq)], words(rows, plan, hasMask), Tq, s.rows, plan);
        tiled(s.key, [...inputs, write(dk), write(dv)], words(keys, plan, hasMask), Tk, s.rows, plan);
      } else {
        gpu.dispatch1d(ATTENTION_DQ, 'main', [...inputs, write(dq)], words(rows, plan, hasMask), rows);
        gpu.dispatch1d(ATTENTION_DKDV, 'main', [...inputs, write(dk), write(dv)], words(keys, plan, hasMask), keys);
      }
      gpu.pool.release(delta);
      return { dq, dk, dv };
    },
  };
}
