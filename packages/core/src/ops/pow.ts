import { WattformerError } from '../errors';
import { tidy } from '../scope';
import { noGrad, record } from '../tape';
import { Tensor, type TensorLike } from '../tensor';
import { broadcastShapes, div, equal, mul, sub, unbroadcast } from './binary';
import { full, zerosLike } from './creation';
import { clamp, where } from './select';
import { abs, cast, exp, log, neg, sqrt, step } from './unary';
import { argumentError, backendFor, expectDtype, expectTensor, toTensor } from './validate';

/** Exponents |p| up to this use exact repeated multiplication; every f32 beyond is an even integer. */
const LARGEST_ODD_F32 = 2 ** 24;

/**
 * base^exponent, elementwise with broadcasting, as `Math.pow` / `torch.pow`:
 * - a number exponent: integers use repeated squaring (exact signs for negative bases, e.g.
 *   pow(-2, 3) = -8), 0.5 and -0.5 use sqrt, others e^(p·ln x) (NaN for negative bases);
 *   pow(x, 0) is 1 everywhere, including 0 and NaN. i32 tensors take integers in [0, 2^24].
 * - a tensor exponent (f32): e^(e·ln|x|) with the sign of (-1)^e for a negative base and an
 *   integer exponent, NaN for a negative base and a fractional one, 1 for a zero exponent.
 *
 * Gradients (the usual conventions, as PyTorch): d/dx = e·x^(e-1), taken as 0 where e = 0;
 * d/de = x^e·ln x, taken as 0 where x = 0 (NaN for a negative base). Built from primitives.
 */
export function pow(base: TensorLike, exponent: TensorLike): Tensor {
  const op = 'pow';
  if (typeof exponent === 'number' && base instanceof Tensor) return powScalar(base, exponent);
  if (!(exponent instanceof Tensor)) {
    if (typeof exponent !== 'number') throw argumentError(op, 'exponent to be a Tensor or a number', exponent === null ? 'null' : typeof exponent);
    throw argumentError(op, 'base to be a Tensor when the exponent is a number', typeof base, 'Math.pow(base, exponent) for two numbers');
  }
  const e = expectTensor(op, 'exponent', exponent);
  expectDtype(op, 'exponent', e, ['f32']);
  if (base instanceof Tensor) expectDtype(op, 'base', base, ['f32']);
  else if (typeof base !== 'number') throw argumentError(op, 'base to be a Tensor or a number', base === null ? 'null' : typeof base);
  broadcastShapes(op, base instanceof Tensor ? base.shape : [], e.shape);
  backendFor(op, base instanceof Tensor ? [base, e] : [e]);
  const x = toTensor(op, base, 'f32');
  const out = noGrad(() => tidy(() => powTensor(x, e)));
  return record(out, op, [x, e], (dy) => [
    x.requiresGrad ? unbroadcast(mul(dy, where(equal(e, 0), 0, mul(e, powTensor(x, sub(e, 1))))), x.shape) : null,
    e.requiresGrad ? unbroadcast(mul(dy, mul(out, log(where(equal(x, 0), 1, x)))), e.shape) : null,
  ]);
}

/** Forward of the tensor-exponent case, without recording. */
function powTensor(x: Tensor, e: Tensor): Tensor {
  const magnitude = exp(mul(e, log(abs(x))));
  // Integer exponents: the parity decides the sign of a negative base. Beyond 2^24 all are even.
  const bounded = clamp(e, -LARGEST_ODD_F32, LARGEST_ODD_F32);
  const whole = cast(cast(bounded, 'i32'), 'f32');
  const isInteger = equal(bounded, whole);
  const odd = abs(sub(whole, mul(cast(cast(mul(bounded, 0.5), 'i32'), 'f32'), 2)));
  const negative = step(neg(x));
  const signed = mul(magnitude, sub(1, mul(mul(mul(negative, odd), isInteger), 2)));
  const defined = where(mul(negative, sub(1, isInteger)), NaN, signed);
  return where(equal(e, 0), 1, defined);
}

function powScalar(x: Tensor, p: number): Tensor {
  const op = 'pow';
  expectDtype(op, 'base', x, ['f32', 'i32']);
  if (x.dtype === 'i32' && !(Number.isInteger(p) && p >= 0 && p <= LARGEST_ODD_F32)) {
    throw new WattformerError('E_DTYPE', {
      packageName: 'core',
      op,
      expected: 'a non-negative integer exponent up to 2^24 for an i32 base',
      got: String(p),
      help: "cast the base first: pow(x.cast('f32'), p)",
    });
  }
  backendFor(op, [x]);
  const out = noGrad(() => tidy(() => powNumber(x, p)));
  return record(out, op, [x], (dy) => [p === 0 ? zerosLike(x) : mul(dy, mul(powNumber(x, p - 1), p))]);
}

/** Forward of the number-exponent case, without recording. */
function powNumber(x: Tensor, p: number): Tensor {
  if (p === 0 || Number.isNaN(p)) return full(x.shape, p === 0 ? 1 : NaN, x.dtype);
  if (Number.isInteger(p) && Math.abs(p) <= LARGEST_ODD_F32) {
    // Square-and-multiply: ⌈log2 p⌉ squarings, exact signs, no log of a negative base.
    let result: Tensor | null = null;
    let square = x;
    for (let k = Math.abs(p); k > 0; k = Math.floor(k / 2)) {
      if (k % 2 === 1) result = result === null ? square : mul(result, square);
      if (k > 1) square = mul(square, square);
    }
    const positive = result === x ? mul(x, 1) : result!;
    return p < 0 ? div(1, positive) : positive;
  }
  if (Number.isInteger(p)) {
    // Huge integer exponents: |x|^p, negated for a negative base when p is odd.
    const magnitude = exp(mul(log(abs(x)), p));
    return p % 2 === 0 ? magnitude : mul(magnitude, sub(1, mul(step(neg(x)), 2)));
  }
  if (p === 0.5) return sqrt(x);
  if (p === -0.5) return div(1, sqrt(x));
  return exp(mul(log(x), p));
}
