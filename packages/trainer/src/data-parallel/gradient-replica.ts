/**
 * The data-parallel replica of `ParallelGptGradients` (the one data-parallel path; `trainLoop`
 * keeps the one optimizer): replica 0 owns the parameters and the optimizer state and publishes the
 * parameters into a SharedArrayBuffer before every step; each worker replica reads them, computes
 * the loss and gradients of its rows of the batch, and joins the all-reduce. Workers hold no
 * state between steps, so checkpoints and resume only concern replica 0.
 *
 * Shards may have different row counts: each replica scales its gradient and loss by
 * rows · replicas / batch before the all-reduce, so the average is the mean over the whole batch.
 * The loss rides in one extra float after the gradients (size = parameters + 1).
 */
import { assignValues, keep, tensor, tidy, valueAndGrad, type Tensor } from '@wattformer/core';
import { gptLoss, type GptConfig } from '@wattformer/model';
import { SharedGradients, type SharedGradientsLayout } from './shared-gradients';

/** Control ints before the published parameters: [0] the version replica 0 last published. */
export const PARAMETER_CONTROL_INTS = 4; // 16 bytes keep the floats 16-byte aligned

export interface GradientReplicaInit {
  readonly config: GptConfig;
  /** Parameter names and shapes, in the order of the flat buffers. */
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  /** Control ints, then every parameter flattened in `names` order (written by replica 0). */
  readonly parameters: SharedArrayBuffer | ArrayBuffer;
  /** Gradient all-reduce; size = parameter count + 1 (the loss). */
  readonly gradients: SharedGradientsLayout;
  readonly index: number;
}

export interface GradientShard {
  /** i32 [rows, T] for this replica. */
  readonly tokens: Int32Array;
  readonly targets: Int32Array;
  readonly rows: number;
  /** rows · replicas / batch: makes the plain average a row-weighted mean. */
  readonly weight: number;
  /** Version of the published parameters this step must read (checked, and orders the reads). */
  readonly version: number;
}

export class GradientReplica {
  readonly #shared: SharedGradients;
  readonly #offsets: number[];
  readonly #control: Int32Array;
  /** Each parameter's place in the shared buffer (views, made once). */
  readonly #views: Float32Array[];
  /** Each parameter's place in this replica's gradient slot. */
  readonly #gradientViews: Float32Array[];
  /** A worker's copy of the parameters: made on its first step, refreshed in place on the next. */
  #copies: Tensor[] | undefined;

  constructor(readonly init: GradientReplicaInit) {
    let offset = 0;
    this.#offsets = init.shapes.map((shape) => ((offset += size(shape)), offset - size(shape)));
    if (offset + 1 !== init.gradients.size) {
      throw new Error(`trainer: dataParallel: expected ${offset + 1} floats (gradients and loss) in the shared buffer, got ${init.gradients.size}`);
    }
    this.#control = new Int32Array(init.parameters, 0, PARAMETER_CONTROL_INTS);
    const floats = new Float32Array(init.parameters, PARAMETER_CONTROL_INTS * 4, offset);
    this.#shared = new SharedGradients(init.gradients, init.index);
    const slot = this.#shared.slot();
    this.#views = init.shapes.map((shape, i) => floats.subarray(this.#offsets[i]!, this.#offsets[i]! + size(shape)));
    this.#gradientViews = init.shapes.map((shape, i) => slot.subarray(this.#offsets[i]!, this.#offsets[i]! + size(shape)));
  }

  /**
   * Loss and gradients of the shard on `parameters` (replica 0 passes its own tensors; workers
   * omit them and read the published copy), then the all-reduce. Returns the mean over the
   * whole batch: gradients in parameter order, then the loss (a view; copy to keep).
   */
  step(shard: GradientShard, parameters?: readonly Tensor[]): Float32Array {
    try {
      return this.#step(shard, parameters);
    } catch (error) {
      this.#shared.abort(); // release the replicas waiting for this one
      throw error;
    }
  }

  #step(shard: GradientShard, own: readonly Tensor[] | undefined): Float32Array {
    const { config, names } = this.init;
    const slot = this.#shared.slot();
    const list = own ?? this.#published(shard.version);
    tidy(() => {
      const parameters = new Map(names.map((name, i) => [name, list[i]!]));
      const T = shard.tokens.length / shard.rows;
      const tokens = tensor(shard.tokens, [shard.rows, T], 'i32');
      const targets = tensor(shard.targets, [shard.rows, T], 'i32');
      const { value, grads } = valueAndGrad(() => gptLoss(parameters, config, tokens, targets), list);
      grads.forEach((g, i) => {
        const out = this.#gradientViews[i]!;
        g.dataSyncInto(out); // straight from the backend into this replica's slot
        if (shard.weight !== 1) for (let j = 0; j < out.length; j++) out[j]! *= shard.weight;
      });
      slot[slot.length - 1] = value.dataSync()[0]! * shard.weight;
    });
    return this.#shared.average();
  }

  /**
   * A worker: its parameter tensors holding `version`. The step message may arrive before
   * replica 0 has published that version (it posts first, then publishes), so this waits for it.
   */
  #published(version: number): Tensor[] {
    let published = Atomics.load(this.#control, 0);
    while (published === ((version - 1) | 0)) {
      this.#shared.checkFailed(); // replica 0 failed before publishing
      Atomics.wait(this.#control, 0, published, 1000);
      published = Atomics.load(this.#control, 0);
    }
    if (published !== version) {
      throw new Error(`trainer: dataParallel: expected parameters version ${version}, got ${published}`);
    }
    if (this.#copies === undefined) {
      this.#copies = this.init.shapes.map((shape, i) => keep(tensor(this.#views[i]!, [...shape])));
    } else {
      this.#copies.forEach((t, i) => assignValues(t, this.#views[i]!));
    }
    return this.#copies;
  }

  /** The version the next `publish` writes (workers may be told it before it is published). */
  nextVersion(): number {
    return (Atomics.load(this.#control, 0) + 1) | 0;
  }

  /**
   * Replica 0: copies the parameters (live f32 tensors of the layout's shapes) straight into the
   * shared buffer, then publishes them as `nextVersion()` and wakes the workers waiting for it.
   * If the copy fails the step is aborted, so no worker waits forever.
   */
  publish(parameters: readonly Tensor[]): number {
    try {
      parameters.forEach((p, i) => p.dataSyncInto(this.#views[i]!));
    } catch (error) {
      this.#shared.abort();
      throw error;
    }
    const version = this.nextVersion();
    Atomics.store(this.#control, 0, version); // orders the writes above before any worker's read
    Atomics.notify(this.#control, 0);
    return version;
  }
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
