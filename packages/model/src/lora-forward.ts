/**
 * LoRA on the activations ("x-path"), as PEFT's `lora.Linear.forward` computes it:
 * y = x·W + b + scale·(drop(x)·Aᵀ)·Bᵀ. Unlike W + scale·ΔW (applyLora), this never forms an
 * [in, out] matrix: forward and backward cost N·rank·(in + out) per projection, no gradient for W
 * is computed, and LoRA dropout drops the LoRA input only, exactly as PEFT does. A and B have the
 * same shapes for either weight layout, so `fanInFanOut` does not matter here.
 */
import { matmul, mul, type Tensor } from '@wattformer/core';
import { modelError } from './errors';
import { loraScale } from './lora-config';
import { checkLoraFit, loraTensorName } from './lora-modules';
import type { LoraAdapter } from './lora';

/**
 * The LoRA term for `module`'s output, scale·(drop(x)·Aᵀ)·Bᵀ: x [N, in] → [N, out]; null when
 * the adapter does not cover `module`. `drop(x, rate)` is the caller's seeded dropout (the
 * identity outside training); it is called only when `config.dropout > 0`.
 */
export function loraDelta(x: Tensor, adapter: LoraAdapter, module: string, drop: (x: Tensor, rate: number) => Tensor): Tensor | null {
  const a = adapter.parameters.get(loraTensorName(module, 'A')); // [rank, in]
  if (a === undefined) return null;
  const b = adapter.parameters.get(loraTensorName(module, 'B'))!; // [out, rank]
  const rate = adapter.config.dropout ?? 0;
  const input = rate > 0 ? drop(x, rate) : x;
  const scale = loraScale(adapter.config);
  const down = matmul(input, a, { transposeB: true }); // (N, rank)
  // Scaling the (N, rank) activations, not the (N, out) result: the same product, rank/out of the work.
  return matmul(scale === 1 ? down : mul(down, scale), b, { transposeB: true }); // (N, out)
}

const GPT_PROJECTION = /^transformer\.h\.\d+\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)$/;

/** For gpt.ts, once per forward: the adapter fits `p` and adapts block projections only (where the forward adds it). */
export function checkGptLora(p: ReadonlyMap<string, Tensor>, adapter: LoraAdapter): void {
  for (const { module } of checkLoraFit(p, adapter, 'gpt')) {
    if (!GPT_PROJECTION.test(module)) {
      throw modelError(
        'gpt',
        'LoRA on block projections (attn.c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj) for options.lora',
        `'${loraTensorName(module, 'A')}'`,
        'merge adapters on other weights with applyLora or mergeLora',
        'E_UNSUPPORTED',
      );
    }
  }
}
