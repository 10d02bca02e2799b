import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { generateOpCodes, OUTPUT, readOpNames } from '../scripts/gen-op-codes.mjs';
import { BINARY_CODES, REDUCE_CODES, UNARY_CODES } from './op-codes.generated';
import { initKernels } from './wasm-module';

describe('op codes: one source (the Rust op_enum! declarations)', () => {
  it('the committed op-codes.generated.ts is what the generator writes from the Rust sources now', () => {
    expect(readFileSync(OUTPUT as string, 'utf8')).toBe((generateOpCodes as () => string)());
  });

  it('the loaded kernels decode the same names in the same order', async () => {
    const { kernels } = await initKernels();
    const order = (table: Record<string, number>) =>
      Object.entries(table)
        .sort((a, b) => a[1] - b[1])
        .map(([name]) => name)
        .join(',');
    expect(kernels.opNames('unary')).toBe(order(UNARY_CODES));
    expect(kernels.opNames('binary')).toBe(order(BINARY_CODES));
    expect(kernels.opNames('reduce')).toBe(order(REDUCE_CODES));
  });

  it('the generator refuses a Rust file without the declaration instead of writing an empty table', () => {
    const read = readOpNames as (source: string, rust: string, file: string) => string[];
    expect(() => read('pub enum UnaryOp { Neg, Exp }', 'UnaryOp', 'x.rs')).toThrow(/expected `pub enum UnaryOp` inside crate::op_enum!/);
    expect(read('crate::op_enum! {\n pub enum ReduceOp {\n  Sum => "sum",\n  Max => "max",\n }\n}', 'ReduceOp', 'x.rs')).toEqual(['sum', 'max']);
  });
});
