/**
 * Gradient all-reduce for data-parallel replicas over one SharedArrayBuffer.
 *
 * Layout (f32 after a small i32 control block): `replicas` slots of `size` floats, one per
 * replica, then one result region of `size` floats. A step: every replica writes its flat
 * gradient into its slot, waits at a barrier, averages its 1/replicas share of the elements
 * across all slots into the result (reduce-scatter), waits again, then reads the whole result.
 * The barrier is a generation counter with Atomics.wait/notify, so it may block: call it from
 * Node's main thread or a worker, never from a browser's main thread.
 */
const ARRIVED = 0;
const GENERATION = 1;
/** Set by a replica whose step failed, so the others leave the barrier instead of waiting forever. */
const FAILED = 2;
const CONTROL_INTS = 4; // 16 bytes keep the floats 16-byte aligned

export interface SharedGradientsLayout {
  /** Shared between threads; a plain ArrayBuffer for a single replica (no isolation needed). */
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  readonly replicas: number;
  readonly size: number;
}

export function createSharedGradients(replicas: number, size: number): SharedGradientsLayout {
  const bytes = CONTROL_INTS * 4 + (replicas + 1) * size * 4;
  return { buffer: replicas > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes), replicas, size };
}

export class SharedGradients {
  readonly #control: Int32Array;
  readonly #floats: Float32Array;

  constructor(
    readonly layout: SharedGradientsLayout,
    readonly index: number,
  ) {
    this.#control = new Int32Array(layout.buffer, 0, CONTROL_INTS);
    this.#floats = new Float32Array(layout.buffer, CONTROL_INTS * 4, (layout.replicas + 1) * layout.size);
  }

  /** This replica's slot, to fill with its gradient before `average()`. */
  slot(): Float32Array {
    const { size } = this.layout;
    return this.#floats.subarray(this.index * size, (this.index + 1) * size);
  }

  /** Tells every replica waiting (now or later) at a barrier that this step cannot complete. */
  abort(): void {
    Atomics.store(this.#control, FAILED, 1);
    Atomics.notify(this.#control, GENERATION);
  }

  /** Throws if a replica failed this step (see `abort`). */
  checkFailed(): void {
    if (Atomics.load(this.#control, FAILED) !== 0) {
      throw new Error(
        'trainer: dataParallel: expected every replica to finish the step, got a failed replica\nhelp: see the error the failing replica reported; recreate the ParallelGptGradients',
      );
    }
  }

  /** Blocks until every replica has arrived; throws if another replica failed. */
  barrier(): void {
    this.checkFailed();
    const generation = Atomics.load(this.#control, GENERATION);
    if (Atomics.add(this.#control, ARRIVED, 1) === this.layout.replicas - 1) {
      Atomics.store(this.#control, ARRIVED, 0);
      Atomics.add(this.#control, GENERATION, 1);
      Atomics.notify(this.#control, GENERATION);
      return;
    }
    while (Atomics.load(this.#control, GENERATION) === generation) {
      this.checkFailed();
      Atomics.wait(this.#control, GENERATION, generation, 1000);
    }
  }

  /** All-reduce: returns the element-wise mean of every replica's slot (a view; copy to keep). */
  average(): Float32Array {
    const { replicas, size } = this.layout;
    this.barrier();
    const share = Math.ceil(size / replicas);
    const start = Math.min(size, this.index * share);
    const end = Math.min(size, start + share);
    const floats = this.#floats; // a local: the loops below are the hot part of the all-reduce
    const resultOffset = replicas * size;
    const inverse = 1 / replicas;
    if (replicas === 2) {
      // The same sums as the general loop ((0 + a) + b is a + b), without its inner loop.
      for (let i = start; i < end; i++) floats[resultOffset + i] = (floats[i]! + floats[size + i]!) * inverse;
    } else {
      for (let i = start; i < end; i++) {
        let sum = 0;
        for (let r = 0; r < replicas; r++) sum += floats[r * size + i]!;
        floats[resultOffset + i] = sum * inverse;
      }
    }
    const result = floats.subarray(resultOffset, resultOffset + size);
    this.barrier();
    return result;
  }
}
