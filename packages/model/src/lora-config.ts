/**
 * LoRA settings and their PEFT spelling (`adapter_config.json`). A LoRA adapter adds
 * scale·B·A to a projection weight W, with A [rank, in] and B [out, rank] trained and W frozen
 * (Hu et al. 2021, https://arxiv.org/abs/2106.09685). Names and rules follow Hugging Face PEFT's
 * `LoraConfig` so an adapter moves between PEFT and this package unchanged.
 */
import { describeJson } from './bounded-json';
import { MODEL_LIMITS } from './config-limits';
import { modelError } from './errors';

/** Most target module names an adapter may list, and the longest name. */
const MAX_TARGETS = 1024;
const MAX_TARGET_LENGTH = 256;

/** A LoRA adapter's settings, named as PEFT's `adapter_config.json`: rank, alpha, target modules, dropout. */
export interface LoraConfig {
  /** PEFT `r`: the inner dimension of B·A. */
  readonly rank: number;
  /** PEFT `lora_alpha`: ΔW is scaled by alpha / rank (alpha / √rank with `useRslora`). */
  readonly alpha: number;
  /**
   * PEFT `target_modules`: module names or dotted suffixes of them, e.g. `['c_attn', 'c_proj', 'c_fc']`
   * (every GPT-2 projection) or `['attn.c_attn']`. A module is a parameter name without `.weight`.
   */
  readonly targets: readonly string[];
  /** PEFT `fan_in_fan_out`: true when weights are stored [in, out] (GPT-2's Conv1D), false for nn.Linear's [out, in]. */
  readonly fanInFanOut?: boolean;
  /**
   * PEFT `lora_dropout`, which PEFT applies to each layer's input on the LoRA path only. The GPT
   * forward pass's `lora` option does the same; a merged weight W + scale·ΔW cannot, so
   * `applyLora` refuses to train with dropout > 0. Evaluation never drops.
   */
  readonly dropout?: number;
  /** PEFT `use_rslora`: scale alpha / √rank instead of alpha / rank (Kalajdzievski 2023). */
  readonly useRslora?: boolean;
}

/** Extra `adapter_config.json` fields that only matter to Python (`AutoPeftModel…` reads them). */
export interface PeftConfigOptions {
  /** `task_type`, e.g. 'CAUSAL_LM' (PeftModelForCausalLM); null by default (plain PeftModel). */
  readonly taskType?: string | null;
  /** `base_model_name_or_path`: the base checkpoint's Hub id or folder. */
  readonly baseModel?: string | null;
}

/** The factor ΔW is multiplied by. */
export function loraScale(config: LoraConfig): number {
  return config.useRslora === true ? config.alpha / Math.sqrt(config.rank) : config.alpha / config.rank;
}

/** Validates every field; `op` names the caller in the error. */
export function checkLoraConfig(config: LoraConfig, op: string): LoraConfig {
  if (typeof config !== 'object' || config === null) throw modelError(op, 'a LoraConfig object', describeJson(config));
  const { rank, alpha, targets, dropout = 0 } = config;
  if (!Number.isInteger(rank) || rank < 1 || rank > MODEL_LIMITS.loraRank)
    throw modelError(op, `rank an integer in [1, ${MODEL_LIMITS.loraRank}]`, describeJson(rank));
  if (!Number.isFinite(alpha) || alpha <= 0) throw modelError(op, 'alpha a finite number > 0', describeJson(alpha), "PEFT's default is lora_alpha 8");
  if (
    !Array.isArray(targets) ||
    targets.length === 0 ||
    targets.length > MAX_TARGETS ||
    !targets.every((t) => typeof t === 'string' && t.length > 0 && t.length <= MAX_TARGET_LENGTH)
  ) {
    throw modelError(
      op,
      `targets a non-empty list of at most ${MAX_TARGETS} module names`,
      describeJson(targets),
      "e.g. ['c_attn', 'c_proj', 'c_fc'] for GPT-2",
    );
  }
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) throw modelError(op, 'dropout in [0, 1)', describeJson(dropout));
  return config;
}

/** PEFT's rule (list form of `target_modules`): the module's full name, or a suffix after a dot. */
export function isLoraTarget(module: string, targets: readonly string[]): boolean {
  return targets.some((target) => module === target || module.endsWith(`.${target}`));
}

/** The `adapter_config.json` object PEFT 0.13 writes for this config (LoRA without DoRA, biases or extra modules). */
export function loraConfigToPeft(config: LoraConfig, options: PeftConfigOptions = {}): Record<string, unknown> {
  checkLoraConfig(config, 'loraConfigToPeft');
  return {
    peft_type: 'LORA',
    task_type: options.taskType ?? null,
    base_model_name_or_path: options.baseModel ?? null,
    revision: null,
    inference_mode: true,
    r: config.rank,
    lora_alpha: config.alpha,
    lora_dropout: config.dropout ?? 0,
    target_modules: [...config.targets],
    fan_in_fan_out: config.fanInFanOut ?? false,
    bias: 'none',
    use_rslora: config.useRslora ?? false,
    use_dora: false,
    init_lora_weights: true,
    modules_to_save: null,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
  };
}

/** Reads a PEFT `adapter_config.json` object, refusing features this package does not implement. */
export function loraConfigFromPeft(json: Record<string, unknown>): LoraConfig {
  const op = 'loadLoraAdapter';
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw modelError(op, 'adapter_config.json to hold an object', describeJson(json));
  if (json.peft_type !== 'LORA')
    throw modelError(
      op,
      "adapter_config.json peft_type 'LORA'",
      describeJson(json.peft_type),
      'only LoRA adapters are supported (not IA3, prompt tuning, …)',
      'E_UNSUPPORTED',
    );
  const targets = json.target_modules;
  if (typeof targets === 'string') {
    throw modelError(
      op,
      'target_modules as a list of names',
      `the regular expression ${describeJson(targets)}`,
      'list the module names, e.g. ["c_attn", "c_proj", "c_fc"]',
      'E_UNSUPPORTED',
    );
  }
  const unsupported: [string, boolean, string][] = [
    ['use_dora', json.use_dora === true, 'false (DoRA is not implemented)'],
    ['bias', json.bias !== undefined && json.bias !== 'none', "'none' (LoRA bias tensors are not implemented)"],
    ['modules_to_save', Array.isArray(json.modules_to_save) && json.modules_to_save.length > 0, 'null (fully trained extra modules are not implemented)'],
    ['layers_to_transform', json.layers_to_transform !== undefined && json.layers_to_transform !== null, 'null (every matching layer)'],
    ['rank_pattern', isNonEmptyObject(json.rank_pattern), '{} (one rank for all modules)'],
    ['alpha_pattern', isNonEmptyObject(json.alpha_pattern), '{} (one alpha for all modules)'],
  ];
  for (const [field, bad, want] of unsupported) {
    if (bad) throw modelError(op, `adapter_config.json ${field} ${want}`, describeJson(json[field]), undefined, 'E_UNSUPPORTED');
  }
  const config: LoraConfig = {
    rank: json.r as number,
    alpha: json.lora_alpha as number,
    targets: targets as string[],
    fanInFanOut: json.fan_in_fan_out === true,
    dropout: (json.lora_dropout as number | undefined) ?? 0,
    useRslora: json.use_rslora === true,
  };
  return checkLoraConfig(config, op);
}

const isNonEmptyObject = (value: unknown) => typeof value === 'object' && value !== null && Object.keys(value).length > 0;
