/**
 * The checks shared by every LoRA entry point: PEFT tensor names
 * (`base_model.model.<module>.lora_A.weight` [rank, in], `….lora_B.weight` [out, rank]), pairing,
 * rank, targets, and agreement with the base weights. Errors name the tensor at fault.
 */
import type { Tensor } from '@wattformer/core';
import { modelError } from './errors';
import { checkLoraConfig, isLoraTarget, type LoraConfig } from './lora-config';
import type { LoraAdapter } from './lora';

/** PeftModel's prefix: `base_model` is the LoraModel, `.model` the wrapped network. */
export const PEFT_PREFIX = 'base_model.model.';

/** The PEFT name of a module's A or B matrix. */
export function loraTensorName(module: string, matrix: 'A' | 'B'): string {
  return `${PEFT_PREFIX}${module}.lora_${matrix}.weight`;
}

export interface LoraModuleShapes {
  /** Module name in the base model, e.g. `transformer.h.0.attn.c_attn` (its weight is `<module>.weight`). */
  readonly module: string;
  /** [in, out] features of the base projection. */
  readonly inFeatures: number;
  readonly outFeatures: number;
}

const NAME = /^base_model\.model\.(.+)\.lora_([AB])\.weight$/;

/**
 * Reads modules from adapter tensor names and shapes (in their order of first appearance) and checks
 * names, A/B pairs, rank and targets. `op` names the caller.
 */
export function loraModulesOf(shapes: ReadonlyMap<string, readonly number[]>, config: LoraConfig, op: string): LoraModuleShapes[] {
  const found = new Map<string, { a?: readonly number[]; b?: readonly number[] }>();
  for (const [name, shape] of shapes) {
    const match = NAME.exec(name);
    if (match === null) {
      throw modelError(
        op,
        "LoRA tensor names 'base_model.model.<module>.lora_A.weight' or '….lora_B.weight'",
        `'${name}'`,
        'only LoRA A/B matrices are supported (no DoRA magnitudes, biases or modules_to_save)',
        'E_UNSUPPORTED',
      );
    }
    const [, module, matrix] = match as unknown as [string, string, 'A' | 'B'];
    if (!isLoraTarget(module, config.targets)) {
      throw modelError(
        op,
        `'${name}' to belong to a target module (${config.targets.join(', ')})`,
        `module '${module}'`,
        'the adapter config and its tensors disagree: was adapter_config.json saved with these weights?',
      );
    }
    const entry = found.get(module) ?? {};
    if (shape.length !== 2) throw modelError(op, `'${name}' of rank 2`, `[${shape.join(', ')}]`, undefined, 'E_SHAPE');
    if (matrix === 'A') entry.a = shape;
    else entry.b = shape;
    found.set(module, entry);
  }
  const modules: LoraModuleShapes[] = [];
  for (const [module, { a, b }] of found) {
    if (a === undefined || b === undefined) {
      const missing = loraTensorName(module, a === undefined ? 'A' : 'B');
      throw modelError(op, `both '${loraTensorName(module, 'A')}' and its lora_B`, `no '${missing}'`, 'the adapter file is incomplete');
    }
    if (a[0] !== config.rank) {
      throw modelError(
        op,
        `'${loraTensorName(module, 'A')}' of shape [${config.rank} (rank), in]`,
        `[${a.join(', ')}]`,
        'the config rank (r) does not match this tensor: was adapter_config.json saved with these weights?',
        'E_SHAPE',
      );
    }
    if (b[1] !== config.rank) {
      throw modelError(
        op,
        `'${loraTensorName(module, 'B')}' of shape [out, ${config.rank} (rank)]`,
        `[${b.join(', ')}]`,
        'the config rank (r) does not match this tensor: was adapter_config.json saved with these weights?',
        'E_SHAPE',
      );
    }
    modules.push({ module, inFeatures: a[1]!, outFeatures: b[0]! });
  }
  return modules;
}

/** The modules of `base` that `config.targets` selects: every `<module>.weight` whose module matches. */
export function targetModules(base: ReadonlyMap<string, Tensor>, config: LoraConfig, op: string): LoraModuleShapes[] {
  const modules: LoraModuleShapes[] = [];
  const matched = new Set<string>();
  for (const [name, weight] of base) {
    if (!name.endsWith('.weight')) continue;
    const module = name.slice(0, -'.weight'.length);
    const target = config.targets.find((t) => isLoraTarget(module, [t]));
    if (target === undefined) continue;
    matched.add(target);
    if (weight.rank !== 2) {
      throw modelError(
        op,
        `target '${target}' to select projection weights (rank 2)`,
        `'${name}' of shape [${weight.shape.join(', ')}]`,
        'LoRA adapts linear/Conv1D projections only; narrow the target (e.g. attn.c_proj)',
        'E_UNSUPPORTED',
      );
    }
    const [rows, columns] = weight.shape as [number, number];
    modules.push(config.fanInFanOut === true ? { module, inFeatures: rows, outFeatures: columns } : { module, inFeatures: columns, outFeatures: rows });
  }
  const unknown = config.targets.filter((t) => !matched.has(t));
  if (unknown.length > 0) {
    const examples = [...base.keys()]
      .filter((n) => n.endsWith('.weight'))
      .slice(0, 3)
      .map((n) => `'${n.slice(0, -7)}'`);
    throw modelError(
      op,
      'every target to name a module of the base model',
      `no module matches ${unknown.map((t) => `'${t}'`).join(', ')}`,
      `modules are parameter names without '.weight', e.g. ${examples.join(', ')}`,
      'E_UNKNOWN_CHOICE',
    );
  }
  return modules;
}

/** Checks that the adapter's modules are exactly the base's targeted ones, with matching shapes. */
export function checkAdapterAgainstBase(adapterModules: readonly LoraModuleShapes[], base: ReadonlyMap<string, Tensor>, config: LoraConfig, op: string): void {
  const targeted = new Map(targetModules(base, config, op).map((m) => [m.module, m]));
  const layout = config.fanInFanOut === true ? '[in, out] (fanInFanOut)' : '[out, in]';
  for (const { module, inFeatures, outFeatures } of adapterModules) {
    const weight = targeted.get(module);
    if (weight === undefined) {
      throw modelError(
        op,
        `a base weight '${module}.weight' for '${loraTensorName(module, 'A')}'`,
        'none in the base parameters',
        'is this adapter for this model (layer count, parameter names)?',
      );
    }
    if (weight.inFeatures !== inFeatures || weight.outFeatures !== outFeatures) {
      const stored = base.get(`${module}.weight`)!.shape.join(', ');
      throw modelError(
        op,
        `'${loraTensorName(module, 'A')}' [rank, ${weight.inFeatures}] and lora_B [${weight.outFeatures}, rank] for '${module}.weight' [${stored}] stored ${layout}`,
        `A [rank, ${inFeatures}] and B [${outFeatures}, rank]`,
        'check fanInFanOut (true for GPT-2 Conv1D weights) and that the adapter was trained on this model',
        'E_SHAPE',
      );
    }
    targeted.delete(module);
  }
  if (targeted.size > 0) {
    const missing = [...targeted.keys()].slice(0, 3).map((m) => `'${loraTensorName(m, 'A')}'`);
    throw modelError(
      op,
      'LoRA tensors for every targeted module of the base',
      `none for ${missing.join(', ')}${targeted.size > 3 ? ` and ${targeted.size - 3} more` : ''}`,
      'is this adapter for this model (layer count)?',
    );
  }
}

/**
 * Everything `applyLora` and a LoRA forward pass check, once per call: the config, the adapter's
 * tensors (names, pairs, rank, dtype) and their fit to `base`. Returns the adapted modules.
 */
export function checkLoraFit(base: ReadonlyMap<string, Tensor>, adapter: LoraAdapter, op: string): LoraModuleShapes[] {
  checkLoraConfig(adapter.config, op);
  const shapes = new Map<string, readonly number[]>();
  for (const [name, tensor] of adapter.parameters) {
    if (tensor.dtype !== 'f32') throw modelError(op, `'${name}' of dtype f32`, tensor.dtype, undefined, 'E_DTYPE');
    shapes.set(name, tensor.shape);
  }
  const modules = loraModulesOf(shapes, adapter.config, op);
  checkAdapterAgainstBase(modules, base, adapter.config, op);
  return modules;
}
