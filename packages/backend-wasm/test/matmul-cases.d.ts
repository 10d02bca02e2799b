import type { MatmulOptions, Shape } from '@wattformer/core';

export const MATMUL_SHAPES: [number, number, number, number][];
export const TRANSPOSES: MatmulOptions[];
export function seededValues(length: number, seed: number): Float32Array;
export function operandShapes(dims: number[], options: MatmulOptions): [number[], number[]];
export function maxRelativeError(got: Float32Array, want: Float32Array): number;
type Impl = (a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, options: MatmulOptions) => Float32Array;
export function runMatmulCases(impls: { matmul: Impl; reference: Impl }): { name: string; error: number; size: number }[];
