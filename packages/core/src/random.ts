import { coreState } from './state';

/**
 * Counter-based random numbers: value i of a stream is a pure function of (seed, i), so any
 * backend reproduces the cpu bits exactly and a tensor's randomness does not depend on the order
 * kernels run in. The hash is Chris Wellons' `lowbias32` (good avalanche, two multiplies):
 *
 *   lowbias32(x): x ^= x >>> 16; x *= 0x7feb352d; x ^= x >>> 15; x *= 0x846ca68b; x ^= x >>> 16
 *   bits(seed, i) = lowbias32(lowbias32(i ^ lowbias32(seed ^ 0x9e3779b9)) + seed)   (all u32, wrapping)
 *   uniformAt(seed, i) = (bits >>> 8) / 2^24            in [0, 1), 24 bits, exact in f32
 *
 * A global stream (`setSeed`) hands out disjoint counter ranges to every random op that is not
 * given an explicit seed, so a program is reproducible from one `setSeed` call.
 */
export function lowbias32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

export function randomBits(seed: number, index: number): number {
  const key = lowbias32((seed ^ 0x9e3779b9) >>> 0);
  return lowbias32((lowbias32((index ^ key) >>> 0) + seed) >>> 0);
}

export function uniformAt(seed: number, index: number): number {
  return (randomBits(seed, index) >>> 8) / 16777216;
}

/** Standard normal from two uniforms (Box–Muller), consuming counters 2i and 2i + 1. */
export function normalAt(seed: number, index: number): number {
  const u1 = uniformAt(seed, 2 * index);
  const u2 = uniformAt(seed, 2 * index + 1);
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

export interface RandomKey {
  readonly seed: number;
  readonly offset: number;
}

/** The global stream, shared by every copy of core in the process (`state.ts`). */
const stream = coreState.random;

/** Restarts the global stream; every unseeded random op after this is reproducible. */
export function setSeed(seed: number): void {
  stream.seed = seed >>> 0;
  stream.counter = 0;
}

/** The key for an op that needs `count` values: an explicit seed starts at 0, else the stream. */
export function nextRandomKey(count: number, seed?: number): RandomKey {
  if (seed !== undefined) return { seed: seed >>> 0, offset: 0 };
  const key = { seed: stream.seed, offset: stream.counter };
  // Counters are u32 in kernels; wrap rather than lose precision past 2^32 draws.
  stream.counter = (stream.counter + 2 * count) % 4294967296;
  return key;
}
