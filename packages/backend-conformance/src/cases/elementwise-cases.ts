import { add, biasGelu, cast, div, equal, exp, gelu, log, maximum, mul, neg, rand, relu, sqrt, square, sub, tanh } from '@wattformer/core';
import { at, f32, i32, type OpCase } from './op-case';

const positive = { kind: 'positive' } as const;

export const elementwiseCases: readonly OpCase[] = [
  { name: 'add/broadcast', op: 'add', tolerance: 'elementwise', inputs: [f32('a', [2, 3, 4]), f32('b', [3, 1])], run: (x) => add(at(x, 0), at(x, 1)) },
  { name: 'sub/broadcast', op: 'sub', tolerance: 'elementwise', inputs: [f32('a', [4]), f32('b', [2, 3, 4])], run: (x) => sub(at(x, 0), at(x, 1)) },
  { name: 'mul/broadcast', op: 'mul', tolerance: 'elementwise', inputs: [f32('a', [2, 1, 4]), f32('b', [1, 3, 4])], run: (x) => mul(at(x, 0), at(x, 1)) },
  { name: 'div/broadcast', op: 'div', tolerance: 'elementwise', inputs: [f32('a', [3, 4]), f32('b', [4], positive)], run: (x) => div(at(x, 0), at(x, 1)) },
  {
    name: 'maximum',
    op: 'maximum',
    tolerance: 'elementwise',
    inputs: [
      f32('a', [12], { kind: 'distinct' }),
      f32('b', [12], { kind: 'values', values: Array.from({ length: 12 }, (_, i) => 0.125 * ((i * 7) % 12) - 0.8) }),
    ],
    run: (x) => maximum(at(x, 0), at(x, 1)),
  },
  { name: 'add/scalar', op: 'add', tolerance: 'elementwise', inputs: [f32('a', [5])], run: (x) => add(at(x, 0), 1.5) },
  { name: 'mul/scalar', op: 'mul', tolerance: 'elementwise', inputs: [f32('a', [5])], run: (x) => mul(-2.5, at(x, 0)) },
  { name: 'div/scalar-numerator', op: 'div', tolerance: 'elementwise', inputs: [f32('a', [5], positive)], run: (x) => div(1, at(x, 0)) },
  { name: 'neg', op: 'neg', tolerance: 'elementwise', inputs: [f32('a', [6])], run: (x) => neg(at(x, 0)) },
  { name: 'square', op: 'square', tolerance: 'elementwise', inputs: [f32('a', [6])], run: (x) => square(at(x, 0)) },
  { name: 'exp', op: 'exp', tolerance: 'transcendental', inputs: [f32('a', [2, 5])], run: (x) => exp(at(x, 0)) },
  { name: 'log', op: 'log', tolerance: 'transcendental', inputs: [f32('a', [2, 5], positive)], run: (x) => log(at(x, 0)) },
  { name: 'tanh', op: 'tanh', tolerance: 'transcendental', inputs: [f32('a', [2, 5], { kind: 'normal', scale: 2 })], run: (x) => tanh(at(x, 0)) },
  { name: 'sqrt', op: 'sqrt', tolerance: 'transcendental', inputs: [f32('a', [2, 5], positive)], run: (x) => sqrt(at(x, 0)) },
  { name: 'relu', op: 'relu', tolerance: 'elementwise', inputs: [f32('a', [3, 4], { kind: 'awayFromZero' })], run: (x) => relu(at(x, 0)) },
  { name: 'gelu', op: 'gelu', tolerance: 'transcendental', inputs: [f32('a', [3, 7], { kind: 'normal', scale: 2 })], run: (x) => gelu(at(x, 0)) },
  // cols 7 and 13: not a multiple of the 4-lane fast path (tails); one row; a 3-D x; |x + b| up to ~15 (saturated tanh).
  {
    name: 'biasGelu',
    op: 'biasGelu',
    tolerance: 'transcendental',
    inputs: [f32('x', [3, 7], { kind: 'normal', scale: 2 }), f32('bias', [7])],
    run: (x) => biasGelu(at(x, 0), at(x, 1)),
  },
  {
    name: 'biasGelu/one-row',
    op: 'biasGelu',
    tolerance: 'transcendental',
    inputs: [f32('x', [1, 13], { kind: 'normal', scale: 2 }), f32('bias', [13])],
    run: (x) => biasGelu(at(x, 0), at(x, 1)),
  },
  {
    name: 'biasGelu/rank3-wide',
    op: 'biasGelu',
    tolerance: 'transcendental',
    inputs: [f32('x', [2, 3, 16], { kind: 'normal', scale: 5 }), f32('bias', [16], { kind: 'normal', scale: 2 })],
    run: (x) => biasGelu(at(x, 0), at(x, 1)),
  },
  {
    name: 'i32/add-div-equal',
    op: 'add',
    tolerance: 'exact',
    gradient: false,
    inputs: [i32('a', [8], { kind: 'indices', max: 50 }), i32('b', [8], { kind: 'values', values: [1, -3, 7, 2, 5, -1, 4, 3] })],
    run: (x) => cast(add(mul(div(at(x, 0), at(x, 1)), 3), equal(at(x, 0), at(x, 1))), 'f32'),
  },
  {
    name: 'cast/f32-to-i32',
    op: 'cast',
    tolerance: 'exact',
    gradient: false,
    inputs: [f32('a', [6], { kind: 'values', values: [-2.7, -0.5, 0, 0.5, 1.99, 3] })],
    run: (x) => cast(cast(at(x, 0), 'i32'), 'f32'),
  },
  { name: 'rand', op: 'randomUniform', tolerance: 'exact', gradient: false, inputs: [], run: () => rand([3, 50], { seed: 2024 }) },
];
