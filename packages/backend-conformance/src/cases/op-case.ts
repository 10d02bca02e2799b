import type { Tensor } from '@wattformer/core';
import type { InputSpec } from '../inputs';
import type { ToleranceName } from '../tolerances';

/**
 * One conformance case: inputs to generate, the op to run on them, and the tolerance name.
 * Gradients are of L = Σ out ⊙ W for a fixed random W, with respect to every differentiable input.
 */
export interface OpCase {
  /** Unique, `<op>` or `<op>/<variant>`. */
  readonly name: string;
  /** The public op (and kernel) under test. */
  readonly op: string;
  readonly tolerance: ToleranceName;
  readonly inputs: readonly InputSpec[];
  readonly run: (inputs: readonly Tensor[]) => Tensor;
  /** Set false for ops with no gradient (integer ops, updates, RNG). Default true. */
  readonly gradient?: boolean;
}

export const f32 = (name: string, shape: readonly number[], fill?: InputSpec['fill']): InputSpec =>
  fill === undefined ? { name, shape } : { name, shape, fill };

export const i32 = (name: string, shape: readonly number[], fill: InputSpec['fill']): InputSpec =>
  fill === undefined ? { name, shape, dtype: 'i32' } : { name, shape, dtype: 'i32', fill };

/** Reads the i-th input, failing loudly if a case is mis-declared. */
export function at(inputs: readonly Tensor[], i: number): Tensor {
  const input = inputs[i];
  if (input === undefined) throw new Error(`conformance case reads input ${i}, which it did not declare`);
  return input;
}
