/**
 * A small Module system in the spirit of `torch.nn.Module`: a model owns a Map of named
 * parameters (Hugging Face / torch state_dict names), a train/eval mode that switches dropout,
 * parameter counts, and freezing. Frozen parameters are simply left out of
 * `trainableParameters()`, the Map handed to the optimizer, so they never get an update (and
 * `valueAndGrad` over that Map computes no gradient for them).
 */
import { formatShape, type Tensor } from '@wattformer/core';
import { modelError } from './errors';

/** Which parameters to freeze: exact names, a name prefix (ends with '.'), or a predicate. */
export type ParameterSelector = string | readonly string[] | ((name: string) => boolean);

/** Options of `Module.parameterCount`: whether embedding tables count. */
export interface ParameterCountOptions {
  /** Count embedding tables (token, position, token-type) too. Default true. */
  readonly embeddings?: boolean;
}

/** What every model's forward takes besides its inputs: dropout is seeded for reproducibility. */
export interface TrainingOptions {
  /** Dropout on (training) or off (evaluation); a Module passes its own `training` mode. */
  readonly training?: boolean;
  /** Seed for every dropout mask of this call (each site derives its own); else core's `setSeed` stream. */
  readonly seed?: number;
}

/**
 * Base of every model: named parameters in state_dict order, train/eval mode, and freezing parameters by name.
 */
export abstract class Module {
  /** name → tensor, in the model's state_dict order. The tensors are kept (outlive `tidy`). */
  readonly parameters: Map<string, Tensor>;
  /** As `nn.Module.training`: true after `train()`, false after `eval()`. Models start in eval mode. */
  training = false;
  readonly #frozen = new Set<string>();

  protected constructor(parameters: Map<string, Tensor>) {
    this.parameters = parameters;
  }

  /** Whether a parameter is an embedding table (left out of `parameterCount({ embeddings: false })`). */
  protected abstract isEmbedding(name: string): boolean;

  /** Dropout on. Returns this, as torch's. */
  train(mode = true): this {
    this.training = mode;
    return this;
  }

  /** Dropout off (deterministic outputs). */
  eval(): this {
    return this.train(false);
  }

  /** Number of scalars in the parameters (tied tensors count once: they are one Map entry). */
  parameterCount(options: ParameterCountOptions = {}): number {
    let count = 0;
    for (const [name, tensor] of this.parameters) if (options.embeddings !== false || !this.isEmbedding(name)) count += tensor.size;
    return count;
  }

  #select(op: string, selector: ParameterSelector): string[] {
    const names = [...this.parameters.keys()];
    if (typeof selector === 'function') return names.filter(selector);
    if (typeof selector === 'string' && selector.endsWith('.')) {
      const picked = names.filter((name) => name.startsWith(selector));
      if (picked.length === 0) throw modelError(op, `a prefix of at least one parameter name (e.g. '${names[0]?.split('.')[0]}.')`, `'${selector}'`);
      return picked;
    }
    const list = typeof selector === 'string' ? [selector] : selector;
    const unknown = list.filter((name) => !this.parameters.has(name));
    if (unknown.length > 0) {
      throw modelError(
        op,
        'parameter names of this model',
        unknown.map((n) => `'${n}'`).join(', '),
        "list them with [...model.parameters.keys()]; end a prefix with '.'",
      );
    }
    return [...list];
  }

  /** Freezes parameters (no optimizer update): names, a prefix ending in '.', or a predicate. */
  freeze(selector: ParameterSelector): this {
    for (const name of this.#select('freeze', selector)) this.#frozen.add(name);
    return this;
  }

  /** Undoes `freeze` for the selected parameters; with no argument, unfreezes everything. */
  unfreeze(selector?: ParameterSelector): this {
    if (selector === undefined) this.#frozen.clear();
    else for (const name of this.#select('unfreeze', selector)) this.#frozen.delete(name);
    return this;
  }

  /** Whether the parameter `name` is frozen (excluded from training) by `freeze`. */
  isFrozen(name: string): boolean {
    return this.#frozen.has(name);
  }

  /** The parameters to optimise: every one not frozen (pass this Map to the trainer's `createOptimizer`). */
  trainableParameters(): Map<string, Tensor> {
    return new Map([...this.parameters].filter(([name]) => !this.#frozen.has(name)));
  }

  /**
   * Replaces parameter values by name (a state_dict). Every name must exist and every shape must
   * match, or it throws naming the tensor; with `strict` (default) every parameter must be given.
   */
  loadParameters(values: ReadonlyMap<string, Tensor>, options: { readonly strict?: boolean } = {}): this {
    const shapes = new Map([...this.parameters].map(([name, t]) => [name, [...t.shape]]));
    checkParameters('loadParameters', values, shapes, options.strict ?? true);
    for (const [name, value] of values) {
      const old = this.parameters.get(name)!;
      this.parameters.set(name, value.keep());
      if (old !== value) old.dispose();
    }
    return this;
  }
}

/**
 * Checks named tensors against the expected name → shape: an unknown name, a wrong shape or
 * dtype, or (when `strict`) a missing name throws, naming the tensor.
 */
export function checkParameters(op: string, values: ReadonlyMap<string, Tensor>, shapes: ReadonlyMap<string, readonly number[]>, strict = true): void {
  for (const [name, value] of values) {
    const shape = shapes.get(name);
    if (shape === undefined)
      throw modelError(op, 'parameter names of this model', `unknown '${name}'`, 'check the checkpoint is for this architecture and config');
    if (value.dtype !== 'f32' || value.shape.length !== shape.length || value.shape.some((n, d) => n !== shape[d])) {
      throw modelError(op, `'${name}' f32 ${formatShape(shape)}`, `${value.dtype} ${formatShape(value.shape)}`, 'the checkpoint was made with another config');
    }
  }
  const missing = [...shapes.keys()].filter((name) => !values.has(name));
  if (strict && missing.length > 0) {
    throw modelError(op, 'every parameter of this model', `${missing.length} missing, first '${missing[0]}'`, 'pass { strict: false } to load part of a model');
  }
}
