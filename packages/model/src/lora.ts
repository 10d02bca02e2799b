/**
 * LoRA adapters for any model that takes a parameter Map (the GPT here, with Hugging Face GPT-2
 * names): create A and B for the targeted projections, apply them as W + scale·ΔW inside a
 * training step (differentiable w.r.t. A and B only, so the base stays frozen), or merge them
 * into new weights for inference. ΔW = B·A for nn.Linear weights [out, in] and (B·A)ᵀ = Aᵀ·Bᵀ
 * for Conv1D weights [in, out] (`fanInFanOut`), as PEFT computes it.
 */
import { add, keep, matmul, mul, noGrad, rand, sub, tidy, zeros, type Tensor } from '@wattformer/core';
import { modelError } from './errors';
import { checkLoraConfig, loraScale, type LoraConfig } from './lora-config';
import { checkLoraFit, loraTensorName, targetModules } from './lora-modules';

/** A LoRA adapter: its config and its trainable A/B tensors under PEFT names. */
export interface LoraAdapter {
  readonly config: LoraConfig;
  /** Trainable tensors with PEFT names: `base_model.model.<module>.lora_A.weight` [rank, in], `….lora_B.weight` [out, rank]. */
  readonly parameters: Map<string, Tensor>;
}

/** Options of `applyLora` (merging an adapter into the base weights): whether this is a training step. */
export interface ApplyLoraOptions {
  /**
   * Training step (default false). With `config.dropout > 0` this is refused: PEFT drops the
   * layer input on the LoRA path only, which a merged weight cannot express; the GPT forward
   * pass's `lora` option (lora-forward.ts) does it.
   */
  readonly training?: boolean;
}

/**
 * New LoRA matrices for every projection of `base` that `config.targets` selects, initialised as
 * PEFT does: A ~ kaiming-uniform(a = √5), i.e. U(−1/√in, 1/√in), and B = 0, so the adapted model
 * starts equal to the base. Tensors are kept (they survive `tidy`). `seed` makes A reproducible;
 * without it the global `setSeed` stream is used.
 */
export function createLora(base: ReadonlyMap<string, Tensor>, config: LoraConfig, seed?: number): LoraAdapter {
  const op = 'createLora';
  checkLoraConfig(config, op);
  const modules = targetModules(base, config, op);
  const parameters = new Map<string, Tensor>();
  noGrad(() =>
    tidy(() => {
      modules.forEach(({ module, inFeatures, outFeatures }, index) => {
        const bound = 1 / Math.sqrt(inFeatures);
        const uniform = rand([config.rank, inFeatures], seed === undefined ? {} : { seed: seed * 1000 + index });
        parameters.set(loraTensorName(module, 'A'), keep(sub(mul(uniform, 2 * bound), bound)));
        parameters.set(loraTensorName(module, 'B'), keep(zeros([outFeatures, config.rank])));
      });
    }),
  );
  return { config, parameters };
}

/**
 * The base parameters with each targeted `<module>.weight` replaced by W + scale·ΔW (same keys,
 * same order). Differentiable w.r.t. A and B; the base tensors are used as they are. The new
 * tensors belong to the enclosing `tidy` like any op's output, so a training step wrapped in
 * `tidy` frees them; untargeted entries are the base's own tensors.
 */
export function applyLora(base: ReadonlyMap<string, Tensor>, adapter: LoraAdapter, options: ApplyLoraOptions = {}): Map<string, Tensor> {
  const op = 'applyLora';
  const { config } = adapter;
  const modules = checkLoraFit(base, adapter, op);
  if (options.training === true && (config.dropout ?? 0) > 0) {
    throw modelError(
      op,
      'dropout 0 when training',
      `${config.dropout}`,
      'PEFT drops the LoRA input only, which a merged weight cannot express: pass the adapter to the forward pass instead (gptLoss(base, config, tokens, targets, { lora: adapter, training: true })), or set dropout: 0',
      'E_UNSUPPORTED',
    );
  }
  const scale = loraScale(config);
  const adapted = new Map<string, Tensor>();
  for (const [name, tensor] of base) adapted.set(name, tensor);
  for (const { module } of modules) {
    const a = adapter.parameters.get(loraTensorName(module, 'A'))!; // [rank, in]
    const b = adapter.parameters.get(loraTensorName(module, 'B'))!; // [out, rank]
    // Conv1D [in, out]: Aᵀ·Bᵀ; Linear [out, in]: B·A.
    const delta = config.fanInFanOut === true ? matmul(a, b, { transposeA: true, transposeB: true }) : matmul(b, a);
    adapted.set(`${module}.weight`, add(base.get(`${module}.weight`)!, scale === 1 ? delta : mul(delta, scale)));
  }
  return adapted;
}

/**
 * W + scale·ΔW computed once, for inference or export: the same keys as `base`; targeted weights
 * are new kept tensors (dispose them when done), the rest are the base's own tensors, not copies.
 */
export function mergeLora(base: ReadonlyMap<string, Tensor>, adapter: LoraAdapter): Map<string, Tensor> {
  return noGrad(() =>
    tidy(() => {
      const merged = applyLora(base, adapter);
      for (const [name, tensor] of merged) if (base.get(name) !== tensor) keep(tensor);
      return merged;
    }),
  );
}
