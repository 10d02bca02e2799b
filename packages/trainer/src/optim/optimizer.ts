import { adamw, assign, keep, tidy, zerosLike, type Tensor } from '@wattformer/core';
import { trainerError } from '../errors';

/**
 * Optimizers over a named parameter map. Weight decay applies only to matrices (rank ≥ 2:
 * linear and embedding weights), never to biases and LayerNorm gains, as in nanoGPT and
 * Hugging Face. State tensors live outside any `tidy`, like the parameters.
 */
export type OptimizerOptions =
  | {
      readonly kind: 'adamw';
      readonly learningRate: number;
      readonly beta1?: number;
      readonly beta2?: number;
      readonly epsilon?: number;
      readonly weightDecay?: number;
    }
  | {
      readonly kind: 'sgd';
      readonly learningRate: number;
      readonly momentum?: number;
      readonly weightDecay?: number;
    };

/**
 * An optimizer over a fixed list of parameters: `update(grads)` applies one step; its state can be saved and restored.
 */
export interface Optimizer {
  readonly options: OptimizerOptions;
  /** Number of updates applied so far. */
  readonly step: number;
  /** Applies one update from gradients in parameter order; `learningRate` overrides (schedules). */
  update(grads: readonly Tensor[], learningRate?: number): void;
  /** Named state tensors (moments or momentum buffers), for checkpoints. */
  stateTensors(): Map<string, Tensor>;
  /** Restores the step counter after loading `stateTensors()` values (checkpoint resume). */
  setStep(step: number): void;
}

/** True for the parameters weight decay applies to. */
export const decays = (parameter: Tensor): boolean => parameter.rank >= 2;

/**
 * An optimizer (AdamW, or SGD with momentum) over `parameters`; AdamW uses the backend's fused kernel where it has one.
 */
export function createOptimizer(parameters: ReadonlyMap<string, Tensor>, options: OptimizerOptions): Optimizer {
  if (!(options.learningRate > 0) || !Number.isFinite(options.learningRate)) {
    throw trainerError('E_ARGUMENT', 'optimizer', 'a positive finite learningRate', String(options.learningRate));
  }
  const weightDecay = options.weightDecay ?? (options.kind === 'adamw' ? 0.1 : 0);
  if (!(weightDecay >= 0)) throw trainerError('E_ARGUMENT', 'optimizer', 'weightDecay ≥ 0', String(weightDecay));
  const names = [...parameters.keys()];
  const list = names.map((name) => parameters.get(name)!);
  const state = (suffix: string) => new Map(names.map((name, i) => [`${name}.${suffix}`, keep(zerosLike(list[i]!))]));
  let step = 0;
  const check = (grads: readonly Tensor[]) => {
    if (grads.length !== list.length) {
      throw trainerError('E_ARGUMENT', 'optimizer.update', `${list.length} gradients (one per parameter)`, String(grads.length));
    }
  };

  if (options.kind === 'adamw') {
    const [m, v] = [state('exp_avg'), state('exp_avg_sq')];
    const moments = names.map((name) => [m.get(`${name}.exp_avg`)!, v.get(`${name}.exp_avg_sq`)!] as const);
    return {
      options,
      get step() {
        return step;
      },
      update(grads, learningRate = options.learningRate) {
        check(grads);
        step++;
        list.forEach((p, i) =>
          adamw(p, grads[i]!, moments[i]![0], moments[i]![1], {
            learningRate,
            beta1: options.beta1 ?? 0.9,
            beta2: options.beta2 ?? 0.999,
            epsilon: options.epsilon ?? 1e-8,
            weightDecay: decays(p) ? weightDecay : 0,
            step,
          }),
        );
      },
      stateTensors: () => new Map([...m, ...v]),
      setStep: (value) => void (step = value),
    };
  }

  // SGD with momentum, PyTorch's form: g ← g + λp; b ← μb + g; p ← p − lr·b (b = g on step 1).
  const momentum = options.momentum ?? 0;
  const buffers = state('momentum_buffer');
  const bufferList = names.map((name) => buffers.get(`${name}.momentum_buffer`)!);
  return {
    options,
    get step() {
      return step;
    },
    update(grads, learningRate = options.learningRate) {
      check(grads);
      step++;
      tidy(() => {
        list.forEach((p, i) => {
          const g = decays(p) && weightDecay > 0 ? grads[i]!.add(p.mul(weightDecay)) : grads[i]!;
          let direction = g;
          if (momentum > 0) {
            const buffer = step === 1 ? g.mul(1) : bufferList[i]!.mul(momentum).add(g);
            assign(bufferList[i]!, buffer);
            direction = bufferList[i]!;
          }
          assign(p, p.sub(direction.mul(learningRate)));
        });
      });
    },
    stateTensors: () => new Map(buffers),
    setStep: (value) => void (step = value),
  };
}
