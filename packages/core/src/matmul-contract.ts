import { WattformerError } from './errors';
import { formatShape, type Shape } from './shape';

/**
 * Kernel contract for `matmul`: C[b] = op(A[b]) · op(B[b]) where op transposes when asked.
 * Layout: row-major, batch outermost. A is [batch, M, K] (or [batch, K, M] when transposeA),
 * B is [batch, K, N] (or [batch, N, K] when transposeB), C is [batch, M, N].
 * Rank-2 operands mean batch = 1. Every backend validates with this function, so the
 * same bad input gets the same message on cpu, wasm and webgpu.
 */
export interface MatmulOptions {
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
}

/** Sizes of a (batched) matmul after transposes: `[batch, m, k] · [batch, k, n] = [batch, m, n]`. */
export interface MatmulDims {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly outShape: Shape;
}

/**
 * Checks two matmul operand shapes (rank 2 or 3, equal batch, agreeing inner dimension) and returns the sizes and output shape; throws `E_SHAPE` naming both shapes otherwise.
 */
export function matmulDims(aShape: Shape, bShape: Shape, options: MatmulOptions = {}): MatmulDims {
  const transposeA = options.transposeA ?? false;
  const transposeB = options.transposeB ?? false;
  const fail = (expected: string, help?: string): never => {
    throw new WattformerError('E_SHAPE', {
      packageName: 'core',
      op: 'matmul',
      expected,
      got: `A ${formatShape(aShape)}${transposeA ? 'ᵀ' : ''} and B ${formatShape(bShape)}${transposeB ? 'ᵀ' : ''}`,
      ...(help ? { help } : {}),
    });
  };
  for (const shape of [aShape, bShape]) {
    if (shape.some((d) => !Number.isInteger(d) || d < 0)) fail('non-negative integer dimensions');
  }
  if (aShape.length < 2 || aShape.length > 3 || bShape.length < 2 || bShape.length > 3) {
    fail('operands of rank 2 or 3', 'use [M, K] and [K, N], or [batch, M, K] and [batch, K, N]');
  }
  const batchA = aShape.length === 3 ? aShape[0]! : 1;
  const batchB = bShape.length === 3 ? bShape[0]! : 1;
  if (aShape.length !== bShape.length || batchA !== batchB) {
    fail('the same batch dimension on A and B', 'reshape both operands to rank 3 with equal batch');
  }
  const [a0, a1] = aShape.slice(-2) as [number, number];
  const [b0, b1] = bShape.slice(-2) as [number, number];
  const m = transposeA ? a1 : a0;
  const kA = transposeA ? a0 : a1;
  const kB = transposeB ? b1 : b0;
  const n = transposeB ? b0 : b1;
  if (kA !== kB) {
    fail(`inner dimensions to agree (${kA} from A)`, 'check the transpose flags or the operand order');
  }
  const outShape = aShape.length === 3 ? [batchA, m, n] : [m, n];
  return { batch: batchA, m, n, k: kA, transposeA, transposeB, outShape };
}
