import { disposeTracked, engine, untrack, type Tracked } from './engine';
import { WattformerError } from './errors';
import { add } from './ops/binary';
import { onesLike, zerosLike } from './ops/creation';
import { formatShape } from './shape';
import type { Tensor } from './tensor';

/**
 * Reverse-mode autograd, define-by-run: each op that sees an input with `requiresGrad` stores a
 * node on its output naming the inputs and a `backward` closure (dy → one gradient per input,
 * `null` where none). Backward closures call ordinary ops, so every backend differentiates the
 * same way and fused kernels plug in by providing their own closure.
 */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /**
   * Maps the gradient of this node's output to the gradients of its inputs (`null` where an input needs none).
   */
  readonly backward: (dy: Tensor) => readonly (Tensor | null)[];
}

/** Attaches a node to `output` when grad mode is on and some input requires a gradient. */
export function record(output: Tensor, op: string, inputs: readonly Tensor[], backwardFn: (dy: Tensor) => readonly (Tensor | null)[]): Tensor {
  if (engine.gradEnabled && inputs.some((input) => input.requiresGrad)) {
    output.requiresGrad = true;
    output.node = { op, inputs, backward: backwardFn };
  }
  return output;
}

/** Runs `fn` without recording (optimizer updates, evaluation). */
export function noGrad<T>(fn: () => T): T {
  const previous = engine.gradEnabled;
  engine.gradEnabled = false;
  try {
    return fn();
  } finally {
    engine.gradEnabled = previous;
  }
}

/** Nodes reachable from root, inputs before outputs. Iterative, so deep graphs do not overflow. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  const stack: { tensor: Tensor; next: number }[] = [{ tensor: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const inputs = top.tensor.node?.inputs ?? [];
    if (top.next < inputs.length) {
      const input = inputs[top.next++]!;
      if (input.requiresGrad && !seen.has(input)) {
        seen.add(input);
        stack.push({ tensor: input, next: 0 });
      }
    } else {
      order.push(top.tensor);
      stack.pop();
    }
  }
  return order;
}

/**
 * d root / d target for each target (missing when unreachable). `seed` is d loss / d root and
 * defaults to 1 for a one-element root. Gradients of intermediates are freed as soon as their
 * node has run; the returned ones belong to the caller's scope.
 */
export function gradients(root: Tensor, targets: readonly Tensor[], seed?: Tensor): Map<Tensor, Tensor> {
  if (root.dtype !== 'f32' || (seed === undefined && root.size !== 1)) {
    throw new WattformerError('E_SHAPE', {
      packageName: 'core',
      op: 'backward',
      expected: 'an f32 tensor of one element (a loss), or a gradient for it',
      got: `${root.dtype} ${formatShape(root.shape)}`,
      help: 'reduce to a scalar first, e.g. loss.mean(), or pass the gradient explicitly',
    });
  }
  if (seed !== undefined && formatShape(seed.shape) !== formatShape(root.shape)) {
    throw new WattformerError('E_SHAPE', {
      packageName: 'core',
      op: 'backward',
      expected: `a gradient of shape ${formatShape(root.shape)}`,
      got: formatShape(seed.shape),
    });
  }
  const wanted = new Set(targets);
  const grads = new Map<Tensor, Tensor>();
  const holders = new Map<Tensor, number>();
  const hold = (tensor: Tensor, grad: Tensor): void => {
    grads.set(tensor, grad);
    holders.set(grad, (holders.get(grad) ?? 0) + 1);
  };
  const made = new Set<Tensor>();
  const dropIfUnheld = (grad: Tensor): void => {
    if (made.has(grad) && (holders.get(grad) ?? 0) === 0) disposeTracked(grad);
  };
  const order = topologicalOrder(root);
  noGrad(() => {
    const first = seed ?? onesLike(root);
    if (seed === undefined) made.add(first);
    hold(root, first);
    for (let i = order.length - 1; i >= 0; i--) {
      const tensor = order[i]!;
      const node = tensor.node;
      const dy = grads.get(tensor);
      if (node === null || dy === undefined) continue;
      // Tensors the closure makes go to a private scope: its temporaries die right here.
      const scope = new Set<Tracked>();
      engine.scopes.push(scope);
      let inputGrads: readonly (Tensor | null)[];
      try {
        inputGrads = node.backward(dy);
      } finally {
        engine.scopes.pop();
      }
      for (const created of scope as Set<Tensor>) {
        if (inputGrads.includes(created)) {
          made.add(created);
          engine.scopes[engine.scopes.length - 1]?.add(created);
        } else {
          disposeTracked(created);
        }
      }
      const replaced: Tensor[] = [];
      node.inputs.forEach((input, k) => {
        const grad = inputGrads[k];
        if (!input.requiresGrad || grad === null || grad === undefined) return;
        const existing = grads.get(input);
        if (existing === undefined) {
          hold(input, grad);
          return;
        }
        const total = add(existing, grad);
        made.add(total);
        holders.set(existing, holders.get(existing)! - 1);
        hold(input, total);
        replaced.push(existing, grad);
      });
      if (!wanted.has(tensor)) {
        grads.delete(tensor);
        holders.set(dy, holders.get(dy)! - 1);
        dropIfUnheld(dy);
      }
      for (const grad of replaced) dropIfUnheld(grad);
      for (const grad of inputGrads) if (grad) dropIfUnheld(grad);
    }
  });
  const result = new Map<Tensor, Tensor>();
  for (const target of targets) {
    const grad = grads.get(target);
    if (grad !== undefined) result.set(target, grad);
  }
  // Whatever the map still holds that nobody asked for is garbage now.
  for (const [tensor, grad] of grads) {
    if (!wanted.has(tensor) && ![...result.values()].includes(grad)) {
      holders.set(grad, 0);
      dropIfUnheld(grad);
    }
  }
  return result;
}

/** `loss.backward()`: accumulates into `.grad` of every reachable leaf that requires grad. */
export function backward(root: Tensor, seed?: Tensor): void {
  const leaves = topologicalOrder(root).filter((tensor) => tensor.node === null && tensor.requiresGrad);
  const grads = gradients(root, leaves, seed);
  for (const [leaf, grad] of grads) {
    const previous = leaf.grad;
    const total = previous === null ? grad : noGrad(() => add(previous, grad));
    if (previous !== null) {
      previous.dispose();
      if (total !== grad) grad.dispose();
    }
    // A leaf's gradient outlives the step's scope, like the leaf itself.
    untrack(total);
    leaf.grad = total;
  }
}

/** What `valueAndGrad` returns: the function's value and one gradient per requested tensor. */
export interface ValueAndGrads {
  readonly value: Tensor;
  readonly grads: Tensor[];
}

/**
 * Runs `fn` and returns its scalar value with d value / d parameter for each parameter (zeros
 * where the value does not depend on it). Marks the parameters `requiresGrad`; leaves `.grad`
 * untouched.
 */
export function valueAndGrad(fn: () => Tensor, parameters: readonly Tensor[]): ValueAndGrads {
  for (const parameter of parameters) parameter.requiresGrad = true;
  const value = fn();
  const found = gradients(value, parameters);
  const grads = parameters.map((parameter) => {
    const grad = found.get(parameter);
    if (grad !== undefined) return grad;
    return zerosLike(parameter);
  });
  return { value, grads };
}
