// Shapes and data shared by the Node (vitest) and Chromium (playwright) matmul tests.
// Plain JavaScript so the browser page can import it as-is.

/** [batch, M, N, K]; batch 0 means rank-2 operands. */
export const MATMUL_SHAPES = [
  [0, 1, 1, 1],
  [0, 2, 3, 4],
  [0, 7, 13, 11],
  [0, 37, 41, 43],
  [0, 5, 6, 7],
  [0, 0, 5, 3],
  [0, 5, 0, 3],
  [0, 5, 3, 0],
  [0, 129, 130, 257],
  [0, 64, 64, 64],
  [3, 17, 19, 23],
  [2, 1, 1, 1],
  [4, 33, 9, 65],
];

export const TRANSPOSES = [
  { transposeA: false, transposeB: false },
  { transposeA: true, transposeB: false },
  { transposeA: false, transposeB: true },
  { transposeA: true, transposeB: true },
];

/** Deterministic values in [-1, 1): mulberry32. */
export function seededValues(length, seed) {
  let state = seed >>> 0;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export function operandShapes([batch, m, n, k], { transposeA, transposeB }) {
  const a = transposeA ? [k, m] : [m, k];
  const b = transposeB ? [n, k] : [k, n];
  return batch
    ? [
        [batch, ...a],
        [batch, ...b],
      ]
    : [a, b];
}

/** Largest |got - want| / max(1, |want|); the tests require ≤ 1e-5. */
export function maxRelativeError(got, want) {
  if (got.length !== want.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const error = Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i]));
    if (!(error <= worst)) worst = Number.isNaN(error) ? Infinity : error;
  }
  return worst;
}

/** Runs every case with the given implementation; returns one row per case. */
export function runMatmulCases({ matmul, reference }) {
  const rows = [];
  for (const dims of MATMUL_SHAPES) {
    for (const options of TRANSPOSES) {
      const [aShape, bShape] = operandShapes(dims, options);
      const a = seededValues(
        aShape.reduce((x, y) => x * y, 1),
        1 + rows.length,
      );
      const b = seededValues(
        bShape.reduce((x, y) => x * y, 1),
        1000 + rows.length,
      );
      const want = reference(a, aShape, b, bShape, options);
      const got = matmul(a, aShape, b, bShape, options);
      rows.push({
        name: `${JSON.stringify(aShape)}·${JSON.stringify(bShape)} ${JSON.stringify(options)}`,
        error: maxRelativeError(got, want),
        size: want.length,
      });
    }
  }
  return rows;
}
