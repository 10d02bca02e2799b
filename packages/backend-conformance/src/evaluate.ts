import { mul, sum, tensor, tidy, valueAndGrad, withBackend, type Backend, type Tensor } from '@wattformer/core';
import { lowbias32 } from '@wattformer/core/internal';
import type { OpCase } from './cases/op-case';
import { hostValues, isDifferentiable, makeInput } from './inputs';

/** A stable seed per case, so every backend gets the same inputs. */
export function caseSeed(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = lowbias32(h ^ name.charCodeAt(i));
  return h;
}

export function caseInputs(opCase: OpCase): (Float32Array | Int32Array)[] {
  const seed = caseSeed(opCase.name);
  return opCase.inputs.map((spec, i) => hostValues(spec, (seed + i + 1) >>> 0));
}

/** The loss whose gradients are compared: L = Σ out ⊙ W with W ~ N(0, 1) fixed by the case. */
function weighted(opCase: OpCase, output: Tensor): Tensor {
  const weights = hostValues({ name: 'W', shape: output.shape }, caseSeed(`${opCase.name}/W`));
  return sum(mul(output, tensor(weights, output.shape)));
}

export interface Evaluation {
  readonly output: Float32Array | Int32Array;
  /** Per input: the gradient values, or null where the input is not differentiable. */
  readonly grads: (Float32Array | null)[];
  readonly loss: number | null;
}

/**
 * Runs one case on `backend`: inputs uploaded, op run, and (unless the case has no gradient)
 * gradients of the weighted loss. All tensors are freed before this returns.
 */
export async function evaluate(opCase: OpCase, backend: Backend, hostInputs: readonly (Float32Array | Int32Array)[]): Promise<Evaluation> {
  const wantsGradient = opCase.gradient !== false;
  const result = withBackend(backend, () =>
    tidy(() => {
      const inputs = opCase.inputs.map((spec, i) => makeInput(spec, hostInputs[i]!));
      if (!wantsGradient) return { output: opCase.run(inputs), grads: [] as (Tensor | null)[], loss: null };
      const parameters = inputs.filter((_, i) => isDifferentiable(opCase.inputs[i]!));
      let output: Tensor | null = null;
      const { value, grads } = valueAndGrad(() => {
        output = opCase.run(inputs);
        return weighted(opCase, output);
      }, parameters);
      let next = 0;
      const perInput = opCase.inputs.map((spec) => (isDifferentiable(spec) ? grads[next++]! : null));
      return { output: output! as Tensor, grads: perInput, loss: value };
    }),
  );
  try {
    return {
      output: await result.output.data(),
      grads: await Promise.all(result.grads.map(async (g) => (g === null ? null : ((await g.data()) as Float32Array)))),
      loss: result.loss === null ? null : (await result.loss.data())[0]!,
    };
  } finally {
    result.output.dispose();
    result.loss?.dispose();
    for (const g of result.grads) g?.dispose();
  }
}

/** The weighted loss alone, for finite differences. */
export async function lossAt(opCase: OpCase, backend: Backend, hostInputs: readonly (Float32Array | Int32Array)[]): Promise<number> {
  const loss = withBackend(backend, () => tidy(() => weighted(opCase, opCase.run(opCase.inputs.map((spec, i) => makeInput(spec, hostInputs[i]!))))));
  try {
    return (await loss.data())[0]!;
  } finally {
    loss.dispose();
  }
}
